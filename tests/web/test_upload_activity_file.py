"""Uploading the activity template: all lines or none, with every problem shown as row, column, problem."""

from __future__ import annotations

import html
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site, Upload
from tests.web.conftest import ClientFor

URL = "/o/nordlys/2025/upload/"
GOOD_CSV = ("activity,quantity,unit,site,description,data_quality\n"
            "electricity.no,120000,kWh,Oslo,Strøm januar–juni,1\n"
            "hotel.no,12,room_night,,Kundebesøk,2\n")


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    year = ReportingYear.objects.create(organisation=nordlys, year=2025)
    Site.objects.create(organisation=nordlys, name="Oslo")
    # Data entered before the upload, which no failed upload may touch.
    ActivityEntry.objects.create(reporting_year=year, activity="electricity.no", quantity=Decimal(5000),
                                 unit="kWh", description="earlier")
    return year


@pytest.fixture
def carl_client(client_for: ClientFor, carl: User, year_2025: ReportingYear) -> Client:
    return client_for(carl)


def upload(client: Client, name: str, content: bytes) -> str:
    response = client.post(URL, {"file": SimpleUploadedFile(name, content)})
    return html.unescape(response.content.decode()) if response.status_code != 302 else ""


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assert_nothing_saved(year: ReportingYear) -> None:
    assert list(ActivityEntry.objects.values_list("description", flat=True)) == ["earlier"]
    assert not Upload.objects.exists()


def error_rows(page: str) -> list[tuple[str, str]]:
    """(row, column) of each problem in the error table, as the user sees them."""
    import re
    body = page.split('class="data compact upload-errors"', 1)[1].split("</table>", 1)[0]
    return [(r, c) for r, c in re.findall(r'<tr><td class="num">([^<]*)</td><td>([^<]*)</td>', body)]


def test_a_good_csv_adds_every_line(carl_client: Client, year_2025: ReportingYear) -> None:
    response = carl_client.post(URL, {"file": SimpleUploadedFile("data.csv", GOOD_CSV.encode())}, follow=True)
    assert "2 linjer fra «data.csv» er lagt til i 2025." in response.content.decode()
    added = ActivityEntry.objects.filter(upload__isnull=False).order_by("id")
    assert [(e.activity, e.quantity, e.unit, e.site.name if e.site else "") for e in added] == [
        ("electricity.no", Decimal(120000), "kWh", "Oslo"), ("hotel.no", Decimal(12), "room_night", "")]
    assert Upload.objects.get().line_count == 2


def test_a_good_xlsx_adds_every_line(carl_client: Client, year_2025: ReportingYear) -> None:
    content = xlsx([["activity", "quantity", "unit"], ["water.supply", 6100, "m3"]])
    assert upload(carl_client, "vann.xlsx", content) == ""
    assert ActivityEntry.objects.filter(activity="water.supply", quantity=6100).exists()


@pytest.mark.parametrize(("content", "row", "column", "problem"), [
    (b"activity,quantity,unit\nelectricity.no,mye,kWh\n", "2", "quantity", "«mye» er ikke et tall"),
    (b"activity,quantity,unit\nelectricity.no,-5,kWh\n", "2", "quantity",
     "mengden kan ikke være negativ (fikk -5)"),
    (b"activity,quantity,unit\nelectricity.no,5,flasker\n", "2", "unit", "ukjent enhet «flasker»"),
    (b"activity,quantity,unit\nelectricity.no,5,litres\n", "2", "unit",
     "«litres» kan ikke regnes om til «kWh», enheten for «electricity.no»"),
    (b"activity,quantity,unit\nelectricity.no,5,kWh\nfuel.unobtainium,5,kg\n", "3", "activity",
     "ukjent aktivitet «fuel.unobtainium»"),
    (b"activity,quantity\nelectricity.no,5\n", "1", "unit",
     "den påkrevde kolonnen «enhet» (engelsk: «unit») mangler"),
    (b"activity,quantity,unit,site\nelectricity.no,5,kWh,Bergen\n", "2", "site", "ukjent lokasjon «Bergen»"),
])
def test_a_bad_row_rejects_the_whole_file_naming_row_and_column(
        carl_client: Client, year_2025: ReportingYear, content: bytes, row: str, column: str,
        problem: str) -> None:
    page = upload(carl_client, "data.csv", content)
    assert "Ingenting fra denne filen ble lagret" in page
    assert (row, column) in error_rows(page)
    assert problem in page
    assert_nothing_saved(year_2025)


@pytest.mark.parametrize(("cell", "problem"), [
    ("mye", "«mye» er ikke et beløp i NOK"),
    ("-200", "betalt beløp må være null eller flere NOK, fikk «-200»")])
def test_a_bad_amount_paid_names_its_row_and_column(carl_client: Client, year_2025: ReportingYear, cell: str,
                                                    problem: str) -> None:
    content = f"aktivitet;mengde;enhet;beløp_nok\nelectricity.no;5;kWh;{cell}\n".encode()
    page = upload(carl_client, "data.csv", content)
    assert error_rows(page) == [("2", "beløp_nok")]
    assert problem in page
    assert_nothing_saved(year_2025)


def test_where_a_line_is_in_the_ledger_is_kept_for_the_double_counting_rule(
        carl_client: Client, year_2025: ReportingYear) -> None:
    """The optional columns (bokmål headers here) go where the entry forms put them (issue 10, High 5)."""
    content = ("aktivitet;mengde;enhet;leverandør;bilag;beløp_nok\n"
               "electricity.no;120000;kWh;NO 912 345 674 MVA;;\n"
               "hotel.no;12;room_night;;V-1001, V-1002;14 350,50\n").encode()
    assert upload(carl_client, "data.csv", content) == ""
    added = ActivityEntry.objects.filter(upload__isnull=False).order_by("id")
    assert [e.details for e in added] == [
        {"row": 2, "supplier": "NO 912 345 674 MVA"},
        {"row": 3, "vouchers": "V-1001, V-1002", "cost_nok": "14350.50"}]


def test_every_bad_row_is_listed_at_once(carl_client: Client, year_2025: ReportingYear) -> None:
    content = b"activity,quantity,unit\nelectricity.no,x,kWh\nelectricity.no,5,kWh\nhotel.no,-1,room_night\n"
    page = upload(carl_client, "data.csv", content)
    assert error_rows(page) == [("2", "quantity"), ("4", "quantity")]
    assert "Filen ble ikke lastet inn: 2 problemer" in page
    assert_nothing_saved(year_2025)


def test_a_year_without_factors_is_refused(carl_client: Client, nordlys: Organisation,
                                           year_2025: ReportingYear) -> None:
    ReportingYear.objects.create(organisation=nordlys, year=2001)
    response = carl_client.post("/o/nordlys/2001/upload/", {"file": SimpleUploadedFile(
        "old.csv", b"activity,quantity,unit\nflight.long_haul.economy,1000,passenger_km\n")})
    page = html.unescape(response.content.decode())
    assert ("2", "activity") in error_rows(page)
    assert "ingen utslippsfaktor for «flight.long_haul.economy» i 2001 eller tidligere" in page
    assert_nothing_saved(year_2025)


def test_the_same_file_twice_is_refused_naming_the_earlier_upload(carl_client: Client,
                                                                  year_2025: ReportingYear) -> None:
    assert upload(carl_client, "data.csv", GOOD_CSV.encode()) == ""
    page = upload(carl_client, "data-kopi.csv", GOOD_CSV.encode())
    assert "denne filen er allerede lastet opp som «data.csv»" in page
    assert Upload.objects.count() == 1
    assert ActivityEntry.objects.count() == 3


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("tom.xlsx", xlsx([]), "filen er tom (ingen overskrifter i rad 1)"),
    ("ødelagt.xlsx", b"PK\x03\x04 this is not really a zip file",
     "ikke en lesbar XLSX-fil (skadet, eller et annet format)"),
    ("tom.csv", b"", "Filen er tom."), ("blank.csv", b"  \n", "filen er tom"),
])
def test_empty_or_corrupt_files_are_refused(carl_client: Client, year_2025: ReportingYear, name: str,
                                            content: bytes, problem: str) -> None:
    page = upload(carl_client, name, content)
    assert problem in page
    assert_nothing_saved(year_2025)


def test_deleting_an_upload_deletes_its_lines_only(carl_client: Client, year_2025: ReportingYear) -> None:
    upload(carl_client, "data.csv", GOOD_CSV.encode())
    created = Upload.objects.get()
    response = carl_client.post(f"/o/nordlys/2025/upload/{created.pk}/delete/", follow=True)
    assert "«data.csv» og de 2 linjene fra den er slettet." in response.content.decode()
    assert_nothing_saved(year_2025)


def test_the_template_downloads_as_xlsx(carl_client: Client, year_2025: ReportingYear) -> None:
    response = carl_client.get("/o/nordlys/2025/template.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames[:2] == ["Activities", "Catalogue"]
    assert next(workbook["Activities"].iter_rows(values_only=True))[:3] == ("aktivitet", "mengde", "enhet")


def test_the_downloaded_template_uploads_as_it_is(carl_client: Client, year_2025: ReportingYear) -> None:
    """The example rows name a site the organisation has and describe themselves in bokmål."""
    template = carl_client.get("/o/nordlys/2025/template.xlsx").content
    example = next(iter(openpyxl.load_workbook(io.BytesIO(template), read_only=True)["Activities"]
                   .iter_rows(min_row=2, max_row=2, values_only=True)))
    assert example[:9] == ("electricity.no", 1000, "kWh", "Oslo", "Strøm, NO (uten opprinnelsesgarantier)", 2,
                           None, None, None)
    assert upload(carl_client, "mal.xlsx", template) == ""  # redirected: accepted
    # The two example lines, the example flight (OSL–BGO, economy, return, 2 passengers) and 2 hotel nights.
    added = ActivityEntry.objects.filter(upload__filename="mal.xlsx").order_by("id")
    assert [(e.activity, e.details.get("kind"), e.details["row"]) for e in added] == [
        ("electricity.no", None, 2), ("flight.domestic.average", None, 3),
        ("flight.domestic.average", "flight", 4), ("hotel.no", "hotel", 5)]
    flight = added[2]
    assert (flight.details["origin"], flight.details["destination"], flight.details["trips"],
            flight.details["return_trip"], flight.site.name if flight.site else "") == (
        "OSL", "BGO", 2, True, "Oslo")
    assert added[3].quantity == 2 and added[3].unit == "room_night"


def test_a_closed_year_refuses_uploads(carl_client: Client, year_2025: ReportingYear) -> None:
    ReportingYear.objects.filter(pk=year_2025.pk).update(status=ReportingYear.Status.CLOSED)
    page = upload(carl_client, "data.csv", GOOD_CSV.encode())
    assert "2025 er lukket: åpne året igjen for å endre dataene." in page
    assert_nothing_saved(year_2025)


def test_hotel_nights_by_country_name_and_a_bad_flight_are_named_by_row_and_column(
        carl_client: Client, year_2025: ReportingYear) -> None:
    """The template's hotel columns take the country's code or name (bokmål or English); a flight row's
    problem names the row and the column as the file heads it, and nothing is saved."""
    content = xlsx([["aktivitet", "mengde", "enhet", "fra", "til", "land", "netter"],
                    [None, None, None, None, None, "Sverige", 3],
                    [None, None, None, "OSL", "Atlantis", None, None],
                    [None, None, None, None, None, "Narnia", 2]])
    page = upload(carl_client, "reiser.xlsx", content)
    assert error_rows(page) == [("3", "til"), ("4", "land")]
    assert "«Narnia» er ikke" in page or "«Narnia» is not a country with a hotel factor" in page
    assert_nothing_saved(year_2025)
    good = xlsx([["aktivitet", "mengde", "enhet", "land", "netter"], [None, None, None, "Sverige", 3]])
    assert upload(carl_client, "hotell.xlsx", good) == ""
    hotel = ActivityEntry.objects.get(upload__filename="hotell.xlsx")
    assert (hotel.activity, hotel.quantity, hotel.details["kind"]) == ("hotel.se", Decimal(3), "hotel")
