"""Messages from the core (errors, line flags) in the page's language: bokmål by default, English when chosen.

The core makes them in English (the CLI prints that); the web translates each
through ``klimabok.web.core_messages.localise``. The language is the cookie's,
else the user's saved one, else bokmål.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from klimabok.accounts.models import Organisation, User
from klimabok.core.errors import InputError, InputErrors, KlimabokError
from klimabok.core.messages import message
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.web.core_messages import localise
from tests.web.conftest import ClientFor, streamed_text

YEAR_URL = "/o/nordlys/2025/"
NOT_A_NUMBER = b"activity,quantity,unit\nelectricity.no,abc,kWh\n"


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    return ReportingYear.objects.create(organisation=nordlys, year=2025)


@pytest.fixture
def carl_client(client_for: ClientFor, carl: User, year_2025: ReportingYear) -> Client:
    return client_for(carl)


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def upload_problems(client: Client, name: str, content: bytes) -> list[tuple[str, str, str]]:
    """(row, column, problem) of each line of the upload's error table, as the user reads them."""
    response = client.post(YEAR_URL + "upload/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    body = text(response).split('class="data compact upload-errors"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr><td class="num">([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', body)


def flags_on(page: str) -> list[str]:
    return re.findall(r'<div class="small flag">([^<]*)</div>', page)


# --- Uploads ---------------------------------------------------------------------------------------

def test_a_quantity_that_is_not_a_number_in_bokmal(carl_client: Client) -> None:
    assert upload_problems(carl_client, "data.csv", NOT_A_NUMBER) == [
        ("2", "quantity", "«abc» er ikke et tall")]


def test_bokmal_headers_name_the_column_as_in_the_file(carl_client: Client) -> None:
    content = b"aktivitet;mengde;enhet\nelectricity.no;abc;kWh\n"
    assert upload_problems(carl_client, "opplasting.csv", content) == [
        ("2", "mengde", "«abc» er ikke et tall")]


def test_an_unknown_unit_in_bokmal(carl_client: Client) -> None:
    content = b"activity,quantity,unit\nelectricity.no,5,flasker\n"
    assert upload_problems(carl_client, "data.csv", content) == [("2", "unit", "ukjent enhet «flasker»")]


def test_a_unit_that_does_not_convert_in_bokmal(carl_client: Client) -> None:
    content = b"activity,quantity,unit\nfuel.diesel,100,km\n"
    assert upload_problems(carl_client, "data.csv", content) == [
        ("2", "unit", "«km» kan ikke regnes om til «litres», enheten for «fuel.diesel»")]


def test_a_file_level_problem_in_bokmal(carl_client: Client) -> None:
    assert upload_problems(carl_client, "gammel.xls", b"not really excel") == [
        ("–", "–", "det gamle .xls-formatet støttes ikke: lagre som .xlsx eller CSV")]


def test_the_same_upload_in_english_with_the_language_cookie(carl_client: Client) -> None:
    english(carl_client)
    assert upload_problems(carl_client, "data.csv", NOT_A_NUMBER) == [
        ("2", "quantity", "'abc' is not a number")]
    content = b"activity,quantity,unit\nelectricity.no,5,flasker\n"
    assert upload_problems(carl_client, "data.csv", content) == [("2", "unit", "unknown unit 'flasker'")]


def test_english_from_the_users_saved_language(client_for: ClientFor, carl: User,
                                               year_2025: ReportingYear) -> None:
    carl.language = "en"
    carl.save()
    assert upload_problems(client_for(carl), "data.csv", NOT_A_NUMBER) == [
        ("2", "quantity", "'abc' is not a number")]


# --- Flags on the lines page and the entry preview ------------------------------------------------

@pytest.fixture
def electricity_2025(year_2025: ReportingYear) -> ActivityEntry:
    # NVE publishes Norwegian electricity for 2023 at the latest: a 2025 account uses it and says so.
    return ActivityEntry.objects.create(reporting_year=year_2025, activity="electricity.no",
                                        quantity=Decimal(1000), unit="kWh")


@pytest.mark.usefixtures("electricity_2025")
def test_a_flag_on_the_lines_page_in_bokmal_and_english(carl_client: Client) -> None:
    url = YEAR_URL + "account/lines/"
    assert "faktor fra 2023: ingen tall publisert for 2025" in flags_on(text(carl_client.get(url)))
    assert "factor from 2023: no 2025 figure published" in flags_on(text(english(carl_client).get(url)))


def test_a_flag_in_the_entry_preview_in_bokmal(carl_client: Client) -> None:
    page = text(carl_client.post(YEAR_URL + "entries/new/electricity/", {
        "quantity": "1000", "unit": "kWh", "data_quality": 2, "action": "preview"}))
    assert "faktor fra 2023: ingen tall publisert for 2025" in flags_on(page)


# --- The account page and the entry form ----------------------------------------------------------

def test_account_problems_in_bokmal_and_english(carl_client: Client, year_2025: ReportingYear) -> None:
    ActivityEntry.objects.create(reporting_year=year_2025, activity="fuel.unobtainium", quantity=Decimal(5),
                                 unit="kg")
    url = YEAR_URL + "account/"
    assert "<li>rad 1, kolonne activity: ukjent aktivitet «fuel.unobtainium»</li>" in text(
        carl_client.get(url))
    assert "<li>row 1, column activity: unknown activity 'fuel.unobtainium'</li>" in text(
        english(carl_client).get(url))


def test_entry_form_errors_from_the_engine_in_english(carl_client: Client) -> None:
    page = text(english(carl_client).post(YEAR_URL + "entries/new/generic/", {
        "activity": "fuel.diesel", "quantity": "100", "unit": "km", "data_quality": 2, "action": "save"}))
    assert "'km' cannot be converted to 'litres', the unit of 'fuel.diesel'" in page


# --- localise itself ------------------------------------------------------------------------------

def test_localise_translates_location_words_and_keeps_the_file_name() -> None:
    error = InputError(message("'%(text)s' is not a number", text="abc"), source="upload.xlsx", row=7,
                       field="mengde")
    with translation.override("nb"):
        assert localise(error) == "upload.xlsx, rad 7, kolonne mengde: «abc» er ikke et tall"
        assert localise(InputErrors([error])) == (
            "1 feil:\nupload.xlsx, rad 7, kolonne mengde: «abc» er ikke et tall")
    with translation.override("en"):
        assert localise(error) == str(error) == "upload.xlsx, row 7, column mengde: 'abc' is not a number"


def test_localise_leaves_text_the_web_already_translated() -> None:
    with translation.override("nb"):
        assert localise(KlimabokError("2025 er lukket: åpne året igjen for å endre dataene.")) == \
            "2025 er lukket: åpne året igjen for å endre dataene."
        assert localise(InputError("filen er tom", source="tom.csv")) == "tom.csv: filen er tom"
        assert localise("100 %") == "100 %"


@pytest.mark.usefixtures("electricity_2025")
def test_the_lines_export_carries_the_flag_in_the_users_language(carl_client: Client) -> None:
    response = carl_client.get(YEAR_URL + "account/export.lines.csv")
    body = streamed_text(response)
    assert "faktor fra 2023: ingen tall publisert for 2025" in body


def test_a_message_inside_a_message_is_translated_too() -> None:
    """The activity groups that cover a spend category are words of their own: each is translated."""
    from klimabok.core.messages import message
    from klimabok.core.spend.overrides import activity_group_names

    covered = message("%(category)s: the year's rule for the category (%(groups)s)", category="Strøm",
                      groups=activity_group_names(("district_heating", "electricity")))
    assert str(covered) == ("Strøm: the year's rule for the category (district heating in kWh, "
                            "electricity in kWh)")
    with translation.override("nb"):
        assert localise(covered) == "Strøm: årets regel for kategorien (fjernvarme i kWh, strøm i kWh)"
    with translation.override("en"):
        assert localise(covered) == str(covered)
