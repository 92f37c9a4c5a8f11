"""The partner's spend-mapping page: partner staff read every category's CEDA sectors, factors and
account rules and may choose other sectors for a category (their clients' open years use them, closed
years keep theirs); client users and mallory get a 404, anonymous visitors log in."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from django.test import Client

from klimabok.account.read_models import load_account
from klimabok.account.services import close_year
from klimabok.accounts.models import Membership, Organisation, User
from klimabok.accounts.roles import Role
from klimabok.core.spend import categories
from klimabok.inventory.models import ReportingYear
from klimabok.inventory.services import create_year
from klimabok.ledger.models import SpendSectorChoice
from klimabok.ledger.read_models import sector_choice
from klimabok.ledger.services import import_saft
from tests.web.conftest import PASSWORD, ClientFor

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from generate_saft import generate

URL = "/partner/spend-mapping/"


def section(html: str, key: str) -> str:
    """The card of spend category ``key`` (up to the next section)."""
    start = html.index(f'id="category-{key}"')
    return html[start:html.index("</section>", start)]


def test_partner_staff_read_the_mapping_with_sectors_factors_and_rules(
        client_for: ClientFor, petra: User) -> None:
    response = client_for(petra).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kostnadskobling" in html and "CEDA by Watershed" in html and "CC BY-SA 4.0" in html
    assert html.count('id="category-') == len(categories()) == 33
    electricity = section(html, "electricity_heat")
    # names (nb / en), scope, the CEDA sector with its name and kg CO2e per 2023 USD (NOR)
    assert "Strøm og oppvarming" in electricity and "Electricity and heating" in electricity
    assert "Scope 2" in electricity
    assert "221100</code> Electric power generation, transmission, and distribution" in electricity
    assert "0,272254" in electricity
    # 2024: NOK/USD 10.6494355, deflator 125.428 / 122.390 = 1.024822289,
    # 0.272254 / 1.024822289 / 10.6494355 = 0.024945897 kg CO2e/NOK (nb decimal comma)
    assert re.search(r"2024</td><td class=\"num\">10,6494355</td>\s*<td class=\"num\">1,024822289</td>\s*"
                     r"<td class=\"num\"><strong>0,024945897</strong>", electricity)
    # 2025: 128.986 / 122.390 = 1.053893292; 0.272254 / 1.053893292 / 10.59874556 = 0.024373795
    assert "1,053893292" in electricity and "0,024373795" in electricity
    # covered by activity data, the rationale and the codes that lead here
    assert "dekket av aktivitetsdata: strøm i kWh, fjernvarme i kWh" in electricity
    assert "the spend on 6340 Lys, varme is mostly electricity" in electricity
    assert "1.30-grupperingskode 6340" in electricity and "Lys, varme" in electricity
    assert "1.20-standardkonto 62 og kontonummer 62xx" in electricity
    # a category that is the mean of several sectors lists each one
    travel = section(html, "travel")
    for code, name, value in (("481000", "Air transportation", "1,28278"),
                              ("721000", "Accommodation", "0,139809"),
                              ("485000", "Transit and ground passenger transportation", "0,402208")):
        assert f"{code}</code> {name}" in travel and value in travel
    # the deflator's source, and why codes are excluded
    assert "122,390" in html and "125,428" in html and "128,986" in html
    assert "BEA NIPA Table 1.1.9 line 1" in html
    assert "https://fred.stlouisfed.org/series/A191RD3A086NBEA" in html
    excluded = html[html.index('id="excluded"'):]
    assert "alle 1.30-grupperingskoder i loennskostnad" in excluded
    assert "lønn: lønn, pensjon og arbeidsgiveravgift er ikke innkjøp" in excluded


def test_the_partner_navigation_links_the_mapping(client_for: ClientFor, petra: User) -> None:
    html = client_for(petra).get("/partner/credits/").content.decode()
    assert f'<a href="{URL}">Kostnadskobling</a>' in html


def test_english_names_the_page_in_english(client_for: ClientFor, petra: User) -> None:
    client = client_for(petra)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Spend mapping" in html and "0.024945897" in html
    assert "1.30 grouping code 6340" in html and "every 1.30 grouping code of loennskostnad" in html


@pytest.mark.parametrize("name", ["alice", "olga", "carl", "emma", "aud", "mallory"])
def test_client_users_and_outsiders_get_a_404(
        client_for: ClientFor, everyone: dict[str, User], name: str) -> None:
    client = client_for(everyone[name])
    assert client.get(URL).status_code == 404
    assert URL not in client.get("/factors/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(db: None) -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


EDIT = "/partner/spend-mapping/goods_for_resale/"


def test_partner_chooses_other_sectors_for_a_category(client_for: ClientFor, petra: User) -> None:
    client = client_for(petra)
    form = client.get(EDIT).content.decode()
    # the current sectors filled in, and all 400 sectors listed to choose from
    assert 'value="339990"' in form and "Bread and bakery product manufacturing" in form
    bakery = "Kundene selger brød fra eget bakeri."
    response = client.post(EDIT, {"ceda_sectors": "311810", "rationale": bakery})
    assert response.status_code == 302 and response["Location"] == URL + "#category-goods_for_resale"
    choice = SpendSectorChoice.objects.get(partner__slug="klimapartner", category="goods_for_resale")
    assert (choice.ceda_sectors, choice.changed_by) == ("311810", petra)
    page = client.get(URL).content.decode()
    assert "Lagret: alle kunders åpne år bruker disse sektorene" in page
    goods = section(page, "goods_for_resale")
    # 311810 Bread and bakery, NOR 0.291688 kg per 2023 USD; 2025: 0.291688 / (128.986 / 122.390)
    # / 10.59874556 = 0.026113643 kg/NOK (shipped 339990: 0.411421 → 0.036833...)
    assert "311810</code> Bread and bakery product manufacturing" in goods and "339990</code>" not in goods
    assert "0,026113643" in goods
    assert "valgt av partneren (levert: 339990)" in goods
    assert bakery in goods
    assert "CEDA-sektorer valgt av klimapartneren: 311810 (standard 339990)" in goods
    # back to the shipped sectors
    response = client.post(EDIT, {"reset": "1"})
    assert response.status_code == 302
    assert not SpendSectorChoice.objects.exists()
    goods = section(client.get(URL).content.decode(), "goods_for_resale")
    assert "339990</code> All other miscellaneous manufacturing" in goods
    assert "valgt av partneren" not in goods


def test_an_unknown_sector_code_is_refused_and_nothing_saved(client_for: ClientFor, petra: User) -> None:
    response = client_for(petra).post(EDIT, {"ceda_sectors": "311810 999999", "rationale": ""})
    assert response.status_code == 400
    assert "«999999» er ikke en sektorkode i Open CEDA 2025" in response.content.decode()
    response = client_for(petra).post(EDIT, {"ceda_sectors": " ", "rationale": ""})
    assert response.status_code == 400
    assert not SpendSectorChoice.objects.exists()
    assert client_for(petra).get("/partner/spend-mapping/no_such_category/").status_code == 404


@pytest.mark.parametrize("name", ["alice", "olga", "carl", "emma", "aud", "mallory"])
def test_only_partner_staff_may_change_the_mapping(
        client_for: ClientFor, everyone: dict[str, User], name: str) -> None:
    client = client_for(everyone[name])
    assert client.get(EDIT).status_code == 404
    assert client.post(EDIT, {"ceda_sectors": "311810", "rationale": ""}).status_code == 404
    assert not SpendSectorChoice.objects.exists()


def test_another_partners_choice_is_its_own(
        client_for: ClientFor, petra: User, nordlys: Organisation) -> None:
    gronn = Organisation.objects.create(slug="gronnpartner", name="Grønn Partner AS",
                                        kind=Organisation.Kind.PARTNER)
    gina = User.objects.create_user("gina@gronnpartner.example", PASSWORD, name="Gina Grønn")
    Membership.objects.create(user=gina, organisation=gronn, role=Role.PARTNER)
    assert client_for(gina).post(EDIT, {"ceda_sectors": "311810", "rationale": ""}).status_code == 302
    assert SpendSectorChoice.objects.get().partner == gronn
    # petra (Klimapartner, serving nordlys) still sees and uses the shipped sectors
    goods = section(client_for(petra).get(URL).content.decode(), "goods_for_resale")
    assert "339990</code>" in goods and "valgt av partneren" not in goods
    assert sector_choice(nordlys.partner) == {}


def test_anonymous_visitors_cannot_change_the_mapping(db: None) -> None:
    response = Client().post(EDIT, {"ceda_sectors": "311810"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not SpendSectorChoice.objects.exists()


def _goods_t(reporting_year: ReportingYear) -> float:
    return sum(line.t_co2e for line in load_account(reporting_year).lines
               if line.activity == "spend.goods_for_resale")


def test_clients_open_years_use_the_choice_closed_years_keep_their_factors(
        client_for: ClientFor, petra: User, nordlys: Organisation, fjordbakst: Organisation,
        tmp_path: Path) -> None:
    saft = generate(tmp_path / "nordlys-2025.xml", 400, seed=3, year=2025)
    open_year, closed_year = create_year(nordlys, 2025), create_year(nordlys, 2024)
    import_saft(open_year, saft, None)
    import_saft(closed_year, generate(tmp_path / "nordlys-2024.xml", 400, seed=3, year=2024), None)
    other = create_year(fjordbakst, 2025)  # no partner: always the shipped sectors
    import_saft(other, saft, None)
    close_year(closed_year, None)
    before = {y: _goods_t(y) for y in (open_year, closed_year, other)}
    assert all(t > 0 for t in before.values())

    client_for(petra).post(EDIT, {"ceda_sectors": "311810", "rationale": ""})

    # 2025 goods for resale: shipped 339990 0.411421 kg/USD → 311810 0.291688 kg/USD: the same spend,
    # deflated and converted alike, so the tonnes scale by 0.291688 / 0.411421 (to whole kg per line)
    assert _goods_t(open_year) == pytest.approx(before[open_year] * 0.291688 / 0.411421, abs=0.002)
    assert _goods_t(closed_year) == before[closed_year]  # pinned to the factors it was closed with
    assert _goods_t(other) == before[other]
