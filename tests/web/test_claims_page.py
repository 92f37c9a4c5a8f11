"""The claims page: who may read it, what it tells each audience, and the prerequisites form.

Nordlys's 2025 account (the entries of test_account_views.py): total market-based
55.775 t, location-based 16.784 t, all three scopes. Credits retired for 2025:

- 12 Verra VCS removals with the CCP label, retired 2025-12-10 (serials 941467007–941467018);
- 5 Gold Standard reductions without it, retired 2026-01-15 (for 2025, so not in 2025's E1-7).

VCMI: 12 / 55.775 = 21.5 % of the remaining emissions → Silver (shown as "21 %", 56 t).

The known answer of issue 10 (``compensations``): 138 t compensating 2024, retired 2025-03-14 (the
demo's retirement), and 837 t for the 2025 emissions, retired 2026-12-04.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klimabok.accounts.models import Organisation, User
from klimabok.claims.models import ClaimPrerequisites
from klimabok.claims.read_models import load_retired_credits, load_unscreened_tonnes
from klimabok.credits.models import CompensationOrder, CreditBlock, CreditProject, CreditRange, Retirement
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from klimabok.plans import services as plans
from tests.web.conftest import ClientFor

if TYPE_CHECKING:
    from tests.web.conftest import TestResponse

URL = "/o/nordlys/2025/claims/"
PREREQUISITES_URL = "/o/nordlys/2025/claims/prerequisites/"
ALL_RECORDED = {"public_inventory": "on", "public_inventory_reference": "https://nordlys.example/klima",
                "claim_verified": "on"}


def text(response: TestResponse) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
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


def retire(nordlys: Organisation, project: CreditProject, *, serial: str, identity: str, start: int,
           end: int, take: int, retired_on: date, kind: str, for_year: int = 2025,
           status: str = CreditBlock.Status.OFFERED) -> None:
    """A block of ``start``–``end`` with its first ``take`` credits retired for Nordlys's ``for_year``."""
    block = CreditBlock.objects.create(
        project=project, registry=project.registry, identity=identity, serial_start=start, serial_end=end,
        quantity=end - start + 1, raw_serial=serial, vintage=2023, kind=kind,
        status=status)
    order = CompensationOrder.objects.create(client=nordlys, partner=project.owner, reporting_year=for_year,
                                             tonnes=take, idempotency_key=f"order-{start}",
                                             status=CompensationOrder.Status.RETIRED)
    retirement = Retirement.objects.create(order=order, retired_on=retired_on,
                                           registry_reference=f"R-{start}",
                                           beneficiary="Nordlys Kundesenter AS")
    CreditRange.objects.create(block=block, start=start, end=start + take - 1,
                               status=CreditRange.Status.RETIRED, order=order, retirement=retirement)
    CreditRange.objects.create(block=block, start=start + take, end=end)


@pytest.fixture
def credits(nordlys: Organisation, klimapartner: Organisation, year_2025: ReportingYear) -> None:
    forest = CreditProject.objects.create(
        owner=klimapartner, registry="verra", registry_project_id="1340", name="Humbo Assisted Regeneration",
        program="Verra VCS", project_type="afforestation", country="ET", kind="removal", ccp_label=True)
    stoves = CreditProject.objects.create(
        owner=klimapartner, registry="gold-standard", registry_project_id="GS11603",
        name="Efficient cookstoves", program="Gold Standard", project_type="cookstoves", country="KE",
        kind="reduction")
    retire(nordlys, forest,
           serial="19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1",
           identity="verra:VCS-VCU", start=941467007, end=941467431, take=12, retired_on=date(2025, 12, 10),
           kind="removal")
    retire(nordlys, stoves, serial="GS1-1-KE-GS11603-16-2023-30256-110-5463", identity="gs:GS11603",
           start=110, end=5463, take=5, retired_on=date(2026, 1, 15), kind="reduction")


@pytest.fixture
def after_the_ban(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("klimabok.claims.views.claims.today", lambda: date(2026, 9, 27))


def record_all(year: ReportingYear) -> None:
    """The inventory published (ticked here), and from the plan: a target on a closed 2023 (1,000 l diesel)
    validated by the SBTi, the closed 2024 half of it (on track), and a measure planned."""
    ClaimPrerequisites.objects.create(reporting_year=year, public_inventory=True)
    organisation = year.organisation
    years = {}
    for number, litres in ((2023, 1000), (2024, 500)):
        years[number] = ReportingYear.objects.create(organisation=organisation, year=number,
                                                     status=ReportingYear.Status.CLOSED)
        ActivityEntry.objects.create(reporting_year=years[number], activity="fuel.diesel",
                                     quantity=Decimal(litres), unit="litres")
    plans.save_target(organisation, plans.TargetDraft(
        name="Scope 1+2", base_year=years[2023], target_year=2030, coverage="scope_1_2",
        reduction_percent=Decimal("29.4"), base_t_co2e=Decimal("2.5"), sbti_validated_on=date(2025, 3, 1),
        sbti_evidence_url="https://sciencebasedtargets.org/target-dashboard"), None)
    plans.save_measure(organisation, plans.MeasureDraft(title="Elbiler", kind="electric_cars",
                                                        start_year=2026, status="planned"), None)


# ---- Access ------------------------------------------------------------------------------------

def test_every_role_of_the_organisation_reads_the_page(everyone: dict[str, User], client_for: ClientFor,
                                                       year_2025: ReportingYear) -> None:
    for name in ("alice", "olga", "carl", "emma", "aud", "petra"):
        assert client_for(everyone[name]).get(URL).status_code == 200, name


def test_an_outsider_gets_404_and_an_anonymous_visitor_the_login(mallory: User, client_for: ClientFor,
                                                                 year_2025: ReportingYear) -> None:
    assert client_for(mallory).get(URL).status_code == 404
    assert client_for(mallory).post(PREREQUISITES_URL, ALL_RECORDED).status_code == 404
    assert not ClaimPrerequisites.objects.exists()
    assert Client().get(URL).status_code == 302


def test_a_year_that_does_not_exist_is_404(alice: User, client_for: ClientFor,
                                           year_2025: ReportingYear) -> None:
    assert client_for(alice).get("/o/nordlys/2019/claims/").status_code == 404


def test_the_account_page_links_to_the_claims(alice: User, client_for: ClientFor,
                                              year_2025: ReportingYear) -> None:
    page = client_for(alice).get(reverse("account:account", args=["nordlys", 2025])).content.decode()
    assert f'href="{URL}"' in page and "Hva vi kan si" in page


# ---- Directive 2024/825 ------------------------------------------------------------------------

def test_consumers_after_27_september_2026_klimanoytral_is_not_allowed(
        emma: User, client_for: ClientFor, credits: None, after_the_ban: None) -> None:
    page = text(client_for(emma).get(URL))
    not_allowed = page[page.index("Hva dere ikke kan si"):page.index("ISO 14068-1:2023 karbonnøytralitet")]
    assert "«klimanøytral»" in not_allowed and "«klimakompensert»" in not_allowed
    assert ("Siden 2026-09-27 er det forbudt å påstå overfor forbrukere, på grunnlag av kompensasjon av "
            "utslipp med klimakreditter, at et produkt eller virksomheten har en nøytral, redusert eller "
            "positiv klimapåvirkning.") in not_allowed
    assert "Direktiv (EU) 2024/825" in not_allowed
    assert "Gjelder fra 27. september 2026" in not_allowed


def test_the_day_before_says_from_the_date(alice: User, client_for: ClientFor, year_2025: ReportingYear,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("klimabok.claims.views.claims.today", lambda: date(2026, 9, 26))
    page = text(client_for(alice).get(URL))
    assert "Fra 2026-09-27 er det forbudt" in page and "Fra 27. september 2026" in page


def test_business_audience_has_its_own_tab_under_the_consumer_ban_as_annual_reports_are_public(
        alice: User, client_for: ClientFor, credits: None, after_the_ban: None) -> None:
    page = text(client_for(alice).get(URL + "?audience=business"))
    assert "Siden 2026-09-27 er det forbudt" in page
    assert "Årsrapporten er et offentlig dokument som også når forbrukere" in page
    assert "I Norge: direktivet gjelder gjennom EØS-avtalen" in page
    assert "Forbrukertilsynet bruker allerede i dag markedsføringsloven på klimapåstander" in page
    assert "En påstand om karbonnøytralitet overfor forretningspartnere" in page
    assert "«netto null»" in page


# ---- Wording, credits and what is never shown --------------------------------------------------

def test_suggested_wording_in_bokmal_and_english(emma: User, client_for: ClientFor, credits: None) -> None:
    page = text(client_for(emma).get(URL))
    serials = ("19385-941467007-941467018-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1, "
               "GS1-1-KE-GS11603-16-2023-30256-110-114")
    # for the 2025 emissions: 12 retired 2025-12-10 and 5 retired 2026-01-15, each date with its credits
    assert ("For utslippene i 2025 har Nordlys Kundesenter AS slettet 17 verifiserte klimakreditter "
            f"(17 t CO2e, afforestation, Verra VCS; cookstoves, Gold Standard, serienummer {serials}; "
            "slettet 12 den 10. desember 2025 og 5 den 15. januar 2026) for å finansiere klimatiltak "
            "utenfor egen verdikjede. De er ikke trukket fra våre rapporterte utslipp.") in page
    assert ("For its 2025 emissions, Nordlys Kundesenter AS retired 17 verified carbon credits (17 t CO2e, "
            f"afforestation, Verra VCS; cookstoves, Gold Standard, serials {serials}; retired 12 on "
            "10 December 2025 and 5 on 15 January 2026) to finance climate action beyond its own value "
            "chain. They are not deducted from our reported emissions.") in page
    assert "I 2025 slettet" not in page and "In 2025 Nordlys Kundesenter AS retired" not in page
    # 55.775 t market-based, 16.784 t location-based, whole tonnes in sentences
    assert "In 2025 Nordlys Kundesenter AS emitted 56 t CO2e (market-based; 17 t location-based)" in page


def test_credits_are_shown_beside_the_emissions_never_netted(alice: User, client_for: ClientFor,
                                                             credits: None) -> None:
    page = text(client_for(alice).get(URL))
    assert "Kreditter rapporteres ved siden av utslippene og trekkes aldri fra dem." in page
    assert "55,8 t CO₂e" in page and "17,0 t CO₂e" in page
    # 55.775 − 17 = 38.775 and 16.784 − 17 = −0.216 appear nowhere
    for netted in ("38,8", "38.8", "38,775", "38.775", "39 t", "−0,2", "-0.2"):
        assert netted not in page


def test_without_credits_the_page_says_so(alice: User, client_for: ClientFor,
                                          year_2025: ReportingYear) -> None:
    page = text(client_for(alice).get(URL))
    assert "Ingen kreditter slettet for 2025." in page
    assert "klimakreditter (" not in page


def test_esrs_counts_credits_cancelled_in_the_year(alice: User, client_for: ClientFor, credits: None) -> None:
    page = text(client_for(alice).get(URL))
    esrs = page[page.index("ESRS E1-7: klimakreditter"):page.index("Telt etter slettedato")]
    # only the 12 Verra removals were cancelled during 2025; the 5 Gold Standard credits in 2026
    assert "Kreditter slettet i 2025 (etter slettedato) 12,0 t CO₂e" in esrs
    assert "– herav for utslippene i 2025 slettet 10. desember 2025 12,0 t CO₂e" in esrs
    assert "Andel fra opptak 100,0 %" in esrs and "Andel verifisert etter Verra VCS 100,0 %" in esrs
    assert "Gold Standard" not in esrs
    # the other figure, labelled apart: 12 + 5 = 17 t cancelled for the 2025 emissions, on both dates
    assert ("Ikke samme tall: kreditter slettet for utslippene i 2025 (uansett når de ble slettet) "
            "slettet 10. desember 2025, 15. januar 2026 17,0 t CO₂e") in esrs


VERRA_1340 = "19385-{start}-{end}-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"


@pytest.fixture
def compensations(nordlys: Organisation, klimapartner: Organisation, year_2025: ReportingYear) -> None:
    """Issue 10's known answer: the 2024 compensation (138 t) retired on 14 March 2025, as the demo's,
    and the 2025 compensation (837 t) retired on 4 December 2026."""
    forest = CreditProject.objects.create(
        owner=klimapartner, registry="verra", registry_project_id="1340", name="Humbo Assisted Regeneration",
        program="Verra VCS", project_type="afforestation", country="ET", kind="removal", ccp_label=True)
    retire(nordlys, forest, serial=VERRA_1340.format(start=941470000, end=941470999),
           identity="verra:VCS-VCU", start=941470000, end=941470999, take=138,
           retired_on=date(2025, 3, 14), kind="removal", for_year=2024)
    retire(nordlys, forest, serial=VERRA_1340.format(start=941480000, end=941480999),
           identity="verra:VCS-VCU", start=941480000, end=941480999, take=837,
           retired_on=date(2026, 12, 4), kind="removal")
    for year in (2024, 2026):
        ReportingYear.objects.create(organisation=nordlys, year=year)


def test_the_copy_text_says_for_which_year_and_when_the_credits_were_retired(
        alice: User, client_for: ClientFor, compensations: None) -> None:
    page = text(client_for(alice).get(URL))
    serials = VERRA_1340.format(start=941480000, end=941480836)  # 941480000 + 837 − 1
    assert ("For utslippene i 2025 har Nordlys Kundesenter AS slettet 837 verifiserte klimakreditter "
            f"(837 t CO2e, afforestation, Verra VCS, serienummer {serials}; slettet 4. desember 2026) for å "
            "finansiere klimatiltak utenfor egen verdikjede.") in page
    assert ("For its 2025 emissions, Nordlys Kundesenter AS retired 837 verified carbon credits (837 t CO2e, "
            f"afforestation, Verra VCS, serials {serials}; retired on 4 December 2026) to finance climate "
            "action beyond its own value chain.") in page
    # the false sentence of the issue: the 837 credits were not retired in 2025, and the 138 credits
    # retired in 2025 were the 2024 compensation
    assert "I 2025 slettet" not in page and "In 2025 Nordlys Kundesenter AS retired" not in page
    assert "138 verifiserte" not in page and "138 verified" not in page


def test_esrs_e1_7_counts_cancellations_in_the_period_apart_from_those_for_the_year(
        alice: User, client_for: ClientFor, compensations: None) -> None:
    def esrs(year: int) -> str:
        page = text(client_for(alice).get(f"/o/nordlys/{year}/claims/"))
        return page[page.index("ESRS E1-7: klimakreditter"):page.index("Telt etter slettedato")]

    # 2025: cancelled in 2025 = 138 (2024's, retired 2025-03-14) + 0 (837 retired 2026-12-04, not in 2025)
    in_2025 = esrs(2025)
    assert "Kreditter slettet i 2025 (etter slettedato) 138,0 t CO₂e" in in_2025
    assert "– herav for utslippene i 2024 slettet 14. mars 2025 138,0 t CO₂e" in in_2025
    assert "herav for utslippene i 2025" not in in_2025
    # cancelled for the 2025 emissions = 837, labelled apart, with its date
    assert ("Ikke samme tall: kreditter slettet for utslippene i 2025 (uansett når de ble slettet) slettet "
            "4. desember 2026 837,0 t CO₂e") in in_2025
    # 2026: cancelled in 2026 = 837 (for 2025, retired 2026-12-04); nothing is for 2026's emissions yet
    in_2026 = esrs(2026)
    assert "Kreditter slettet i 2026 (etter slettedato) 837,0 t CO₂e" in in_2026
    assert "– herav for utslippene i 2025 slettet 4. desember 2026 837,0 t CO₂e" in in_2026
    assert "(uansett når de ble slettet) 0,0 t CO₂e" in in_2026
    # 2024: nothing cancelled in 2024; the 138 t for 2024's emissions were retired on 14 March 2025
    in_2024 = esrs(2024)
    assert "Kreditter slettet i 2024 (etter slettedato) 0,0 t CO₂e" in in_2024
    assert ("Ikke samme tall: kreditter slettet for utslippene i 2024 (uansett når de ble slettet) slettet "
            "14. mars 2025 138,0 t CO₂e") in in_2024


def reserve(nordlys: Organisation, project: CreditProject, *, serial: str, identity: str, start: int,
            end: int, take: int, ordered_on: date, kind: str, for_year: int,
            status: str = CreditBlock.Status.OFFERED) -> None:
    """A block of ``start``–``end`` with its first ``take`` credits reserved for Nordlys's ``for_year``
    under an order placed on ``ordered_on`` and not retired: a planned cancellation."""
    block = CreditBlock.objects.create(
        project=project, registry=project.registry, identity=identity, serial_start=start, serial_end=end,
        quantity=end - start + 1, raw_serial=serial, vintage=2023, kind=kind, status=status)
    order = CompensationOrder.objects.create(client=nordlys, partner=project.owner, reporting_year=for_year,
                                             tonnes=take, idempotency_key=f"reserve-{start}")
    # noon in Oslo: the order's day in the site's time zone (created_at is set on insert)
    CompensationOrder.objects.filter(pk=order.pk).update(
        created_at=datetime.combine(ordered_on, time(12), tzinfo=ZoneInfo("Europe/Oslo")))
    CreditRange.objects.create(block=block, start=start, end=start + take - 1,
                               status=CreditRange.Status.RESERVED, order=order)
    CreditRange.objects.create(block=block, start=start + take, end=end)


@pytest.fixture
def reservations(nordlys: Organisation, credits: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reserved, not retired, on 31 March 2026: 200 Verra VCS removals (Ethiopia) for 2025 ordered
    20 January 2026; 50 Gold Standard reductions (Kenya) for 2026 ordered 2 March 2026; and 30 from a
    block that failed screening (not counted)."""
    monkeypatch.setattr("klimabok.claims.views.claims.today", lambda: date(2026, 3, 31))
    forest = CreditProject.objects.get(registry_project_id="1340")
    stoves = CreditProject.objects.get(registry_project_id="GS11603")
    reserve(nordlys, forest, serial=VERRA_1340.format(start=941500000, end=941500999),
            identity="verra:VCS-VCU", start=941500000, end=941500999, take=200,
            ordered_on=date(2026, 1, 20), kind="removal", for_year=2025)
    reserve(nordlys, stoves, serial="GS1-1-KE-GS11603-16-2023-30256-6000-6999", identity="gs:GS11603",
            start=6000, end=6999, take=50, ordered_on=date(2026, 3, 2), kind="reduction", for_year=2026)
    reserve(nordlys, forest, serial=VERRA_1340.format(start=941600000, end=941600099),
            identity="verra:VCS-VCU", start=941600000, end=941600099, take=30,
            ordered_on=date(2026, 3, 5), kind="removal", for_year=2025, status=CreditBlock.Status.REJECTED)


def test_esrs_e1_7_lists_planned_cancellations_apart(alice: User, client_for: ClientFor,
                                                     reservations: None) -> None:
    """ESRS E1 §59(b): credits "planned to be cancelled in the future" under existing contractual
    agreements — here the credits reserved under Nordlys's orders and not yet retired."""
    page = text(client_for(alice).get(URL))
    cancelled = page[page.index("ESRS E1-7: klimakreditter"):page.index("Telt etter slettedato")]
    planned = page[page.index("Planlagte slettinger:"):page.index("Planlagte slettinger (ESRS E1 §59(b))")]
    # cancelled in 2025 stays the 12 t retired 2025-12-10: reservations are not cancellations
    assert "Kreditter slettet i 2025 (etter slettedato) 12,0 t CO₂e" in cancelled
    assert "250" not in cancelled and "200,0" not in cancelled
    # planned: 200 + 50 = 250 t (the 30 t of the rejected block left out), as of the page's day
    assert "Planlagte slettinger: kreditter reservert, men ennå ikke slettet, per 31. mars 2026" in planned
    assert "Kreditter som er planlagt slettet (reservert under inngåtte bestillinger) 250,0 t CO₂e" in planned
    assert "– herav for utslippene i 2025 bestilt 20. januar 2026 200,0 t CO₂e" in planned
    assert "– herav for utslippene i 2026 bestilt 2. mars 2026 50,0 t CO₂e" in planned
    # shares of the 250 t: removals 200 / 250 = 80 %, reductions 50 / 250 = 20 %; neither in the EU
    # (ET, KE) nor with a corresponding adjustment
    assert "Andel fra opptak 80,0 %" in planned and "Andel fra reduksjoner 20,0 %" in planned
    assert "Andel verifisert etter Verra VCS 80,0 %" in planned
    assert "Andel verifisert etter Gold Standard 20,0 %" in planned
    assert "Andel fra prosjekter i EU 0,0 %" in planned
    assert "Planlagte slettinger (ESRS E1 §59(b)) er kredittene som er reservert for dere" in page

    alice.language = "en"
    alice.save()
    page = text(client_for(alice).get(URL))
    planned = page[page.index("Planned cancellations:"):page.index("Planned cancellations (ESRS E1 §59(b))")]
    assert "Planned cancellations: credits reserved and not yet retired, as of March 31, 2026" in planned
    assert "Credits planned to be cancelled (reserved under existing orders) 250.0 t CO₂e" in planned
    assert "– of which for the 2025 emissions ordered Jan. 20, 2026 200.0 t CO₂e" in planned
    assert "– of which for the 2026 emissions ordered March 2, 2026 50.0 t CO₂e" in planned
    assert "Share from removals 80.0 %" in planned and "Share verified under Gold Standard 20.0 %" in planned
    assert ("Planned cancellations (ESRS E1 §59(b)) are the credits reserved for you under orders placed "
            "with the climate partner and not yet retired") in page


def test_without_reservations_nothing_is_planned(alice: User, client_for: ClientFor, credits: None) -> None:
    page = text(client_for(alice).get(URL))
    planned = page[page.index("Planlagte slettinger:"):page.index("Planlagte slettinger (ESRS E1 §59(b))")]
    assert "Kreditter som er planlagt slettet (reservert under inngåtte bestillinger) 0,0 t CO₂e" in planned
    assert "herav" not in planned and "Andel" not in planned


# ---- ISO 14068-1 and VCMI ----------------------------------------------------------------------

def test_vcmi_tier_for_ccp_credits_with_prerequisites(olga: User, client_for: ClientFor, credits: None,
                                                      year_2025: ReportingYear) -> None:
    record_all(year_2025)
    page = text(client_for(olga).get(URL + "?audience=business"))
    assert "VCMI Carbon Integrity Silver" in page
    assert ("CCP-merkede kreditter slettet for 2025: 12 t, 21 % av de gjenværende utslippene (56 t, "
            "markedsbasert total).") in page
    assert "Nordlys Kundesenter AS fremsetter en VCMI Carbon Integrity Silver-påstand for 2025" in page


def test_no_vcmi_claim_without_prerequisites_says_why(emma: User, client_for: ClientFor,
                                                      credits: None) -> None:
    page = text(client_for(emma).get(URL))
    assert "Ingen VCMI-påstand: forutsetningene er ikke registrert." in page
    assert "et validert vitenskapsbasert mål" in page
    assert "VCMI Carbon Integrity" not in page


def test_iso_checklist_names_what_is_missing(alice: User, client_for: ClientFor, credits: None) -> None:
    page = text(client_for(alice).get(URL))
    assert "17 t slettet for 2025; restutslippene er 56 t." in page
    assert "Ingen styringsplan for karbonnøytralitet registrert." in page  # no target, no measure
    assert "15 av 15 scope 3-kategorier er ikke vurdert: 3.1, 3.2" in page  # nothing screened yet
    assert "Ikke oppfylt" in page


# ---- Prerequisites form ------------------------------------------------------------------------

def test_alice_records_the_prerequisites(alice: User, client_for: ClientFor,
                                         year_2025: ReportingYear) -> None:
    client = client_for(alice)
    form = client.get(URL).content.decode()
    # the SBTi validation, being on track and the reduction plan come from the plan, not from ticks
    assert 'name="public_inventory"' in form and 'name="sbt_validated"' not in form
    assert 'name="on_track"' not in form and 'name="management_plan"' not in form
    response = client.post(PREREQUISITES_URL, {**ALL_RECORDED, "on_track": "on", "audience": "business"})
    assert response.status_code == 302 and response["Location"] == URL + "?audience=business"
    row = ClaimPrerequisites.objects.get(reporting_year=year_2025)
    assert (row.public_inventory, row.claim_verified, row.on_track) == (True, True, False)
    assert row.public_inventory_reference == "https://nordlys.example/klima" and row.updated_by == alice
    page = text(client.get(URL))
    assert "Forutsetningene for 2025 er lagret." in page
    client.post(PREREQUISITES_URL, {"claim_verified": "on"})
    row.refresh_from_db()
    assert (row.public_inventory, row.claim_verified) == (False, True)


def test_petra_the_partner_may_record_them_too(petra: User, client_for: ClientFor,
                                               year_2025: ReportingYear) -> None:
    assert client_for(petra).post(PREREQUISITES_URL, ALL_RECORDED).status_code == 302
    assert ClaimPrerequisites.objects.get(reporting_year=year_2025).public_inventory


def test_emma_may_read_but_not_record(emma: User, carl: User, client_for: ClientFor,
                                      year_2025: ReportingYear) -> None:
    record_all(year_2025)
    page = client_for(emma).get(URL).content.decode()
    assert 'name="public_inventory"' not in page
    assert "https://nordlys.example" not in page and "Vitenskapsbasert mål validert av SBTi" in page
    assert "validert 1. mars 2025" in page and "https://sciencebasedtargets.org/target-dashboard" in page
    for user in (emma, carl):
        assert client_for(user).post(PREREQUISITES_URL, {"claim_verified": "on"}).status_code == 403
    assert not ClaimPrerequisites.objects.get(reporting_year=year_2025).claim_verified


def test_a_too_long_reference_is_refused_with_the_field_named(alice: User, client_for: ClientFor,
                                                              year_2025: ReportingYear) -> None:
    response = client_for(alice).post(PREREQUISITES_URL, {"claim_verified": "on",
                                                           "claim_verified_reference": "x" * 501})
    assert response.status_code == 400
    assert "500" in text(response)
    assert not ClaimPrerequisites.objects.exists()


def test_in_english_the_rules_and_dates_read_in_english(alice: User, client_for: ClientFor, credits: None,
                                                        after_the_ban: None) -> None:
    alice.language = "en"
    alice.save()
    page = text(client_for(alice).get(URL))
    assert "What you may not say" in page and "«klimanøytral» “climate neutral”" in page
    assert "Since 2026-09-27 it is banned to claim toward consumers" in page
    assert "In force since Sept. 27, 2026" in page
    # the suggested wording is still given in both languages
    assert "For utslippene i 2025 har Nordlys Kundesenter AS slettet 17 verifiserte klimakreditter" in page
    assert "For its 2025 emissions, Nordlys Kundesenter AS retired 17 verified carbon credits" in page


def test_more_credits_need_no_more_queries(alice: User, client_for: ClientFor, credits: None,
                                           nordlys: Organisation) -> None:
    client = client_for(alice)
    client.get(URL)
    with CaptureQueriesContext(connection) as two_ranges:
        client.get(URL)
    project = CreditProject.objects.get(registry_project_id="1340")
    for start in (1_000, 2_000, 3_000):
        serial = f"19385-{start}-{start + 99}-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
        retire(nordlys, project, serial=serial, identity="verra:VCS-VCU", start=start, end=start + 99,
               take=10, retired_on=date(2025, 6, 1), kind="removal")
    with CaptureQueriesContext(connection) as five_ranges:
        page = text(client.get(URL))
    # 12 + 5 + 3 × 10
    assert "For utslippene i 2025 har Nordlys Kundesenter AS slettet 47 verifiserte klimakreditter" in page
    assert len(five_ranges) == len(two_ranges)


def test_credits_of_a_block_that_failed_screening_do_not_count(alice: User, client_for: ClientFor,
                                                               nordlys: Organisation, credits: None) -> None:
    """Retired credits of a rejected block (here: 30 t, a 2016 vintage the policy refused) are not counted."""
    project = CreditProject.objects.get(registry_project_id="1340")
    retire(nordlys, project, serial="19385-1000-1099-VCS-VCU-1507-VER-ET-14-1340-01012016-31122016-1",
           identity="verra:VCS-VCU", start=1_000, end=1_099, take=30, retired_on=date(2025, 12, 11),
           kind="removal", status=CreditBlock.Status.REJECTED)
    assert sum(c.tonnes for c in load_retired_credits(nordlys, 2025)) == 17  # 12 + 5, not 47
    assert load_unscreened_tonnes(nordlys, 2025) == 30
    page = text(client_for(alice).get(URL))
    assert "For utslippene i 2025 har Nordlys Kundesenter AS slettet 17 verifiserte klimakreditter" in page
    assert ("Bare kreditter fra blokker som besto klimapartnerens kvalitetskontroll teller med i "
            "påstandene på denne siden.") in page
    assert re.search(r"30(,0)? t CO₂e slettet fra blokker som ikke besto kontrollen, er ikke talt med", page)
