"""Organisation settings (with the organisation-number check) and partner staff creating clients."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from klimabok.accounts.links import org_home_url
from klimabok.accounts.models import Invitation, Organisation, User
from klimabok.accounts.roles import Role
from klimabok.accounts.validators import lei_is_valid, org_number_check_digit
from tests.web.conftest import ClientFor, messages_shown

pytestmark = pytest.mark.django_db


def test_check_digit_by_hand() -> None:
    # 974760673 (Brønnøysundregistrene): 9·3 + 7·2 + 4·7 + 7·6 + 6·5 + 0·4 + 6·3 + 7·2
    # = 27 + 14 + 28 + 42 + 30 + 0 + 18 + 14 = 173; 173 mod 11 = 8; 11 − 8 = 3 → check digit 3.
    assert org_number_check_digit("97476067") == 3


def settings_url() -> str:
    return reverse("accounts:settings", kwargs={"slug": "nordlys"})


def test_admin_saves_settings_with_a_spaced_org_number(client_for: ClientFor, alice: User) -> None:
    response = client_for(alice).post(settings_url(), {
        "name": "Nordlys Kundesenter", "legal_name": "Nordlys Kundesenter AS",
        "org_number": "923 609 016", "country": "NO"}, follow=True)
    assert "Innstillingene for virksomheten er lagret." in response.content.decode()
    nordlys = Organisation.objects.get(slug="nordlys")
    assert (nordlys.name, nordlys.org_number) == ("Nordlys Kundesenter", "923609016")


@pytest.mark.parametrize(("number", "message"), [
    ("974760674", "974760674 er ikke et gyldig organisasjonsnummer: kontrollsifferet stemmer ikke."),
    ("97476067", "Et norsk organisasjonsnummer har nøyaktig ni sifre"),
    ("97476067A", "Et norsk organisasjonsnummer har nøyaktig ni sifre"),
])
def test_a_wrong_org_number_is_refused_beside_the_field(client_for: ClientFor, alice: User,
                                                        number: str, message: str) -> None:
    response = client_for(alice).post(settings_url(), {
        "name": "Nordlys", "legal_name": "", "org_number": number, "country": "NO"})
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert 'id="id_org_number_error"' in text
    assert Organisation.objects.get(slug="nordlys").org_number == "974760673"


def test_a_foreign_org_number_is_not_checked_as_norwegian(client_for: ClientFor, alice: User) -> None:
    client_for(alice).post(settings_url(), {
        "name": "Nordlys", "legal_name": "", "org_number": "556677-8899", "country": "SE"})
    assert Organisation.objects.get(slug="nordlys").org_number == "556677-8899"


def test_partner_staff_create_a_client_and_invite_its_admin(
        client_for: ClientFor, petra: User, klimapartner: Organisation,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(petra).post(reverse("accounts:client_new"), {
            "name": "Havbris Økologiske AS", "legal_name": "", "org_number": "", "country": "NO",
            "first_admin_email": "sjef@havbris.example"})
    assert messages_shown(response) == ["Havbris Økologiske AS er opprettet.",
                                        "Invitasjon sendt til sjef@havbris.example."]
    client = Organisation.objects.get(name="Havbris Økologiske AS")
    assert response["Location"] == (org_home_url(client) or reverse("home"))
    assert (client.slug, client.kind, client.partner) == ("havbris-okologiske-as", "client", klimapartner)
    assert Invitation.objects.get(organisation=client).role == Role.ADMIN
    assert mail.outbox[0].to == ["sjef@havbris.example"]
    # petra serves it at once
    assert "Havbris Økologiske AS" in client_for(petra).get("/").content.decode()


def test_only_partner_staff_create_clients(client_for: ClientFor, alice: User, mallory: User) -> None:
    for user in (alice, mallory):
        response = client_for(user).post(reverse("accounts:client_new"),
                                         {"name": "Sneaky AS", "country": "NO"})
        assert response.status_code == 403
        assert "Bare ansatte hos en klimapartner kan opprette kundevirksomheter." in response.content.decode()
    assert not Organisation.objects.filter(name="Sneaky AS").exists()


def test_a_second_client_with_the_same_name_gets_its_own_address(client_for: ClientFor, petra: User) -> None:
    client = client_for(petra)
    for _ in range(2):
        client.post(reverse("accounts:client_new"), {"name": "Nordlys Kundesenter AS", "country": "NO"})
    slugs = sorted(Organisation.objects.filter(name="Nordlys Kundesenter AS").values_list("slug", flat=True))
    assert slugs == ["nordlys", "nordlys-kundesenter-as", "nordlys-kundesenter-as-2"]


def test_the_lei_check_digits_by_hand() -> None:
    # GLEIF's own LEI 506700GE1G29325QX363: letters as 10–35 (G=16, E=14, Q=26, X=33) give
    # 5067001614116293252633363, and that number mod 97 is 1 (ISO 7064 MOD 97-10).
    assert int("5067001614116293252633363") % 97 == 1
    assert lei_is_valid("506700GE1G29325QX363")
    assert not lei_is_valid("506700GE1G29325QX364")


def test_admin_records_the_consolidation_approach_and_an_lei(client_for: ClientFor, alice: User) -> None:
    response = client_for(alice).post(settings_url(), {
        "name": "Nordlys", "legal_name": "", "org_number": "974760673", "country": "NO",
        "consolidation": "financial_control", "identifier_scheme": "LEI",
        "identifier": "5067 00ge1g29325qx363"}, follow=True)
    assert "Innstillingene for virksomheten er lagret." in response.content.decode()
    nordlys = Organisation.objects.get(slug="nordlys")
    assert (nordlys.consolidation, nordlys.identifier_scheme, nordlys.identifier) == (
        "financial_control", "LEI", "506700GE1G29325QX363")


@pytest.mark.parametrize(("scheme", "identifier", "field", "message"), [
    ("LEI", "506700GE1G29325QX364", "identifier",
     "506700GE1G29325QX364 er ikke en gyldig LEI: kontrollsifrene stemmer ikke."),
    ("LEI", "12345", "identifier", "En LEI har nøyaktig 20 bokstaver og sifre"),
    ("LEI", "", "identifier", "Skriv inn identifikatoren for ordningen LEI"),
    ("", "506700GE1G29325QX363", "identifier_scheme", "Velg hvilken ordning identifikatoren hører til."),
])
def test_a_wrong_identifier_is_refused_beside_its_field(
    client_for: ClientFor, alice: User, scheme: str, identifier: str, field: str, message: str
) -> None:
    response = client_for(alice).post(settings_url(), {
        "name": "Nordlys", "legal_name": "", "org_number": "974760673", "country": "NO",
        "identifier_scheme": scheme, "identifier": identifier})
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert f'id="id_{field}_error"' in text
    assert Organisation.objects.get(slug="nordlys").identifier == ""
