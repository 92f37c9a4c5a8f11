"""The travel agency's flight report: upload, map its columns (remembered), preview, import all or none.

Hand-checkable (shipped catalogue, 2025; DESNZ 2025 factors with radiative forcing, + well-to-tank):
- OSL–BGO is 324.7 km great circle (airportsdata coordinates, haversine); domestic, average passenger:
  0.22928 + 0.03350 = 0.26278 kg CO2e/pkm → 324.71 × 0.26278 = 85.3 kg one way.
- OSL–LHR is 1 205.6 km; short-haul business: 0.18863 + 0.03373 = 0.22236 kg/pkm → 268.1 kg one way.
"""

from __future__ import annotations

import hashlib
import html
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.flight_report import FlightReport, initial_mapping
from klimabok.inventory.models import ActivityEntry, FlightReportMapping, ReportingYear, Upload
from klimabok.inventory.services import delete_upload
from tests.web.conftest import ClientFor, messages_shown

URL = "/o/nordlys/2025/flights/import/"
REPORT = ("Dato;Reisende;Avgangssted;Ankomststed;Klasse\n"
          "14.03.2025;Kari;OSL;BGO;Economy\n"
          "15.03.2025;Kari;Bergen;Oslo;Economy\n"
          "02.05.2025;Ola;OSL;LHR;Business\n")
MAPPING = {"origin": "Avgangssted", "destination": "Ankomststed", "date": "Dato", "cabin_class": "Klasse",
           "note": "Reisende"}


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    return ReportingYear.objects.create(organisation=nordlys, year=2025)


def english(client: Client) -> Client:
    """New messages are asserted in English (their bokmål arrives with the next catalogue merge)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(client: Client, content: str, name: str = "reiser.csv") -> None:
    response = client.post(URL, {"action": "upload", "file": SimpleUploadedFile(name, content.encode())})
    assert response.status_code == 302, html.unescape(response.content.decode())


def test_the_mapping_imports_every_flight_and_is_remembered(client_for: ClientFor, carl: User,
                                                            year_2025: ReportingYear) -> None:
    client = english(client_for(carl))
    upload(client, REPORT)
    # The headings say date and class, but not where from and to: those the user picks.
    page = html.unescape(client.get(URL).content.decode())
    assert '<option value="Dato" selected>' in page and '<option value="Klasse" selected>' in page
    response = client.post(URL, {"action": "import", **MAPPING})
    assert response.status_code == 302
    assert messages_shown(response) == ["3 flights from the report are added to 2025."]
    flights = ActivityEntry.objects.order_by("id")
    assert [(f.activity, f.details["origin"], f.details["destination"], f.details["return_trip"],
             f.description) for f in flights] == [
        ("flight.domestic.average", "OSL", "BGO", False, "2025-03-14 · Kari"),
        ("flight.domestic.average", "BGO", "OSL", False, "2025-03-15 · Kari"),
        ("flight.short_haul.business", "OSL", "LHR", False, "2025-05-02 · Ola")]
    assert [round(f.quantity, 1) for f in flights] == [Decimal("324.7"), Decimal("324.7"), Decimal("1205.6")]
    assert FlightReportMapping.objects.get(organisation=year_2025.organisation).columns == MAPPING
    # The next report is mapped as this one was.
    upload(client, REPORT.replace("OSL;LHR", "OSL;CPH"), name="reiser-2.csv")
    page = html.unescape(client.get(URL).content.decode())
    assert '<option value="Avgangssted" selected>' in page and '<option value="Ankomststed" selected>' in page


def test_a_report_is_one_upload_imported_once_and_deleted_as_one(client_for: ClientFor, carl: User,
                                                                 year_2025: ReportingYear) -> None:
    client = english(client_for(carl))
    upload(client, REPORT)
    assert client.post(URL, {"action": "import", **MAPPING}).status_code == 302
    report = Upload.objects.get(reporting_year=year_2025)
    assert (report.filename, report.line_count, report.size) == ("reiser.csv", 3, len(REPORT.encode()))
    assert report.sha256 == hashlib.sha256(REPORT.encode()).hexdigest()
    assert {f.upload_id for f in ActivityEntry.objects.all()} == {report.pk}
    # The same report again is refused at once, naming the earlier import; nothing is added.
    response = client.post(URL, {"action": "upload", "file": SimpleUploadedFile("kopi.csv", REPORT.encode())})
    assert response.status_code == 400
    assert "this file was already uploaded as “reiser.csv”" in html.unescape(response.content.decode())
    assert ActivityEntry.objects.count() == 3
    # Deleting the upload takes its flights with it.
    assert delete_upload(report) == 3
    assert ActivityEntry.objects.count() == 0


def test_the_preview_shows_each_flight_and_the_total(client_for: ClientFor, alice: User,
                                                     year_2025: ReportingYear) -> None:
    client = english(client_for(alice))
    upload(client, REPORT)
    page = html.unescape(client.post(URL, {"action": "preview", **MAPPING}).content.decode())
    # 85.3 + 85.3 + 268.1 = 438.7 kg = 0.4 t
    assert 'data-testid="report-total">0.4<' in page
    assert "0.09" in page and "0.27" in page
    assert not ActivityEntry.objects.exists()


def test_a_bad_row_is_named_and_nothing_is_imported(client_for: ClientFor, petra: User,
                                                    year_2025: ReportingYear) -> None:
    client = english(client_for(petra))
    upload(client, REPORT + "30.12.2024;Per;OSL;TRD;Economy\n01.06.2025;Per;OSL;Atlantis;Economy\n")
    response = client.post(URL, {"action": "import", **MAPPING})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Nothing was imported: 2 rows have problems." in page
    assert "Row 5, Dato: the flight on 12/30/2024 is not in 2025." in page
    assert ("Row 6, Ankomststed: To: «Atlantis» is neither an airport code nor a city or airport we know"
            in page)
    assert not ActivityEntry.objects.exists()
    assert not FlightReportMapping.objects.exists()


def test_from_and_to_must_be_mapped(client_for: ClientFor, carl: User, year_2025: ReportingYear) -> None:
    client = english(client_for(carl))
    upload(client, REPORT)
    response = client.post(URL, {"action": "import", "date": "Dato"})
    assert response.status_code == 400
    assert not ActivityEntry.objects.exists()


def test_a_report_without_rows_is_refused(client_for: ClientFor, carl: User,
                                          year_2025: ReportingYear) -> None:
    client = english(client_for(carl))
    response = client.post(URL, {"action": "upload", "file": SimpleUploadedFile("tom.csv", b"Fra;Til\n")})
    assert response.status_code == 400
    assert "no flights below the header" in html.unescape(response.content.decode())


def test_first_report_headings_are_guessed() -> None:
    report = FlightReport("r.csv", ["Travel date", "From", "To", "Cabin", "PAX", "Traveller"], [])
    assert initial_mapping(report, None) == {"origin": "From", "destination": "To", "date": "Travel date",
                                             "cabin_class": "Cabin", "passengers": "PAX", "note": "Traveller"}


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("carl", 200), ("petra", 200), ("aud", 403),
                                             ("emma", 403), ("mallory", 404)])
def test_who_may_import(client_for: ClientFor, everyone: dict[str, User], year_2025: ReportingYear,
                        who: str, status: int) -> None:
    client = client_for(everyone[who])
    assert client.get(URL).status_code == status
    response = client.post(URL, {"action": "upload", "file": SimpleUploadedFile("r.csv", REPORT.encode())})
    assert response.status_code == (302 if status == 200 else status)
