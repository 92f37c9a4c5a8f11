"""Logging in and out, lockout, password reset and change, the home page, language, CSP."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from klimabok.accounts.links import org_home_url
from klimabok.accounts.models import Organisation, User
from tests.web.conftest import PASSWORD, ClientFor

if TYPE_CHECKING:
    from tests.web.conftest import TestResponse

pytestmark = pytest.mark.django_db


def log_in(client: Client, email: str, password: str = PASSWORD) -> TestResponse:
    return client.post(reverse("login"), {"username": email, "password": password})


def test_login_with_email_in_any_case_goes_home(alice: User) -> None:
    client = Client()
    response = log_in(client, "  Alice@Nordlys.EXAMPLE ")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_wrong_password_says_so_in_bokmal(alice: User) -> None:
    response = log_in(Client(), alice.email, "not-the-password")
    assert response.status_code == 200
    assert "Feil e-postadresse eller passord." in response.content.decode()


def test_fifth_failure_locks_out_with_a_clear_message(alice: User) -> None:
    client = Client()
    for _attempt in range(4):
        assert log_in(client, alice.email, "wrong").status_code == 200
    locked = log_in(client, "ALICE@nordlys.example", "wrong")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Innloggingen mislyktes 5 ganger på rad" in text
    assert "sperret i en time" in text
    # Even the right password does not get in while locked.
    assert log_in(client, alice.email).status_code == 429


def test_resetting_the_password_lifts_the_lockout(alice: User) -> None:
    client = Client()
    for _attempt in range(5):
        log_in(client, alice.email, "wrong")
    assert log_in(client, alice.email).status_code == 429
    reset_password(client, alice.email, "Nordlys-lys-2025")
    assert log_in(client, alice.email, "Nordlys-lys-2025").status_code == 302


def test_logout_is_a_post_and_says_so(client_for: ClientFor, alice: User) -> None:
    client = client_for(alice)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), follow=True)
    assert "_auth_user_id" not in client.session
    assert "Du er logget ut." in response.content.decode()


def reset_password(client: Client, email: str, new_password: str) -> str:
    """Ask for the reset e-mail, follow its link, set ``new_password``; returns the final page."""
    sent = client.post(reverse("password_reset"), {"email": email}, follow=True)
    assert "Sjekk e-posten din" in sent.content.decode()
    message = mail.outbox[-1]
    assert message.to == [email]
    assert message.subject == "Nytt passord for klimabok"
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", str(message.body))
    assert link, message.body
    form_page = client.get(link.group(1), follow=True)
    assert "Velg nytt passord" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0],
                       {"new_password1": new_password, "new_password2": new_password}, follow=True)
    return done.content.decode()


def test_password_reset_mail_link_sets_a_new_password(alice: User) -> None:
    assert "Passordet er lagret" in reset_password(Client(), alice.email, "Nordlys-lys-2025")
    assert len(mail.outbox) == 1
    assert log_in(Client(), alice.email, "Nordlys-lys-2025").status_code == 302


def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(db: None) -> None:
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert "Sjekk e-posten din" in response.content.decode()
    assert mail.outbox == []


def test_password_change(client_for: ClientFor, carl: User) -> None:
    client = client_for(carl)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Ny-og-lang-2025", "new_password2": "Ny-og-lang-2025"},
        follow=True)
    assert "Passordet er byttet" in response.content.decode()
    carl.refresh_from_db()
    assert carl.check_password("Ny-og-lang-2025")


def test_home_sends_anonymous_visitors_to_login(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_home_takes_a_member_of_one_organisation_straight_there(
        client_for: ClientFor, carl: User, nordlys: Organisation) -> None:
    response = client_for(carl).get("/")
    target = org_home_url(nordlys)
    if target is None:  # the inventory app's page is not there yet: the chooser lists the one
        assert "Nordlys Kundesenter AS" in response.content.decode()
    else:
        assert response.status_code == 302
        assert response["Location"] == target


def test_home_lets_partner_staff_choose_among_their_clients(
        client_for: ClientFor, petra: User, fjordbakst: Organisation) -> None:
    text = client_for(petra).get("/").content.decode()
    assert "Kunder" in text
    assert "Nordlys Kundesenter AS" in text
    assert "Fjordbakst AS" not in text  # not a Klimapartner client
    assert reverse("accounts:client_new") in text and "Ny kunde" in text


def test_home_without_organisations_explains_how_to_get_in(client_for: ClientFor, db: None) -> None:
    lonely = User.objects.create_user("lonely@example.com", PASSWORD)
    text = client_for(lonely).get("/").content.decode()
    assert "Du er ikke medlem av noen virksomhet ennå" in text


def test_language_switch_shows_english_and_is_remembered_on_the_user(
        client_for: ClientFor, alice: User) -> None:
    client = client_for(alice)
    members = reverse("accounts:members", kwargs={"slug": "nordlys"})
    assert "Medlemmer" in client.get(members).content.decode()
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": members}, follow=True)
    text = response.content.decode()
    assert '<html lang="en">' in text
    assert "Invite someone" in text and "Medlemmer" not in text
    alice.refresh_from_db()
    assert alice.language == "en"
    # Another browser: English again after logging in.
    fresh = Client()
    log_in(fresh, alice.email)
    assert "Invite someone" in fresh.get(members).content.decode()


def test_bokmal_is_the_default_whatever_the_browser_asks_for(alice: User) -> None:
    text = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nb">' in text
    assert "Logg inn i klimabok" in text


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize("page", ["login", "password_reset", "home", "members", "settings", "client_new"])
def test_pages_carry_a_strict_csp_and_no_inline_script_or_style(
        client_for: ClientFor, petra: User, page: str) -> None:
    urls = {"login": reverse("login"), "password_reset": reverse("password_reset"), "home": "/",
            "members": reverse("accounts:members", kwargs={"slug": "nordlys"}),
            "settings": reverse("accounts:settings", kwargs={"slug": "nordlys"}),
            "client_new": reverse("accounts:client_new")}
    client = Client() if page in {"login", "password_reset"} else client_for(petra)
    response = client.get(urls[page])
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert "<style" not in html.lower()
    assert " style=" not in html.lower()
    assert not INLINE_HANDLER.search(html)
