"""The Miljøfyrtårn annual report of a hand-made year: the page, the form of entered figures, the XLSX in
the portal's order, the PDF, and who may see and enter what."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.audit.models import Event
from klimabok.inventory import services
from klimabok.inventory.models import ReportingYear
from klimabok.plans import services as plans
from klimabok.reports.models import MiljofyrtarnFigures
from tests.web.conftest import ClientFor

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(nordlys: Organisation, carl: User, olga: User) -> ReportingYear:
    """2025: 2,000 m², 40 FTE; 300,000 kWh electricity + 100,000 kWh district heating; 2 t mixed waste and
    2,000 kg paper; 10 return flights Oslo–Bergen (9,200 passenger-km); a measure done in April 2025."""
    site = services.save_site(nordlys, name="Kontor", floor_area_m2=Decimal(2000))
    year = services.create_year(nordlys, 2025)
    services.update_year_facts(year, services.YearFacts(fte=Decimal(40)))
    for draft in (
        services.EntryDraft("electricity.no", Decimal(300000), "kWh", site=site),
        services.EntryDraft("district_heating.delivered.no_default", Decimal(100), "MWh", site=site),
        services.EntryDraft("waste.mixed.incineration", Decimal(2), "tonne"),
        services.EntryDraft("waste.paper.recycling", Decimal(2000), "kg"),
        services.EntryDraft(
            "flight.domestic.average",
            Decimal(9200),
            "passenger_km",
            details={"kind": "flight", "trips": 10, "return_trip": True},
        ),
    ):
        services.add_entry(year, draft, carl)
    plans.save_measure(
        nordlys,
        plans.MeasureDraft(
            title="Bedre kildesortering",
            kind="waste_sorting",
            start_year=2025,
            owner=carl,
            status="done",
            deadline=date(2025, 4, 30),
            params={"share": 40},
        ),
        olga,
    )
    plans.save_measure(
        nordlys,
        plans.MeasureDraft(
            title="Hemmelig idé", kind="generic", start_year=2026, status="idea", params={"pct": 10}
        ),
        olga,
    )
    return year


def _url(kind: str = "") -> str:
    return f"/o/nordlys/reports/2025/miljofyrtarn{kind}"


FIGURES = {
    "sick_leave_percent": "4,8",
    "normal_degree_days": "3900",
    "actual_degree_days": "3250",
    "heating_share_percent": "60",
    "indicator_1_name": "=Ark per årsverk",
    "indicator_1_unit": "ark",
    "indicator_1_value": "1840",
}


def test_the_report_page_shows_the_figures_in_bokmal(
    year: ReportingYear, client_for: ClientFor, emma: User
) -> None:
    response = client_for(emma).get(_url("/"))
    assert response.status_code == 200
    text = response.content.decode()
    # 300,000 + 100,000 kWh = 400,000 kWh over 2,000 m² = 200.0 kWh/m²
    assert "400\xa0000" in text and "200,0" in text
    # waste: 2,000 kg sorted of 4,000 kg = 50.0 %
    assert "4\xa0000" in text and "50,0" in text
    assert "Korte flyreiser (under 483 km)" in text
    assert "Bedre kildesortering" in text  # done in April 2025
    assert "Hemmelig idé" not in text  # an idea is not in the action plan
    assert "Sykefravær er ikke registrert ennå." in text
    # an employee reads, but does not enter
    assert _url("/figures/") not in text


def test_the_ombudsman_enters_the_figures_once_a_year_and_the_trail_records_it(
    year: ReportingYear, client_for: ClientFor, olga: User
) -> None:
    client = client_for(olga)
    assert client.get(_url("/figures/")).status_code == 200
    response = client.post(_url("/figures/"), FIGURES)
    assert response.status_code == 302
    row = MiljofyrtarnFigures.objects.get(reporting_year=year)
    assert row.sick_leave_percent == Decimal("4.8") and row.heating_share_percent == Decimal(60)
    assert row.own_indicators == [{"name": "=Ark per årsverk", "unit": "ark", "value": "1840"}]
    event = Event.objects.get(kind=Kind.REPORTS_MILJOFYRTARN_FIGURES_SAVED)
    assert event.actor == olga and event.payload["changed"]["sick_leave_percent"] == [None, "4.8"]
    client.post(_url("/figures/"), FIGURES)  # the same again: nothing changed, nothing recorded
    assert Event.objects.filter(kind=Kind.REPORTS_MILJOFYRTARN_FIGURES_SAVED).count() == 1
    text = client.get(_url("/")).content.decode()
    # heating 60 % of 400,000 = 240,000 kWh × 3,900 / 3,250 = 288,000; + 160,000 = 448,000 kWh;
    # / 2,000 m² = 224,0 kWh/m²
    assert "448\xa0000" in text and "224,0" in text and "4,8" in text


@pytest.mark.parametrize(
    ("post", "field", "error"),
    [
        ({"sick_leave_percent": "120"}, "sick_leave_percent", "mindre enn eller lik 100"),
        ({"sick_leave_percent": "fem"}, "sick_leave_percent", "Oppgi et tall"),
        ({"normal_degree_days": "3900"}, "actual_degree_days", "trenger alle tre tallene"),
        (
            {"normal_degree_days": "0", "actual_degree_days": "3000", "heating_share_percent": "50"},
            "normal_degree_days",
            "større enn eller lik 1",
        ),
        ({"indicator_2_unit": "kg"}, "indicator_2_name", "Gi indikatoren et navn."),
        ({"indicator_3_name": "Kaffe"}, "indicator_3_value", "Oppgi indikatorens verdi."),
    ],
)
def test_bad_input_is_refused_at_its_field(
    year: ReportingYear, client_for: ClientFor, olga: User, post: dict[str, str], field: str, error: str
) -> None:
    response = client_for(olga).post(_url("/figures/"), post)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(error in message for message in errors[field]), errors
    assert not MiljofyrtarnFigures.objects.filter(reporting_year=year).exists()


def test_the_xlsx_lists_the_sections_in_the_portal_order_with_numbers_as_numbers(
    year: ReportingYear, client_for: ClientFor, olga: User, aud: User
) -> None:
    client_for(olga).post(_url("/figures/"), FIGURES)
    response = client_for(aud).get(_url(".xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert sheet is not None
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    headings = [
        row[0]
        for row in rows
        if row and isinstance(row[0], str) and row[0][:2] in {f"{n}." for n in range(1, 10)}
    ]
    assert headings == [
        "1. Nøkkeltall",
        "2. Arbeidsmiljø",
        "3. Innkjøp",
        "4. Energi",
        "5. Transport",
        "6. Avfall",
        "7. Egne indikatorer",
        "8. Tiltak gjennomført i året",
        "9. Handlingsplan",
    ]
    values = {row[0]: row[1] for row in rows if row and len(row) > 1}
    assert values["Sykefravær"] == 4.8
    assert values["Energibruk per m²"] == 200.0
    assert values["Temperaturkorrigert energi"] == 448000.0
    assert values["Sorteringsgrad"] == 50.0
    # an own indicator's name that starts with "=" is text, not a formula
    assert values["'=Ark per årsverk"] == 1840.0


def test_the_pdf_renders_the_report(
    year: ReportingYear, client_for: ClientFor, olga: User, emma: User
) -> None:
    client_for(olga).post(_url("/figures/"), FIGURES)
    response = client_for(emma).get(_url(".pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert 1 <= len(reader.pages) <= 3
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Miljøfyrtårn",
        "1. Nøkkeltall",
        "4. Energi",
        "Temperaturkorrigert energi",
        "448",
        "Sorteringsgrad",
        "9. Handlingsplan",
        "Side 1",
    ):
        assert expected in text, (expected, text)
    assert client_for(emma).get(_url(".pdf")).content == response.content  # deterministic


def test_who_may_read_and_enter(
    year: ReportingYear, client_for: ClientFor, everyone: dict[str, User], mallory: User
) -> None:
    for name in ("alice", "olga", "carl", "emma", "aud", "petra"):
        assert client_for(everyone[name]).get(_url("/")).status_code == 200, name
    for name, status in (
        ("alice", 200),
        ("olga", 200),
        ("petra", 200),
        ("carl", 403),
        ("emma", 403),
        ("aud", 403),
    ):
        assert client_for(everyone[name]).get(_url("/figures/")).status_code == status, name
    assert client_for(everyone["carl"]).post(_url("/figures/"), FIGURES).status_code == 403
    for url in (_url("/"), _url(".xlsx"), _url(".pdf"), _url("/figures/")):
        assert client_for(mallory).get(url).status_code == 404
