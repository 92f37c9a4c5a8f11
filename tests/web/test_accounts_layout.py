"""The page shell every template extends: organisation switcher, org navigation, user menu, messages."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from klimabok.accounts.models import Organisation, User
from tests.web.conftest import ClientFor

pytestmark = pytest.mark.django_db


def test_include_if_exists_renders_an_existing_template_with_the_context(nordlys: Organisation) -> None:
    html = Template('{% load ui %}{% include_if_exists "accounts/_admin_tabs.html" %}').render(
        Context({"organisation": nordlys, "active": "members"}))
    assert 'href="/o/nordlys/members/" aria-current="page"' in html


def test_include_if_exists_renders_nothing_for_a_missing_template() -> None:
    assert Template('{% load ui %}[{% include_if_exists "nowhere/_nav.html" %}]').render(Context()) == "[]"


def test_header_offers_switcher_factor_library_language_and_logout(
        client_for: ClientFor, petra: User, fjordbakst: Organisation) -> None:
    html = client_for(petra).get(reverse("accounts:members", kwargs={"slug": "nordlys"})).content.decode()
    assert '<summary><span>Nordlys Kundesenter AS</span></summary>' in html  # current organisation
    assert 'href="/factors/"' in html and "Faktorbibliotek" in html
    assert 'name="language" value="en"' in html and 'name="language" value="nb"' in html
    assert f'action="{reverse("logout")}" method="post"' in html
    assert "Petra Partner" in html
    assert "Fjordbakst AS" not in html  # the switcher lists only organisations petra can open


def test_messages_are_shown_once(client_for: ClientFor, alice: User) -> None:
    client = client_for(alice)
    url = reverse("accounts:settings", kwargs={"slug": "nordlys"})
    shown = client.post(url, {"name": "Nordlys", "country": "NO"}, follow=True).content.decode()
    assert shown.count("Innstillingene for virksomheten er lagret.") == 1
    assert 'class="alert alert-success"' in shown
    assert "er lagret." not in client.get(url).content.decode()
