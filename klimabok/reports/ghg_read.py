"""What the GHG inventory report and the board summary read, loaded once (issue 13 §1, §4, §5).

The year's account with the catalogue that valued it (a closed year's pinned datasets), the previous
year's account (for a closed year only when that year is closed too: an open year's lines still
change, and a closed year's report must not), the scope 3 screening, the plan's targets and
unfinished measures, the credits retired for the year. The content is assembled by
:func:`klimabok.core.report.ghg_inventory.assemble`; nothing here reads "today" for a closed year:
its report is dated the day it was closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from klimabok.account.read_models import load_account, load_year_account
from klimabok.account.screening import load_screening
from klimabok.claims.read_models import load_plan, load_retired_credits
from klimabok.core.engine import AccountResult
from klimabok.core.errors import KlimabokError
from klimabok.core.report.ghg_inventory import InventoryReport, NextStep, ReportInput, TargetInput, assemble
from klimabok.inventory.models import ReportingYear, Site
from klimabok.inventory.read_models import activity_name, previous_year, year_floor_area
from klimabok.plans.models import Measure, Status


def report_date(reporting_year: ReportingYear) -> date:
    """The report's date: the day a closed year was closed (fixed), else today (a draft)."""
    if reporting_year.is_closed and reporting_year.closed_at is not None:
        return timezone.localtime(reporting_year.closed_at).date()
    return timezone.localdate()


def _previous(reporting_year: ReportingYear) -> AccountResult | None:
    earlier = previous_year(reporting_year)
    if earlier is None or (reporting_year.is_closed and not earlier.is_closed):
        return None
    try:
        return load_account(earlier)
    except KlimabokError:
        return None


def _targets(reporting_year: ReportingYear) -> tuple[TargetInput, ...]:
    out = []
    for standing in load_plan(reporting_year.organisation, reporting_year.year).standings:
        target, progress = standing.target, standing.progress
        out.append(TargetInput(
            name=target.name, coverage=target.coverage, base_year=target.base_calendar_year,
            target_year=target.target_year, reduction_percent=target.reduction_percent,
            progress_year=progress.year if progress else None,
            change_percent=round(100 * progress.change, 1) if progress else None,
            required_percent=round(100 * progress.required, 1) if progress else None,
            on_track=progress.on_track if progress else None))
    return tuple(out)


def _next_steps(reporting_year: ReportingYear) -> tuple[NextStep, ...]:
    measures = (Measure.objects.filter(organisation_id=reporting_year.organisation_id,
                                       status__in=[Status.PLANNED, Status.IN_PROGRESS])
                .select_related("owner").order_by("deadline", "title"))
    return tuple(NextStep(m.title, str(Status(m.status).label), str(m.owner or ""), m.deadline)
                 for m in measures)


@dataclass(frozen=True)
class GhgReportPage:
    report: InventoryReport
    #: activity key → its name in the active language, for the activities the report names
    activity_names: dict[str, str]


def load_inventory_report(reporting_year: ReportingYear) -> GhgReportPage:
    """The year's GHG inventory report (raises the account's KlimabokError if it cannot be computed)."""
    organisation = reporting_year.organisation
    kept = load_year_account(reporting_year)  # kept per data revision, as the account page's
    account, catalogue = kept.account, kept.catalogue
    sites = list(Site.objects.filter(organisation_id=organisation.pk))
    floor = year_floor_area(reporting_year, sites)
    revenue = reporting_year.revenue_nok
    report = assemble(ReportInput(
        organisation=organisation.legal_name or organisation.name,
        org_number=organisation.org_number,
        year=reporting_year.year,
        closed=reporting_year.is_closed,
        made_on=report_date(reporting_year),
        consolidation=organisation.consolidation,
        account=account,
        catalogue=catalogue,
        previous=_previous(reporting_year),
        screening=load_screening(reporting_year),
        targets=_targets(reporting_year),
        credits=load_retired_credits(organisation, reporting_year.year),
        next_steps=_next_steps(reporting_year),
        fte=float(reporting_year.fte) if reporting_year.fte else None,
        revenue_mnok=float(revenue) / 1_000_000 if revenue else None,
        floor_area_m2=float(floor) if floor else None,
    ))
    names = {s.activity: activity_name(catalogue, s.activity) for s in report.largest_sources}
    return GhgReportPage(report, names)
