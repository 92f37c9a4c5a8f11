"""The demo: partner Klimapartner AS, clients Nordlys Kundesenter AS and Fjordbakst AS.

:func:`load_demo` replaces the demo organisations and users with fresh ones
(idempotent: running it twice leaves one copy). Nordlys gets a closed,
pinned 2024 account, compensated with 138 t of forest credits retired by the
partner (with its certificate), and an open 2025 one with its general ledger
imported from a SAF-T file (:mod:`klimabok.demo.ledger`: spend-based lines beside
the activity data, which covers electricity, heating, cars and travel; the three
suppliers whose goods the activity data has by weight are excluded with an
override); both Nordlys years have their scope 3 relevance screening (:mod:`klimabok.demo.screening`), and
Nordlys its reduction plan on the closed 2024 (:mod:`klimabok.demo.plan`: targets, eight measures, a
scenario, the annual wheel);
Fjordbakst a little 2025 data, not screened. Everything is written through the inventory and ledger
services and the guided forms, so the demo is made exactly as a user would make
it. Deterministic: the ledger's random generator is seeded, nothing depends on
the clock.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import translation

from klimabok.account import services as account_services
from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation, User
from klimabok.core.engine import Totals
from klimabok.core.scope3_screening import CategoryScreening
from klimabok.core.spend import OverrideTarget
from klimabok.core.spend.double_counting import CoverageMode
from klimabok.demo.activity import (
    FJORDBAKST_FACTS,
    FJORDBAKST_SITES,
    FJORDBAKST_YEARS,
    NORDLYS_FACTS,
    NORDLYS_SITES,
    NORDLYS_YEARS,
    Answers,
)
from klimabok.demo.engagement import load_demo_engagement
from klimabok.demo.ledger import write_demo_saft
from klimabok.demo.ledger_chart import FILENAME as SAFT_FILENAME
from klimabok.demo.ledger_chart import YEAR as LEDGER_YEAR
from klimabok.demo.ledger_chart import excluded_by_hand
from klimabok.demo.people import DEMO_PASSWORD, DEMO_SLUGS, USERS, create_demo_people, remove_demo_people
from klimabok.demo.plan import load_demo_plan, remove_demo_plans
from klimabok.demo.portfolio import load_demo_compensation, load_demo_credits, remove_demo_credits
from klimabok.demo.reports import load_demo_reports
from klimabok.demo.screening import NORDLYS_SCREENING
from klimabok.demo.survey import YEAR as SURVEY_YEAR
from klimabok.demo.survey import load_demo_survey
from klimabok.inventory import services
from klimabok.inventory.entry_kinds import BY_SLUG
from klimabok.inventory.models import ReportingYear, Site
from klimabok.inventory.read_models import catalogue_for
from klimabok.ledger.services import import_saft, set_coverage_rule, set_override

__all__ = ["DEMO_PASSWORD", "SAFT_FILENAME", "USERS", "DemoSummary", "load_demo"]


@dataclass(frozen=True)
class DemoSummary:
    """What was loaded: each organisation's years with their totals (t CO2e)."""

    totals: dict[str, dict[int, Totals]]


def _add_lines(reporting_year: ReportingYear, lines: list[tuple[str, Answers]], sites: list[Site],
               user: User) -> None:
    by_name = {site.name: site.pk for site in sites}
    catalogue = catalogue_for(reporting_year)
    for kind_slug, answers in lines:
        data: dict[str, Any] = {"data_quality": 3, **answers}
        if "site" in data:
            data["site"] = by_name[data["site"]]
        # Unchecked checkboxes are absent from a submitted form.
        data = {k: v for k, v in data.items() if v is not False}
        form = BY_SLUG[kind_slug].form_class(data, catalogue=catalogue, year=reporting_year.year, sites=sites)
        if not form.is_valid():
            raise ValueError(f"demo line {kind_slug} {answers}: {form.errors.as_text()}")
        services.add_entry(reporting_year, form.draft(), user)


def _import_ledger(reporting_year: ReportingYear, user: User) -> None:
    """Generate Nordlys's SAF-T file in a temporary directory and import it (confirmed at once); exclude
    the suppliers whose purchases the activity data has by weight."""
    with tempfile.TemporaryDirectory(prefix="klimabok-demo-") as folder:
        import_saft(reporting_year, write_demo_saft(Path(folder) / SAFT_FILENAME), user)
    for supplier_id, reason in excluded_by_hand():
        set_override(reporting_year, OverrideTarget.SUPPLIER, supplier_id, excluded_reason=reason, user=user)
    # Elhub has every site's metered kWh: they cover all electricity and grid spend (the flights, hotels,
    # taxi, rail, fuel and heat entries name their suppliers instead, so only that spend is excluded).
    set_coverage_rule(reporting_year, "electricity_heat", CoverageMode.ALL,
                      note="Elhub-data for begge lokasjoner: kWh dekker all strøm og nettleie", user=user)


def _build(organisation: Organisation, site_specs: tuple[dict[str, str], ...],
           facts: dict[int, dict[str, str]], years: dict[int, list[tuple[str, Answers]]], user: User,
           close: tuple[int, ...] = (), closer: User | None = None,
           ledger_year: int | None = None,
           screening: tuple[tuple[CategoryScreening, ...], User] | None = None) -> dict[int, Totals]:
    sites = [services.save_site(organisation, name=s["name"], address=s["address"], country=s["country"],
                                floor_area_m2=Decimal(s["floor_area_m2"])) for s in site_specs]
    totals: dict[int, Totals] = {}
    for year, lines in sorted(years.items()):
        reporting_year = services.create_year(organisation, year)
        services.update_year_facts(reporting_year, services.YearFacts(
            fte=Decimal(facts[year]["fte"]), revenue_nok=Decimal(facts[year]["revenue_nok"])))
        _add_lines(reporting_year, lines, sites, user)
        if year == ledger_year:
            _import_ledger(reporting_year, user)
        if screening is not None:  # before closing: a closed year's screening is locked
            account_services.save_scope3_screening(reporting_year, list(screening[0]), screening[1])
        if year in close:
            account_services.close_year(reporting_year, closer or user)
        totals[year] = load_account(reporting_year).totals
    return totals


@transaction.atomic
def load_demo(site_url: str = "http://127.0.0.1:8000") -> DemoSummary:
    """Replace the demo organisations, users and accounts with a fresh copy.

    ``site_url`` is printed on the demo certificate (``KLIMABOK_SITE_URL`` wins when set).
    """
    remove_demo_credits(list(DEMO_SLUGS))
    remove_demo_plans(list(DEMO_SLUGS))
    remove_demo_people()
    organisations = create_demo_people()
    carl = User.objects.get(email="carl@nordlys.example")
    alice = User.objects.get(email="alice@nordlys.example")
    olga = User.objects.get(email="olga@nordlys.example")
    mallory = User.objects.get(email="mallory@fjordbakst.example")
    # Descriptions and details are stored as typed; the forms' labels do not matter here.
    with translation.override("nb"):
        # carl entered the data and imported the 2025 ledger; olga, the sustainability ombudsman,
        # screened the scope 3 categories of both years; alice, the administrator, closed 2024.
        nordlys = _build(organisations["nordlys"], NORDLYS_SITES, NORDLYS_FACTS, NORDLYS_YEARS, carl,
                         close=(2024,), closer=alice, ledger_year=LEDGER_YEAR,
                         screening=(NORDLYS_SCREENING, olga))
        fjordbakst = _build(organisations["fjordbakst"], FJORDBAKST_SITES, FJORDBAKST_FACTS,
                            FJORDBAKST_YEARS, mallory)
        # olga keeps the plan: targets from the closed 2024, eight measures, a scenario, the annual wheel.
        load_demo_plan(organisations["nordlys"], alice, olga, carl)
        # olga's commuting survey of 2025: 180 answers, not used in the account (klimabok.demo.survey)
        load_demo_survey(ReportingYear.objects.get(organisation=organisations["nordlys"], year=SURVEY_YEAR),
                         olga)
    petra = User.objects.get(email="petra@klimapartner.example")
    load_demo_credits(organisations["klimapartner"], petra)
    load_demo_compensation(organisations["nordlys"], alice, petra, site_url=site_url)
    # olga enters the 2025 Miljøfyrtårn figures; alice publishes the public climate page
    load_demo_reports(organisations["nordlys"], alice, olga)
    # olga's news (one from the closed 2024), the employees' suggestions in every status, votes, comments
    with translation.override("nb"):
        load_demo_engagement(organisations["nordlys"], alice, olga, carl,
                             User.objects.get(email="emma@nordlys.example"))
    return DemoSummary(totals={"nordlys": nordlys, "fjordbakst": fjordbakst})
