"""The named users of every web test, and a logged-in client for each.

In "Nordlys Kundesenter AS" (slug ``nordlys``), served by the climate partner
"Klimapartner AS" (``klimapartner``): alice is the administrator, olga the
sustainability ombudsman, carl a contributor, emma an employee and aud the
auditor; petra is partner staff at Klimapartner. mallory administers another
client, "Fjordbakst AS" (``fjordbakst``, no partner), and must see nothing of
Nordlys: every Nordlys URL is a 404 for her.

Every user's password is :data:`PASSWORD`. ``client_for(user)`` returns a
Django test client logged in as that user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.signals import setting_changed
from pytest_django import Settings

from klimabok.accounts.models import Membership, Organisation, User
from klimabok.accounts.roles import Role
from klimabok.credits.models import PortfolioPolicy

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

    #: What the test client returns: the view's response with the request (wsgi_request) attached.
    TestResponse: TypeAlias = _MonkeyPatchedWSGIResponse

PASSWORD = "Fjellgrense-2024"

ClientFor = Callable[[User], Client]


def pytest_configure(config: pytest.Config) -> None:
    """Compile the catalogues (.mo is not in git): tests assert on the bokmål text users see.

    Django has already loaded (and cached) the catalogues during set-up, so
    announce the change the way ``override_settings`` does, which makes Django
    reload them. Parallel workers may all run this: each .mo is replaced atomically.
    """
    call_command("compilemessages_klimabok", verbosity=0)
    setting_changed.send(sender=type(settings), setting="LOCALE_PATHS", value=settings.LOCALE_PATHS,
                         enter=False)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """Seven users per test: the production hasher's deliberate slowness would dominate the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _member(email: str, name: str, organisation: Organisation, role: Role) -> User:
    user = User.objects.create_user(email, PASSWORD, name=name)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def klimapartner(db: None) -> Organisation:
    """A partner from before the strict default policy: credits 0006 kept its lax policy as a row."""
    partner = Organisation.objects.create(slug="klimapartner", name="Klimapartner AS",
                                          kind=Organisation.Kind.PARTNER, org_number="923609016")
    PortfolioPolicy.objects.create(partner=partner, require_ccp=False, max_vintage_age_years=None)
    return partner


@pytest.fixture
def nordlys(klimapartner: Organisation) -> Organisation:
    return Organisation.objects.create(slug="nordlys", name="Nordlys Kundesenter AS",
                                       legal_name="Nordlys Kundesenter AS", org_number="974760673",
                                       partner=klimapartner)


@pytest.fixture
def fjordbakst(db: None) -> Organisation:
    return Organisation.objects.create(slug="fjordbakst", name="Fjordbakst AS")


@pytest.fixture
def alice(nordlys: Organisation) -> User:
    return _member("alice@nordlys.example", "Alice Admin", nordlys, Role.ADMIN)


@pytest.fixture
def olga(nordlys: Organisation) -> User:
    return _member("olga@nordlys.example", "Olga Ombud", nordlys, Role.OMBUDSMAN)


@pytest.fixture
def carl(nordlys: Organisation) -> User:
    return _member("carl@nordlys.example", "Carl Contributor", nordlys, Role.CONTRIBUTOR)


@pytest.fixture
def emma(nordlys: Organisation) -> User:
    return _member("emma@nordlys.example", "Emma Employee", nordlys, Role.EMPLOYEE)


@pytest.fixture
def aud(nordlys: Organisation) -> User:
    return _member("aud@revisor.example", "Aud Auditor", nordlys, Role.AUDITOR)


@pytest.fixture
def petra(klimapartner: Organisation, nordlys: Organisation) -> User:
    return _member("petra@klimapartner.example", "Petra Partner", klimapartner, Role.PARTNER)


@pytest.fixture
def mallory(fjordbakst: Organisation) -> User:
    return _member("mallory@fjordbakst.example", "Mallory Outsider", fjordbakst, Role.ADMIN)


@pytest.fixture
def everyone(alice: User, olga: User, carl: User, emma: User, aud: User, petra: User,
             mallory: User) -> dict[str, User]:
    """All named users by first name, for tests that go through every role."""
    return {"alice": alice, "olga": olga, "carl": carl, "emma": emma, "aud": aud, "petra": petra,
            "mallory": mallory}


def streamed_text(response: TestResponse, encoding: str = "utf-8-sig") -> str:
    """The body of a streamed response (the CSV exports), decoded."""
    assert isinstance(response, StreamingHttpResponse)
    return response.getvalue().decode(encoding)


def messages_shown(response: TestResponse) -> list[str]:
    """The messages a redirect queued for the next page, without rendering that page.

    For redirects into another app's pages (the organisation's home), so these
    tests do not depend on how those pages look.
    """
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def client_for(db: None) -> ClientFor:
    """``client_for(alice)``: a test client logged in as alice (language: bokmål, the default)."""

    def logged_in(user: User) -> Client:
        client = Client()
        client.force_login(user, backend="klimabok.accounts.backends.EmailBackend")
        return client

    return logged_in
