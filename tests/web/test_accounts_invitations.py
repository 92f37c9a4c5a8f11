"""Invitations from the members page to a working membership, and links that cannot be used."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from pytest_django import DjangoCaptureOnCommitCallbacks

from klimabok.accounts.links import org_home_url
from klimabok.accounts.models import Invitation, Membership, Organisation, User
from klimabok.accounts.roles import Role
from tests.web.conftest import PASSWORD, ClientFor, messages_shown

if TYPE_CHECKING:
    from tests.web.conftest import TestResponse

pytestmark = pytest.mark.django_db


class Invite(Protocol):
    def __call__(self, client: Client, email: str, role: str = ...) -> TestResponse: ...


@pytest.fixture
def invite(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> Invite:
    """``invite(client, email, role)`` posts the members page's form; its e-mail lands in the outbox."""

    def post(client: Client, email: str, role: str = "contributor") -> TestResponse:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:invite", kwargs={"slug": "nordlys"}),
                               {"email": email, "role": role}, follow=True)

    return post


def invitation_path(message_body: str | Promise) -> str:
    match = re.search(r"https?://[^/\s]+(/invite/[^/\s]+/)", str(message_body))
    assert match, message_body
    return match.group(1)


def test_new_person_accepts_an_invitation_end_to_end(
        client_for: ClientFor, invite: Invite, alice: User, nordlys: Organisation) -> None:
    response = invite(client_for(alice), "Nina@Nordlys.example", "ombudsman")
    assert "Invitasjon sendt til nina@nordlys.example." in response.content.decode()
    assert "nina@nordlys.example" in response.content.decode()  # listed under open invitations
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nina@nordlys.example"]
    assert message.subject == "Invitasjon til Nordlys Kundesenter AS i klimabok"
    assert "Alice Admin har invitert deg til Nordlys Kundesenter AS" in message.body
    assert "går ut om 14 dager" in message.body

    invitation = Invitation.objects.get(email="nina@nordlys.example")
    path = invitation_path(message.body)
    assert path.split("/")[2] not in invitation.token_hash  # only the hash is stored

    nina = Client()
    page = nina.get(path).content.decode()
    assert "Bli med i Nordlys Kundesenter AS" in page
    assert "<strong>Miljøansvarlig</strong>" in page
    response = nina.post(path, {"name": "Nina Nord", "password1": "Nordlys-nina-25",
                                "password2": "Nordlys-nina-25"})
    assert response["Location"] == (org_home_url(nordlys) or reverse("home"))
    assert messages_shown(response) == ["Velkommen til Nordlys Kundesenter AS."]
    user = User.objects.get(email="nina@nordlys.example")
    assert user.name == "Nina Nord"
    assert Membership.objects.get(user=user, organisation=nordlys).role == Role.OMBUDSMAN
    assert nina.session["_auth_user_id"] == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_used_link_says_it_was_used(client_for: ClientFor, invite: Invite, alice: User) -> None:
    invite(client_for(alice), "nina@nordlys.example")
    path = invitation_path(mail.outbox[0].body)
    Client().post(path, {"name": "Nina", "password1": "Nordlys-nina-25", "password2": "Nordlys-nina-25"})
    response = Client().get(path)
    assert response.status_code == 410
    assert ("Denne invitasjonen er allerede brukt. Logg inn for å komme til Nordlys Kundesenter AS."
            in response.content.decode())
    second = Client().post(path, {"name": "Eve", "password1": "Nordlys-eve-25",
                                  "password2": "Nordlys-eve-25"})
    assert second.status_code == 410
    assert User.objects.get(email="nina@nordlys.example").name == "Nina"


def test_an_expired_link_says_when_it_expired(client_for: ClientFor, invite: Invite, alice: User) -> None:
    invite(client_for(alice), "late@nordlys.example")
    path = invitation_path(mail.outbox[0].body)
    expired = timezone.make_aware(datetime(2026, 3, 1, 12, 0))
    Invitation.objects.update(expires_at=expired)
    response = Client().get(path)
    assert response.status_code == 410
    assert ("Denne invitasjonen gikk ut 01.03.2026. Be en administrator i Nordlys Kundesenter AS om å "
            "sende en ny.") in response.content.decode()
    posted = Client().post(path, {"name": "Late", "password1": "Nordlys-late-25",
                                  "password2": "Nordlys-late-25"})
    assert posted.status_code == 410
    assert not User.objects.filter(email="late@nordlys.example").exists()


def test_an_unknown_token_is_refused(db: None) -> None:
    response = Client().get(reverse("accounts:invitation_accept", kwargs={"token": "made-up"}))
    assert response.status_code == 410
    assert "Denne invitasjonslenken er ikke gyldig." in response.content.decode()


def test_invitations_last_fourteen_days(client_for: ClientFor, invite: Invite, alice: User) -> None:
    before = timezone.now()
    invite(client_for(alice), "nina@nordlys.example")
    lifetime = Invitation.objects.get().expires_at - before
    assert timedelta(days=14) <= lifetime < timedelta(days=14, minutes=1)


def test_an_existing_user_logs_in_then_joins(client_for: ClientFor, invite: Invite, alice: User,
                                             mallory: User, nordlys: Organisation) -> None:
    invite(client_for(alice), mallory.email, "auditor")
    path = invitation_path(mail.outbox[0].body)
    anonymous = Client().get(path).content.decode()
    assert "Du har allerede en konto som mallory@fjordbakst.example." in anonymous
    client = Client()
    client.post(reverse("login"), {"username": mallory.email, "password": PASSWORD})
    assert "Godta invitasjonen" in client.get(path).content.decode()
    response = client.post(path)
    assert messages_shown(response) == ["Velkommen til Nordlys Kundesenter AS."]
    assert Membership.objects.get(user=mallory, organisation=nordlys).role == Role.AUDITOR


def test_the_wrong_logged_in_user_cannot_take_an_invitation(client_for: ClientFor, invite: Invite,
                                                            alice: User, carl: User) -> None:
    invite(client_for(alice), "nina@nordlys.example")
    path = invitation_path(mail.outbox[0].body)
    client = client_for(carl)
    response = client.post(path)
    assert response.status_code == 403
    assert ("Denne invitasjonen er til nina@nordlys.example, men du er logget inn som "
            "carl@nordlys.example.") in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_inviting_a_member_again_is_refused(client_for: ClientFor, invite: Invite, alice: User,
                                            carl: User) -> None:
    response = invite(client_for(alice), "CARL@nordlys.example")
    assert response.status_code == 400
    assert "carl@nordlys.example er allerede medlem av Nordlys Kundesenter AS." in response.content.decode()
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_a_new_invitation_replaces_the_open_one(client_for: ClientFor, invite: Invite, alice: User) -> None:
    client = client_for(alice)
    invite(client, "nina@nordlys.example", "employee")
    first = invitation_path(mail.outbox[0].body)
    invite(client, "nina@nordlys.example", "contributor")
    assert Invitation.objects.get().role == Role.CONTRIBUTOR
    assert Client().get(first).status_code == 410


def test_new_user_password_rules_apply(client_for: ClientFor, invite: Invite, alice: User) -> None:
    invite(client_for(alice), "nina@nordlys.example")
    path = invitation_path(mail.outbox[0].body)
    response = Client().post(path, {"name": "Nina", "password1": "kort", "password2": "kort"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    mismatch = Client().post(path, {"name": "Nina", "password1": "Nordlys-nina-25", "password2": "x"})
    assert "De to passordene er ulike." in mismatch.content.decode()
    assert not User.objects.filter(email="nina@nordlys.example").exists()


def test_admin_withdraws_an_invitation(client_for: ClientFor, invite: Invite, alice: User) -> None:
    client = client_for(alice)
    invite(client, "nina@nordlys.example")
    path = invitation_path(mail.outbox[0].body)
    pk = Invitation.objects.get().pk
    url = reverse("accounts:invitation_withdraw", kwargs={"slug": "nordlys", "pk": pk})
    response = client.post(url, follow=True)
    assert "Invitasjonen til nina@nordlys.example er trukket tilbake." in response.content.decode()
    assert Client().get(path).status_code == 410


def test_only_managers_invite(client_for: ClientFor, invite: Invite, carl: User, mallory: User) -> None:
    assert invite(client_for(carl), "x@nordlys.example").status_code == 403
    assert invite(client_for(mallory), "x@nordlys.example").status_code == 404
    assert not Invitation.objects.exists()
