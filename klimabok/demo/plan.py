"""Nordlys's reduction plan: targets from its closed 2024 account, eight measures, a scenario, the wheel.

Everything goes through the plan's services, as an ombudsman would enter it:

- a 2030 scope 1+2 target (market-based) at the SBTi's 1.5 °C rate, 4.2 % a year from 2024:
  6 × 4.2 % = 25.2 % less by 2030, on the 2024 account's scope 1 + scope 2 market-based tonnes;
- a business-travel target (scope 3.6) of 30 % less by 2030: its own ambition, twice the SBTi's
  well-below-2 °C minimum for scope 3 (2.5 % a year × 6 = 15 %);
- eight measures whose effect the core computes from the 2024 lines (electric cars, guarantees of
  origin for the Drammen office, rail instead of the Bergen flights, fewer flights, a homeworking
  policy, energy efficiency, supplier requirements for IT equipment, waste sorting), in several
  statuses, owned by olga (the ombudsman), carl (a contributor) and alice (the administrator), with
  progress notes;
- the scenario "Plan 2030" with the six decided on (not the energy efficiency still an idea, nor the
  fewer flights), which closes most but not all of the gap to each target; and the annual wheel's
  default tasks.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from klimabok.accounts.models import Organisation, User
from klimabok.core.plan.pathway import RATE_1_5C, RATE_WELL_BELOW_2C
from klimabok.inventory.models import ReportingYear
from klimabok.plans import services
from klimabok.plans.models import Measure, Status, Target
from klimabok.plans.scenarios import closed_year_facts

BASE_YEAR, TARGET_YEAR = 2024, 2030


def _tonnes(lines_kg: float) -> Decimal:
    return Decimal(str(round(lines_kg / 1000, 3)))


def remove_demo_plans(slugs: list[str]) -> None:
    """The demo organisations' targets (they protect their base years, so go before the organisations)."""
    Target.objects.filter(organisation__slug__in=slugs).delete()


def load_demo_plan(nordlys: Organisation, alice: User, olga: User, carl: User) -> None:
    """Targets, measures, notes, a scenario and the annual wheel of Nordlys (its 2024 year is closed)."""
    base = ReportingYear.objects.get(organisation=nordlys, year=BASE_YEAR)
    # the base values as the target form records them: the account's tonnes by scope, market-based (a
    # fuel's well-to-tank part in 3.3, where the plan lines count it too)
    facts = closed_year_facts(base)
    kg = {label: 1000 * facts.emissions_in(label, "market") for label in ("scope_1", "scope_2", "scope_3.6")}
    years = TARGET_YEAR - BASE_YEAR
    services.save_target(nordlys, services.TargetDraft(
        name="Scope 1 og 2: −25,2 % innen 2030", base_year=base, target_year=TARGET_YEAR,
        coverage="scope_1_2", reduction_percent=Decimal(str(round(100 * RATE_1_5C * years, 2))),
        base_t_co2e=_tonnes(kg.get("scope_1", 0.0) + kg.get("scope_2", 0.0)), scope2_method="market",
        ruleset="SBTi Corporate Near-Term Criteria V5.2, 1.5 °C (4,2 %/år)"), olga)
    services.save_target(nordlys, services.TargetDraft(
        name="Forretningsreiser: −30 % innen 2030", base_year=base, target_year=TARGET_YEAR,
        coverage="scope_3", scope3_categories=[6],
        reduction_percent=Decimal(str(round(2 * 100 * RATE_WELL_BELOW_2C * years, 2))),
        base_t_co2e=_tonnes(kg.get("scope_3.6", 0.0)), scope2_method="market",
        ruleset="Egen ambisjon: dobbelt så bratt som SBTi godt under 2 °C (2,5 %/år)"), olga)

    def measure(title: str, kind: str, owner: User, status: str, start: int, **fields: Any) -> Measure:
        draft = services.MeasureDraft(title=title, kind=kind, owner=owner, status=status, start_year=start,
                                      source="demo", **fields)
        return services.save_measure(nordlys, draft, olga)

    cars = measure("Dieselbilene byttes til elbiler", "electric_cars", carl, Status.IN_PROGRESS, 2025,
                   params={"share": 100, "kwh_per_km": 0.19, "litres_per_100_km": 6.5},
                   deadline=date(2026, 6, 30), capex_nok=Decimal(180000), opex_delta_nok=Decimal(-42000),
                   lifetime_years=8, description="Leasingavtalene for de tre dieselbilene går ut i 2026; "
                                                 "to ladepunkter til i garasjen.")
    goo = measure("Opprinnelsesgarantier for Drammen", "guarantees_of_origin", olga, Status.PLANNED, 2026,
                  params={"share": 100}, acts_on=["site:Drammen"], opex_delta_nok=Decimal(5000),
                  lifetime_years=1, deadline=date(2026, 1, 31),
                  description="Hovedkontoret har garantier; Drammen-kontoret kjøper 231 000 kWh uten.")
    rail = measure("Tog i stedet for fly Oslo–Bergen", "rail_instead_of_flights", alice, Status.PLANNED,
                   2026,
                   params={"share": 60, "rail_km_per_flight_km": 1.4}, opex_delta_nok=Decimal(-60000),
                   lifetime_years=1, deadline=date(2026, 3, 1),
                   description="Bergen-turene er 60 av 100 innenlandsreiser; toget for dem som har tid.")
    measure("Færre flyreiser til Europa", "fewer_flights", alice, Status.IDEA, 2026,
                      params={"short_haul_pct": 30, "international_pct": 30, "long_haul_pct": 50},
                      opex_delta_nok=Decimal(-180000), lifetime_years=1,
                      description="Leverandørmøtene i London og Stockholm tas på video annenhver gang.")
    home = measure("Hjemmekontorordning: én dag til hjemme", "homeworking_policy", olga, Status.PLANNED,
                   2026,
                   params={"extra_home_days": 1, "office_days_now": 3, "fte": 368}, lifetime_years=1,
                   deadline=date(2026, 8, 15),
                   description="Avtales med tillitsvalgte; pendlingen ned en tredel.")
    measure("Energieffektivisering av hovedkontoret", "energy_efficiency", olga, Status.IDEA, 2027,
                     params={"pct": 12}, capex_nok=Decimal(650000), opex_delta_nok=Decimal(-95000),
                     lifetime_years=15, ramp_years=2,
                     description="Behovsstyrt ventilasjon og LED; energikartlegging fra Enova-rådgiver.")
    it = measure("Leverandørkrav for IT-utstyr", "generic", carl, Status.PLANNED, 2026,
                 params={"pct": 25}, acts_on=["capital.it_equipment", "goods.it_equipment"],
                 opex_delta_nok=Decimal(15000), lifetime_years=4,
                 description="Krav om EPD og lengre levetid i neste rammeavtale; reparasjon før innkjøp.")
    waste = measure("Bedre kildesortering", "waste_sorting", carl, Status.DONE, 2025,
                    params={"share": 40}, capex_nok=Decimal(25000), opex_delta_nok=Decimal(-8000),
                    lifetime_years=10, deadline=date(2025, 4, 30),
                    description="Nye sorteringsstasjoner i alle etasjer; restavfallet ned to femdeler.")
    services.add_note(cars, "To av tre biler byttet; den siste leveres i juni.", carl)
    services.add_note(waste, "Stasjonene står på plass i alle etasjer; første måling i mai.", carl)
    services.add_note(goo, "Tilbud fra strømleverandøren: 2 øre/kWh.", olga)
    services.save_scenario(
        nordlys, "Plan 2030",
        [(waste, 2025), (cars, 2026), (goo, 2026), (rail, 2026), (home, 2026), (it, 2027)],
        olga, description="Det vi har bestemt; energieffektiviseringen og færre flyreiser står utenfor.")
    services.add_default_tasks(nordlys, olga, owner=olga)
