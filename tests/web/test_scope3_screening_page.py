"""The scope 3 relevance screening page (/o/<slug>/<year>/account/scope3-screening/) and the ISO 14068-1
boundary it feeds on the claims page.

Nordlys 2025 (the entries of test_claims_page.py): 100,000 kWh Norwegian electricity (scope 2),
50,000 passenger.km domestic flights (3.6, and its well-to-tank) and 10,000 km in a diesel car
(scope 1, its well-to-tank in 3.3). So the account has lines in 3.3 and 3.6 only.

Who: reading needs VIEW_DATA (alice, olga, carl, aud, petra; emma the employee gets 403), saving
EDIT_DATA (alice, olga, carl, petra; aud 403); mallory of Fjordbakst gets 404 for both.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from klimabok.account.screening import load_screening_overview
from klimabok.account.services import close_year, reopen_year
from klimabok.accounts.models import Organisation, User
from klimabok.audit.models import Event
from klimabok.inventory.models import ActivityEntry, ReportingYear, Scope3Screening, Site
from tests.web.conftest import ClientFor, messages_shown

if TYPE_CHECKING:
    from tests.web.conftest import TestResponse

URL = "/o/nordlys/2025/account/scope3-screening/"
SAVE = "/o/nordlys/2025/account/scope3-screening/save/"
CLAIMS = "/o/nordlys/2025/claims/"


def text(response: TestResponse) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style|svg|select|textarea)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    oslo = Site.objects.create(organisation=nordlys, name="Oslo")
    year = ReportingYear.objects.create(organisation=nordlys, year=2025)
    for activity, quantity, unit, site in [("electricity.no", 100_000, "kWh", oslo),
                                           ("flight.domestic.average", 50_000, "passenger.km", None),
                                           ("car.average.diesel.km", 10_000, "km", oslo)]:
        ActivityEntry.objects.create(reporting_year=year, activity=activity, quantity=Decimal(quantity),
                                     unit=unit, site=site)
    return year


def form(relevant: set[int], not_relevant: set[int] | None = None, reason: str = "Ingen slik aktivitet",
         **overrides: str) -> dict[str, str]:
    """The posted form: ``relevant`` by size, ``not_relevant`` (default: all others) with ``reason``."""
    not_relevant = set(range(1, 16)) - relevant if not_relevant is None else not_relevant
    data: dict[str, str] = {}
    for c in range(1, 16):
        relevance = "relevant" if c in relevant else "not_relevant" if c in not_relevant else "not_screened"
        data |= {f"c{c}_relevance": relevance,
                 f"c{c}_criterion": "" if relevance == "not_screened" else "size",
                 f"c{c}_reason": reason if relevance == "not_relevant" else ""}
    return data | overrides


# ---- Access ----------------------------------------------------------------------------------------

def test_who_may_read_and_who_may_save(everyone: dict[str, User], client_for: ClientFor,
                                       year_2025: ReportingYear) -> None:
    expected_get = {"alice": 200, "olga": 200, "carl": 200, "aud": 200, "petra": 200, "emma": 403,
                    "mallory": 404}
    assert {name: client_for(user).get(URL).status_code for name, user in everyone.items()} == expected_get
    expected_post = {"alice": 302, "olga": 302, "carl": 302, "petra": 302, "aud": 403, "emma": 403,
                     "mallory": 404}
    posted = {name: client_for(user).post(SAVE, form({1, 3, 5, 6, 7})).status_code
              for name, user in everyone.items()}
    assert posted == expected_post
    assert Client().get(URL).status_code == 302  # to the login page
    # only alice's (the first) save changed anything: the auditor's and mallory's were refused
    actors = set(Event.objects.filter(kind="year.scope3_screened").values_list("actor__email", flat=True))
    assert actors == {"alice@nordlys.example"}  # the first save; the others changed nothing


def test_the_auditor_reads_it_without_a_form(aud: User, client_for: ClientFor,
                                             year_2025: ReportingYear) -> None:
    response = client_for(aud).get(URL)
    assert 'name="c1_relevance"' not in response.content.decode()
    assert "Lagre vurderingen" not in text(response)


# ---- The page in bokmål ------------------------------------------------------------------------------

def test_unscreened_by_default_with_tonnes_and_share_beside(olga: User, client_for: ClientFor,
                                                            year_2025: ReportingYear) -> None:
    overview = load_screening_overview(year_2025)
    by_category = {row.category: row for row in overview.rows}
    # the account's lines: 3.3 (well-to-tank of the diesel) and 3.6 (the flights); shares of scope 3
    assert {c for c, row in by_category.items() if row.has_data} == {3, 6}
    t3, t6 = by_category[3].tonnes, by_category[6].tonnes
    assert t3 is not None and t6 is not None and overview.scope_3_t == pytest.approx(t3 + t6)
    assert by_category[6].share_percent == pytest.approx(t6 * 100 / (t3 + t6))
    page = text(client_for(olga).get(URL))
    assert "Hvilke scope 3-kategorier er relevante i 2025" in page
    assert "0 av 15 kategorier vurdert" in page
    assert "Ikke fullstendig" in page
    assert ("Ikke vurdert: 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 3.7, 3.8, 3.9, 3.10, 3.11, 3.12, 3.13, 3.14, "
            "3.15") in page
    assert "Scope 3.6:" in page and "Scope 3.15:" in page
    assert "Kriterier (GHG-protokollens Scope 3 Standard, tabell 6.1)" in page
    assert "Utkontraktering" in page and "Bransjeveiledning" in page


def test_saving_records_rows_and_one_audit_event_and_shows_who(olga: User, client_for: ClientFor,
                                                                year_2025: ReportingYear) -> None:
    client = client_for(olga)
    response = client.post(SAVE, form({1, 3, 5, 6, 7}))
    assert response.status_code == 302
    assert messages_shown(response) == ["Vurderingen av scope 3 for 2025 er lagret (15 kategorier endret)."]
    rows = {r.category: r for r in Scope3Screening.objects.filter(reporting_year=year_2025)}
    assert len(rows) == 15 and rows[6].relevance == "relevant" and rows[6].updated_by == olga
    assert rows[9].relevance == "not_relevant" and rows[9].reason == "Ingen slik aktivitet"
    event = Event.objects.get(kind="year.scope3_screened")
    assert event.actor == olga and event.subject == "year:nordlys/2025"
    changes = event.payload["changes"]
    assert [c["category"] for c in changes] == list(range(1, 16))
    assert changes[5] == {"category": 6,
                          "before": {"relevance": "not_screened", "criterion": None, "reason": ""},
                          "after": {"relevance": "relevant", "criterion": "size", "reason": ""}}
    # the same again: nothing changes, nothing is recorded
    again = client.post(SAVE, form({1, 3, 5, 6, 7}))
    # (the first save's message is still unread before it)
    assert messages_shown(again)[-1] == "Ingenting ble endret i vurderingen av scope 3."
    assert Event.objects.filter(kind="year.scope3_screened").count() == 1
    # one category back to "not screened": its row goes, one event names it
    client.post(SAVE, form({1, 3, 5, 6, 7}, not_relevant=set(range(1, 16)) - {1, 3, 5, 6, 7, 15}))
    assert not Scope3Screening.objects.filter(reporting_year=year_2025, category=15).exists()
    last = Event.objects.filter(kind="year.scope3_screened").latest("pk")
    assert [c["category"] for c in last.payload["changes"]] == [15]
    assert last.payload["changes"][0]["after"]["relevance"] == "not_screened"
    page = text(client.get(URL))
    assert "14 av 15 kategorier vurdert" in page and "Ikke vurdert: 3.15" in page
    assert "Olga Ombud" in page
    # 3.1 and 3.5 and 3.7 relevant without data; 3.3 and 3.6 have it
    assert "Relevant, men uten data: 3.1, 3.5, 3.7" in page
    # and the year page's history names the change
    year_page = text(client_for(olga).get("/o/nordlys/2025/"))
    assert "Vurdering av scope 3 endret" in year_page and "3.15" in year_page


def test_not_relevant_without_a_reason_is_refused_with_nothing_saved(carl: User, client_for: ClientFor,
                                                                      year_2025: ReportingYear) -> None:
    response = client_for(carl).post(SAVE, form({1, 3, 5, 6, 7}, c9_reason="  "))
    assert response.status_code == 400
    assert ("En kategori som merkes ikke relevant, trenger en begrunnelse: alt som utelates fra "
            "avgrensningen, skal begrunnes.") in text(response)
    response = client_for(carl).post(SAVE, form({1, 3, 5, 6, 7}, c6_criterion=""))
    assert response.status_code == 400
    assert ("Velg kriteriet vurderingen bygger på (GHG-protokollens Scope 3 Standard, "
            "tabell 6.1).") in text(response)
    assert not Scope3Screening.objects.exists()
    assert not Event.objects.filter(kind="year.scope3_screened").exists()


def test_a_category_with_data_may_be_not_relevant_with_a_reason_and_is_flagged(
        alice: User, client_for: ClientFor, year_2025: ReportingYear) -> None:
    """3.6 has the flights' tonnes: marked not relevant (with a reason), they still count, and the row
    says so."""
    tonnes = next(r.tonnes for r in load_screening_overview(year_2025).rows if r.category == 6)
    assert tonnes is not None
    response = client_for(alice).post(SAVE, form({1, 3, 5, 7}, reason="Svært lite reising"))
    assert response.status_code == 302
    page = text(client_for(alice).get(URL))
    shown = f"{tonnes:.1f}".replace(".", ",")
    assert (f"Merket ikke relevant, men regnskapet har {shown} t CO₂e i denne kategorien: tonnene telles "
            "likevel i regnskapet.") in page
    assert "Merket ikke relevant, men med data i regnskapet (tonnene telles likevel): 3.6" in page


# ---- A closed year locks it -------------------------------------------------------------------------

def test_a_closed_year_shows_it_read_only_and_refuses_a_change(alice: User, client_for: ClientFor,
                                                                year_2025: ReportingYear) -> None:
    client = client_for(alice)
    client.post(SAVE, form({1, 3, 5, 6, 7}))
    close_year(year_2025, alice)
    response = client.get(URL)
    page = text(response)
    assert ("2025 er lukket: vurderingen er låst sammen med regnskapet. Åpne året igjen for å endre "
            "den.") in page
    assert 'name="c1_relevance"' not in response.content.decode()
    assert "Relevant" in page and "Ingen slik aktivitet" in page  # shown, not editable
    refused = client.post(SAVE, form({1}))
    assert refused.status_code == 302
    assert messages_shown(refused)[-1] == "2025 er lukket: åpne året igjen for å endre dataene."
    assert Scope3Screening.objects.get(reporting_year=year_2025, category=6).relevance == "relevant"
    assert Event.objects.filter(kind="year.scope3_screened").count() == 1
    reopen_year(year_2025, alice)
    assert client.post(SAVE, form({1})).status_code == 302
    assert Scope3Screening.objects.get(reporting_year=year_2025, category=6).relevance == "not_relevant"


# ---- The claims page --------------------------------------------------------------------------------

def test_claims_page_names_the_unscreened_and_the_missing_plan(emma: User, olga: User, client_for: ClientFor,
                                                               year_2025: ReportingYear) -> None:
    # 2 of 15 screened: 3.3 and 3.6, both relevant and with data
    client_for(olga).post(SAVE, form({3, 6}, not_relevant=set()))
    page = text(client_for(emma).get(CLAIMS))
    iso = page[page.index("ISO 14068-1:2023 karbonnøytralitet"):page.index("VCMI Claims Code")]
    assert "Avgrensningen omfatter scope 1 og scope 2" in iso
    assert ("13 av 15 scope 3-kategorier er ikke vurdert: 3.1, 3.2, 3.4, 3.5, 3.7, 3.8, 3.9, 3.10, 3.11, "
            "3.12, 3.13, 3.14, 3.15.") in iso
    assert "Alle scope 3-kategorier som er vurdert som relevante, er tallfestet i regnskapet" in iso
    # the plans module reads the targets and the plan now (issue 11): none recorded, without "coming with"
    assert "Ingen reduksjonsmål registrert." in iso
    assert "Ingen styringsplan for karbonnøytralitet registrert." in iso
    assert "GHG-protokollens Scope 3 Standard, kapittel 6 og tabell 6.1" in iso
    assert "ISO 14068-1:2023, styringsplan for karbonnøytralitet" in iso
    assert "Se vurderingen av scope 3" not in iso  # emma may not read the screening page


def test_claims_page_names_a_relevant_category_without_data(alice: User, client_for: ClientFor,
                                                            year_2025: ReportingYear) -> None:
    client_for(alice).post(SAVE, form({1, 3, 6}))
    iso = text(client_for(alice).get(CLAIMS))
    assert "Vurdert som relevant, men uten data i regnskapet: 3.1." in iso
    assert "Se vurderingen av scope 3" in iso


def test_the_page_reads_in_a_fixed_number_of_queries(alice: User, client_for: ClientFor,
                                                     year_2025: ReportingYear,
                                                     django_assert_max_num_queries: Any) -> None:
    """15 screened rows (with who saved them) in one query: session and user, organisation and
    membership, the year, the screening rows, the entries and the ledger's spend for the account."""
    client = client_for(alice)
    client.post(SAVE, form({1, 3, 5, 6, 7}))
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
