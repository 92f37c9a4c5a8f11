"""The partner's spend-mapping page: partner staff read every category's CEDA sectors, factors and
account rules; client users, mallory and another tenant's staff get a 404, anonymous visitors log in."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from klimabok.accounts.models import User
from klimabok.core.spend import categories

URL = "/partner/spend-mapping/"


def section(html: str, key: str) -> str:
    """The card of spend category ``key`` (up to the next section)."""
    start = html.index(f'id="category-{key}"')
    return html[start:html.index("</section>", start)]


def test_partner_staff_read_the_mapping_with_sectors_factors_and_rules(client_for, petra: User) -> None:  # type: ignore[no-untyped-def]
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
    assert "electricity, district_heating" in electricity
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


def test_the_partner_navigation_links_the_mapping(client_for, petra: User) -> None:  # type: ignore[no-untyped-def]
    html = client_for(petra).get("/partner/credits/").content.decode()
    assert f'<a href="{URL}">Kostnadskobling</a>' in html


def test_english_names_the_page_in_english(client_for, petra: User) -> None:  # type: ignore[no-untyped-def]
    client = client_for(petra)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Spend mapping" in html and "0.024945897" in html
    assert "1.30 grouping code 6340" in html and "every 1.30 grouping code of loennskostnad" in html


@pytest.mark.parametrize("name", ["alice", "olga", "carl", "emma", "aud", "mallory"])
def test_client_users_and_outsiders_get_a_404(client_for, everyone: dict[str, User], name: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(everyone[name])
    assert client.get(URL).status_code == 404
    assert URL not in client.get("/factors/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(db: None) -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
