"""The GHG inventory report and the board summary of a hand-made year (issue 13 §1, §4, §5, §7): the
sections in the GHG Protocol's order, the activity and factor effect, credits apart, DRAFT on every page
of an open year, a message for a year without lines, the same bytes for a closed year made later, and
who may read them. Text is read from the PDF with pdftotext, as a reader would copy it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from klimabok.account.services import close_year
from klimabok.accounts.models import Organisation, User
from klimabok.core.claims import RetiredCredit
from klimabok.core.engine import ActivityLine, compute_account
from klimabok.core.factors.catalogue import default_catalogue
from klimabok.core.factors.model import FactorDataset
from klimabok.core.report.ghg_inventory import ReportInput, assemble
from klimabok.factors.services import import_dataset
from klimabok.inventory import services
from klimabok.inventory.models import ReportingYear
from klimabok.reports import ghg_read
from tests.web.conftest import ClientFor, messages_shown

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is missing"),
]


def pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    """The text of each page, as pdftotext lays it out."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1]


def _url(year: int, name: str = "ghg-inventory") -> str:
    return f"/o/nordlys/reports/{year}/{name}.pdf"


@pytest.fixture
def years(nordlys: Organisation, carl: User, alice: User) -> tuple[ReportingYear, ReportingYear]:
    """2024 closed: 100,000 kWh Norwegian electricity; 2025 open: 150,000 kWh (and 40 FTE)."""
    y2024 = services.create_year(nordlys, 2024)
    services.add_entry(y2024, services.EntryDraft("electricity.no", Decimal(100000), "kWh"), carl)
    close_year(y2024, alice)
    y2025 = services.create_year(nordlys, 2025)
    services.update_year_facts(y2025, services.YearFacts(fte=Decimal(40)))
    services.add_entry(y2025, services.EntryDraft("electricity.no", Decimal(150000), "kWh"), carl)
    return y2024, y2025


def test_the_change_from_last_year_splits_into_activity_and_factor_effect() -> None:
    """100 l → 150 l diesel under the same factor: the whole change is activity, the factor effect 0,
    and the two add up to the change (core, no database)."""
    catalogue = default_catalogue()
    before = compute_account([ActivityLine("fuel.diesel", 100, "litres")], year=2024, catalogue=catalogue)
    after = compute_account([ActivityLine("fuel.diesel", 150, "litres")], year=2024, catalogue=catalogue)
    report = assemble(ReportInput("Nordlys AS", "", 2024, True, date(2025, 2, 1), after, catalogue,
                                  previous=before))
    change = report.change
    assert change is not None and change.factor_effect is not None and change.activity_effect is not None
    assert change.factor_effect == pytest.approx(0.0, abs=1e-9)
    # 50 more litres × the factor = half of the 100 litres' tonnes
    assert change.activity_effect == pytest.approx(before.totals.total_market / 2)
    assert report.credits.tonnes == 0
    assert report.draft is False


def test_a_closed_year_s_report_has_every_section_and_no_draft_mark(
    years: tuple[ReportingYear, ReportingYear], client_for: ClientFor, emma: User, tmp_path: Path
) -> None:
    response = client_for(emma).get(_url(2024))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content, tmp_path)
    text = "\n".join(pages)
    for heading in ("Innhold", "1. Organisasjon og avgrensning", "Operasjonell kontroll",
                    "3. Scope og kategorier", "4. Resultater", "8. Endring fra året før",
                    "11. Klimakreditter (rapportert for seg)", "Vedlegg: alle linjer"):
        assert heading.lower() in text.lower(), heading
    assert "UTKAST" not in text
    assert all(f"Side {n}" in page for n, page in enumerate(pages, 1))
    # the factors by their bokmål names (aib-electricity.csv: "Strøm, NO restmiks (markedsbasert)")
    assert "Strøm, NO restmiks" in text and "NO residual mix" not in text


def test_the_report_states_the_recorded_consolidation_approach(
    years: tuple[ReportingYear, ReportingYear], client_for: ClientFor, emma: User, tmp_path: Path
) -> None:
    Organisation.objects.filter(slug="nordlys").update(consolidation="equity_share")
    text = "\n".join(pdf_pages(client_for(emma).get(_url(2024)).content, tmp_path))
    assert "Konsolideringsmetode: eierandel (GHG-protokollens bedriftsstandard, kapittel 3)." in " ".join(
        text.split())
    assert "har ikke registrert" not in text


def test_an_open_year_s_report_says_draft_on_every_page(
    years: tuple[ReportingYear, ReportingYear], client_for: ClientFor, emma: User, tmp_path: Path
) -> None:
    response = client_for(emma).get(_url(2025))
    assert response.status_code == 200
    pages = pdf_pages(response.content, tmp_path)
    assert len(pages) >= 3
    assert all("UTKAST" in page for page in pages)
    text = "\n".join(pages)
    # 2024 is closed: 2025 compares with it; same factor, 50,000 kWh more
    assert "Endring fra året før" in text and "2024" in text


def test_a_later_retirement_changes_only_the_credit_section(
    years: tuple[ReportingYear, ReportingYear], client_for: ClientFor, emma: User, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Credits for 2024 retired after it was closed: the report lists them; every section before the
    credits reads as before."""
    before = " ".join(pdf_pages(client_for(emma).get(_url(2024)).content, tmp_path)).split()
    retired = RetiredCredit(Decimal(120), 2024, date(2025, 3, 14), "Verra VCS", project="Skog i Trøndelag",
                            serials="1234-5678-VCS-1-1-120")
    monkeypatch.setattr(ghg_read, "load_retired_credits", lambda organisation, year: (retired,))
    after = " ".join(pdf_pages(client_for(emma).get(_url(2024)).content, tmp_path)).split()
    heading = ["11.", "Klimakreditter", "(rapportert", "for", "seg)"]

    def until_credits(words: list[str]) -> list[str]:
        # the table of contents names the section too: cut at its second mention, the section itself
        starts = [i for i in range(len(words)) if words[i:i + len(heading)] == heading]
        return words[:starts[1]]

    assert until_credits(after) == until_credits(before)
    assert "Trøndelag" in after and "Trøndelag" not in before
    note = "den eneste delen av rapporten for et lukket år som en senere annullering endrer"
    assert note in " ".join(after)


def test_a_closed_year_s_report_is_the_same_bytes_after_new_lines_in_an_open_year(
    years: tuple[ReportingYear, ReportingYear], client_for: ClientFor, emma: User, carl: User
) -> None:
    client = client_for(emma)
    first = client.get(_url(2024)).content
    first_board = client.get(_url(2024, "board-summary")).content
    services.add_entry(years[1], services.EntryDraft("electricity.no", Decimal(5000), "kWh"), carl)
    assert client.get(_url(2024)).content == first
    assert client.get(_url(2024, "board-summary")).content == first_board
    assert b"/CreationDate (D:20000101000000+00'00')" in first  # reportlab's invariant date, not today


def test_a_closed_year_s_report_is_the_same_after_a_factor_library_update(
    years: tuple[ReportingYear, ReportingYear], client_for: ClientFor, emma: User, alice: User,
    tmp_path: Path
) -> None:
    """A newer NVE version with the location-based factor doubled: the open 2025 moves, 2024 (pinned) not."""
    client = client_for(emma)
    closed, draft = client.get(_url(2024)).content, client.get(_url(2025)).content
    nve = next(d for d in default_catalogue().datasets if d.dataset_id == "nve-electricity")
    doubled = tuple(replace(f, kg_co2e=2 * f.kg_co2e, kg_co2=2 * f.kg_co2, dataset_version="2099")
                    for f in nve.factors)
    newer = FactorDataset(nve.dataset_id, "2099", nve.year, nve.title, nve.source, nve.licence, doubled)
    import_dataset(newer, file_name="nve.csv", user=alice)
    assert client.get(_url(2024)).content == closed
    assert pdf_pages(client.get(_url(2025)).content, tmp_path) != pdf_pages(draft, tmp_path)


def test_the_board_summary_is_one_page_with_compensation_beside(
    years: tuple[ReportingYear, ReportingYear], client_for: ClientFor, emma: User, tmp_path: Path
) -> None:
    response = client_for(emma).get(_url(2024, "board-summary"))
    pages = pdf_pages(response.content, tmp_path)
    assert len(pages) == 1
    assert "ikke trukket fra" in pages[0]
    assert "Største kilder" in pages[0]


def test_a_year_without_lines_gets_a_message_not_an_empty_pdf(
    nordlys: Organisation, client_for: ClientFor, emma: User
) -> None:
    services.create_year(nordlys, 2026)
    response = client_for(emma).get(_url(2026))
    assert response.status_code == 302
    assert response["Location"] == "/o/nordlys/reports/"
    assert messages_shown(response) == [
        "2026 har ingen linjer ennå: det er ingenting å rapportere. Legg inn aktivitetsdata eller importer "
        "et regnskap først."]


def test_another_organisation_gets_a_404(
    years: tuple[ReportingYear, ReportingYear], client_for: ClientFor, mallory: User
) -> None:
    assert client_for(mallory).get(_url(2024)).status_code == 404
    assert client_for(mallory).get(_url(2024, "board-summary")).status_code == 404


def test_the_reports_page_links_both_pdfs_of_each_year(
    years: tuple[ReportingYear, ReportingYear], client_for: ClientFor, emma: User
) -> None:
    html = client_for(emma).get("/o/nordlys/reports/").content.decode()
    for year in (2024, 2025):
        assert f'href="{_url(year)}"' in html
        assert f'href="{_url(year, "board-summary")}"' in html


def test_in_english_the_report_says_draft_on_every_page_and_names_both_scope_2_figures(
    years: tuple[ReportingYear, ReportingYear], client_for: ClientFor, emma: User, tmp_path: Path
) -> None:
    client = client_for(emma)
    client.cookies["django_language"] = "en"
    pages = pdf_pages(client.get(_url(2025)).content, tmp_path)
    assert all("DRAFT" in page and "Page" in page for page in pages)
    text = "\n".join(pages)
    assert "Greenhouse gas inventory report 2025" in text
    assert "Scope 2, location-based" in text and "Scope 2, market-based" in text
    # 150,000 kWh against 2024's 100,000 kWh under the same NVE factor: all activity effect
    assert "factor effect" in text and "Appendix: every line" in text


@pytest.fixture
def diesel_and_power(nordlys: Organisation, carl: User, alice: User) -> ReportingYear:
    """2025 closed: 1,000 l diesel and 10,000 kWh Norwegian electricity."""
    y2025 = services.create_year(nordlys, 2025)
    services.add_entry(y2025, services.EntryDraft("fuel.diesel", Decimal(1000), "litres"), carl)
    services.add_entry(y2025, services.EntryDraft("electricity.no", Decimal(10000), "kWh"), carl)
    close_year(y2025, alice)
    return y2025


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is missing")
def test_every_page_renders_and_none_is_blank(
    diesel_and_power: ReportingYear, client_for: ClientFor, emma: User, tmp_path: Path
) -> None:
    data = client_for(emma).get(_url(2025)).content
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    pdfinfo_pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    pypdf_pages = len(PdfReader(io.BytesIO(data)).pages)
    assert len(pngs) == pdfinfo_pages == pypdf_pages == len(pdf_pages(data, tmp_path)) >= 5
    for png in pngs:
        with Image.open(png) as image:
            # getcolors(1) is None when the page has more than one colour: something was drawn on it
            assert image.getcolors(maxcolors=1) is None, f"{png.name} is blank"


def test_the_results_table_is_the_hand_arithmetic(
    diesel_and_power: ReportingYear, client_for: ClientFor, emma: User, tmp_path: Path
) -> None:
    """The shipped factors for 2025 (the factor-year rule takes NVE's and AIB's latest, for 2024):
    - diesel, DESNZ 2025 ID 1_101_1011_8_1 (2.57082 kg CO2e per litre): 1,000 l × 2.57082 = 2,570.82 kg
      scope 1; well-to-tank ID 11_101_1011_8_1 (0.61101 kg per litre): 611.01 kg scope 3.3
    - electricity.no, NVE klimadeklarasjon 2023 (15 g CO2e/kWh): 10,000 kWh × 0.015 = 150 kg location-based;
      AIB residual mix Scope2_Electricity_NO_kWh_2021 (0.40491 kg/kWh): 10,000 × 0.40491 = 4,049.1 kg
      market-based
    total location 2.57082 + 0.15 + 0.61101 = 3.33183 t; total market 2.57082 + 4.0491 + 0.61101 = 7.23093 t
    The results table shows one decimal: 2.6, 0.1 (0.15 t as a binary float lies a hair under 0.15), 4.0,
    0.6, 3.3, 7.2; the appendix three: 2.571, 0.611, 0.150, 4.049."""
    client = client_for(emma)
    client.cookies["django_language"] = "en"
    pages = pdf_pages(client.get(_url(2025)).content, tmp_path)
    results = next(page for page in pages if "Total, market-based" in page)  # not the contents page
    table = results.split("4. Results", 1)[1].split("Biogenic", 1)[0]
    rows = {m[1]: m[2] for m in re.finditer(r"^ *(Scope 1|Scope 2, location-based|Scope 2, market-based|"
                                            r"Scope 3|Total, location-based|Total, market-based) +(\S+) +±",
                                            table, re.MULTILINE)}
    assert rows == {"Scope 1": "2.6", "Scope 2, location-based": "0.1", "Scope 2, market-based": "4.0",
                    "Scope 3": "0.6", "Total, location-based": "3.3", "Total, market-based": "7.2"}
    appendix = [page for page in pages if "Appendix: every line" in page][-1]  # after the contents page
    for factor, source_row, tonnes in (("fuel.diesel ", "1_101_1011_8_1", "2.571"),
                                       ("fuel.diesel.wtt", "11_101_1011_8_1", "0.611"),
                                       ("electricity.no.location", "klimadeklarasjon 2023", "0.150"),
                                       ("electricity.no.market.residual", "Scope2_Electricity_NO", "4.049")):
        line = next(line for line in appendix.splitlines() if factor in line + " " and source_row in line)
        assert line.split()[-1] == tonnes, line
