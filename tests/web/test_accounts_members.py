"""Who may manage members and settings, role changes, removal, and the last administrator."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from klimabok.accounts.models import Membership, Organisation, User
from klimabok.accounts.roles import Role
from tests.web.conftest import ClientFor

pytestmark = pytest.mark.django_db


def members_url(slug: str = "nordlys") -> str:
    return reverse("accounts:members", kwargs={"slug": slug})


def settings_url(slug: str = "nordlys") -> str:
    return reverse("accounts:settings", kwargs={"slug": slug})


@pytest.mark.parametrize(("name", "status"), [
    ("alice", 200), ("petra", 200),
    ("olga", 403), ("carl", 403), ("emma", 403), ("aud", 403),
    ("mallory", 404),
])
@pytest.mark.parametrize("url", [members_url, settings_url])
def test_who_may_open_members_and_settings(client_for: ClientFor, everyone: dict[str, User],
                                            name: str, status: int, url: Callable[[], str]) -> None:
    response = client_for(everyone[name]).get(url())
    assert response.status_code == status
    if status == 403:
        role = Membership.objects.get(user=everyone[name]).get_role_display()
        assert f"Rollen din ({role}) har ikke lov til dette." in response.content.decode()


def test_members_page_lists_members_with_roles(client_for: ClientFor, everyone: dict[str, User]) -> None:
    text = client_for(everyone["alice"]).get(members_url()).content.decode()
    for user in ("alice", "olga", "carl", "emma", "aud"):
        assert everyone[user].email in text
    assert "mallory@" not in text and "petra@" not in text
    assert "Ansatte hos klimapartneren Klimapartner AS har også tilgang." in text


def test_mallory_gets_404_for_every_nordlys_page_and_action(
        client_for: ClientFor, mallory: User, carl: User) -> None:
    client = client_for(mallory)
    membership = Membership.objects.get(user=carl)
    kwargs = {"slug": "nordlys", "pk": membership.pk}
    for url in (members_url(), settings_url(), reverse("accounts:member_remove", kwargs=kwargs)):
        assert client.get(url).status_code == 404
    posts = {
        reverse("accounts:invite", kwargs={"slug": "nordlys"}): {"email": "x@y.no", "role": "admin"},
        reverse("accounts:member_role", kwargs=kwargs): {f"m{membership.pk}-role": "admin"},
        reverse("accounts:member_remove", kwargs=kwargs): {},
        settings_url(): {"name": "Hacked", "country": "NO"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404
    membership.refresh_from_db()
    assert membership.role == Role.CONTRIBUTOR
    assert Organisation.objects.get(slug="nordlys").name == "Nordlys Kundesenter AS"


def test_a_member_of_nordlys_cannot_touch_another_organisations_membership(
        client_for: ClientFor, alice: User, mallory: User) -> None:
    """alice is admin of Nordlys; mallory's membership id under Nordlys's slug is a 404."""
    theirs = Membership.objects.get(user=mallory)
    url = reverse("accounts:member_role", kwargs={"slug": "nordlys", "pk": theirs.pk})
    assert client_for(alice).post(url, {f"m{theirs.pk}-role": "employee"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == Role.ADMIN


def test_admin_changes_a_role(client_for: ClientFor, alice: User, carl: User) -> None:
    membership = Membership.objects.get(user=carl)
    url = reverse("accounts:member_role", kwargs={"slug": "nordlys", "pk": membership.pk})
    response = client_for(alice).post(url, {f"m{membership.pk}-role": "ombudsman"}, follow=True)
    assert "Carl Contributor er nå Miljøansvarlig." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.OMBUDSMAN


def test_partner_role_cannot_be_handed_out_inside_a_client(client_for: ClientFor, alice: User,
                                                            carl: User) -> None:
    membership = Membership.objects.get(user=carl)
    url = reverse("accounts:member_role", kwargs={"slug": "nordlys", "pk": membership.pk})
    response = client_for(alice).post(url, {f"m{membership.pk}-role": "partner"}, follow=True)
    assert "Velg en av rollene i listen." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.CONTRIBUTOR


def test_the_last_admin_cannot_be_demoted(client_for: ClientFor, alice: User, petra: User) -> None:
    membership = Membership.objects.get(user=alice)
    url = reverse("accounts:member_role", kwargs={"slug": "nordlys", "pk": membership.pk})
    response = client_for(petra).post(url, {f"m{membership.pk}-role": "employee"}, follow=True)
    assert ("Alice Admin er den siste administratoren i Nordlys Kundesenter AS. "
            "Gjør noen andre til administrator først.") in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_the_last_admin_cannot_be_removed_not_even_by_themselves(client_for: ClientFor, alice: User) -> None:
    membership = Membership.objects.get(user=alice)
    url = reverse("accounts:member_remove", kwargs={"slug": "nordlys", "pk": membership.pk})
    client = client_for(alice)
    assert "Alice Admin (alice@nordlys.example) mister tilgangen" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "er den siste administratoren" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_with_a_second_admin_the_first_may_step_down(client_for: ClientFor, alice: User, olga: User) -> None:
    Membership.objects.filter(user=olga).update(role=Role.ADMIN)
    membership = Membership.objects.get(user=alice)
    url = reverse("accounts:member_role", kwargs={"slug": "nordlys", "pk": membership.pk})
    client_for(alice).post(url, {f"m{membership.pk}-role": "contributor"})
    membership.refresh_from_db()
    assert membership.role == Role.CONTRIBUTOR


def test_admin_removes_a_member(client_for: ClientFor, alice: User, emma: User) -> None:
    membership = Membership.objects.get(user=emma)
    url = reverse("accounts:member_remove", kwargs={"slug": "nordlys", "pk": membership.pk})
    response = client_for(alice).post(url, follow=True)
    assert "Emma Employee har ikke lenger tilgang til Nordlys Kundesenter AS." in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=emma.pk).exists()  # the person stays; only the access goes


def test_contributor_cannot_remove_anyone(client_for: ClientFor, carl: User, emma: User) -> None:
    membership = Membership.objects.get(user=emma)
    url = reverse("accounts:member_remove", kwargs={"slug": "nordlys", "pk": membership.pk})
    assert client_for(carl).post(url).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
