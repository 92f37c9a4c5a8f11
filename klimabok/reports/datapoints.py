"""VSME B3/C3 and ESRS E1 datapoints of a year: what they read (loaded once), the ESRS XLSX, and the
VSME template's configured path.

- :func:`load_year_facts` — the year's account (its entries, spend, pinned factors: the account page's
  figures), the energy of its electricity, heating and fuel entries (with the kWh guarantees of origin
  cover), revenue, the plan's targets and measures, assembled into the core's
  :class:`~klimabok.core.report.vsme.YearFacts`.
- :func:`load_esrs` — that and the scope 3 screening and the credits cancelled in the year (E1-7, the
  claims page's figures).
- :func:`vsme_template` — the EFRAG VSME digital template 1.3.0 is not shipped (0.8 MB; MIT, EFRAG):
  ``settings.VSME_TEMPLATE`` or the environment's ``KLIMABOK_VSME_TEMPLATE`` names the file; without
  it the VSME XLSX is not offered (the JSON always is).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from klimabok.account.exports import neutralise
from klimabok.account.read_models import load_year_overview
from klimabok.account.screening import load_screening
from klimabok.claims.read_models import load_planned_credits, load_retired_credits
from klimabok.core.claims import Audience, ClaimsInput, Prerequisites, esrs_e1_7
from klimabok.core.engine.result import to_tonnes_decimal
from klimabok.core.errors import InputError, UnitError
from klimabok.core.report.esrs import EsrsReport, assemble
from klimabok.core.report.vsme import EnergyUse, TargetFacts, YearFacts, energy
from klimabok.core.units import conversion_factor
from klimabok.inventory.guarantees import GOO_SUFFIX, goo_volume
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.plans.models import Measure, Status, Target

#: measures that are the main actions toward the targets (VSME C3): planned, under way or done
MAIN_ACTION_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.DONE)


def vsme_template() -> Path | None:
    """The configured VSME template file, None when none is configured or it is not there."""
    configured = getattr(settings, "VSME_TEMPLATE", None) or os.environ.get("KLIMABOK_VSME_TEMPLATE")
    if not configured:
        return None
    path = Path(configured)
    return path if path.is_file() else None


def _kwh(entry: ActivityEntry) -> EnergyUse:
    try:
        factor = Decimal(str(conversion_factor(entry.unit, "kWh")))
    except UnitError:
        return EnergyUse(entry.activity, None)
    kwh = entry.quantity * factor
    if entry.activity.endswith(GOO_SUFFIX):
        return EnergyUse(entry.activity, kwh, kwh)
    covered = goo_volume(entry.details)
    return EnergyUse(entry.activity, kwh, covered * factor if covered else Decimal(0))


@dataclass(frozen=True)
class LoadedFacts:
    facts: YearFacts | None
    #: why the account cannot be computed (then ``facts`` is None)
    problems: list[InputError]
    #: whether the account has any line (a year with none has nothing to report)
    has_lines: bool = False


def load_year_facts(reporting_year: ReportingYear) -> LoadedFacts:
    overview = load_year_overview(reporting_year)
    account = overview.account
    if account is None:
        return LoadedFacts(None, overview.problems)
    organisation = reporting_year.organisation
    totals = account.totals
    categories = {
        int(key.split(".", 1)[1]): to_tonnes_decimal(t)
        for key, t in account.by_category().items()
        if key.startswith("scope_3.")
    }
    targets = tuple(
        TargetFacts(t.name, t.coverage, t.scope2_method, t.metric, t.base_calendar_year, t.target_year,
                    t.base_t_co2e, t.reduction_percent, tuple(t.scope3_categories))
        for t in Target.objects.filter(organisation=organisation)
    )
    actions = tuple(
        Measure.objects.filter(organisation=organisation, status__in=MAIN_ACTION_STATUSES)
        .order_by("start_year", "title").values_list("title", flat=True)
    )
    facts = YearFacts(
        organisation=organisation.legal_name or organisation.name,
        org_number=organisation.org_number,
        year=reporting_year.year,
        closed=reporting_year.is_closed,
        scope_1=to_tonnes_decimal(totals.scope_1),
        scope_2_location=to_tonnes_decimal(totals.scope_2_location),
        scope_2_market=to_tonnes_decimal(totals.scope_2_market),
        scope_3=to_tonnes_decimal(totals.scope_3),
        energy=energy([_kwh(e) for e in overview.entries]),
        revenue=reporting_year.revenue_nok,
        identifier_scheme=organisation.identifier_scheme,
        identifier=organisation.identifier,
        scope_3_by_category=categories,
        biogenic_co2_t=to_tonnes_decimal(account.biogenic_co2_t),
        targets=targets,
        main_actions=actions,
    )
    return LoadedFacts(facts, [], has_lines=len(account.columns) > 0)


def load_esrs(reporting_year: ReportingYear,
              loaded: LoadedFacts | None = None) -> tuple[EsrsReport | None, list[InputError]]:
    """The year's ESRS E1 report, from its facts (``loaded``, when the caller has them already)."""
    loaded = loaded or load_year_facts(reporting_year)
    if loaded.facts is None:
        return None, loaded.problems
    organisation = reporting_year.organisation
    claims = ClaimsInput(
        organisation.legal_name or organisation.name,
        reporting_year.year,
        None,
        load_retired_credits(organisation, reporting_year.year),
        Prerequisites(),
        Audience.BUSINESS,
        timezone.localdate(),
        planned=load_planned_credits(organisation),
    )
    report = assemble(loaded.facts, load_screening(reporting_year), esrs_e1_7(claims),
                      claims.credits_cancelled_in_year)
    return report, []


# --- The ESRS XLSX --------------------------------------------------------------------------------------


def _cell(sheet: WriteOnlyWorksheet, value: object, *, bold: bool = False) -> Any:
    if isinstance(value, Decimal):
        value = float(value)
    elif isinstance(value, str):
        value = neutralise(value)
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
    if bold:
        cell.font = Font(bold=True)
    return cell


def esrs_xlsx(report: EsrsReport, title: str, draft_banner: str) -> bytes:
    """One sheet: the title, a draft banner for an open year, then a row per datapoint with its reference."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("ESRS E1")
    for column, width in zip("ABCDEFG", (10, 20, 46, 28, 18, 20, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([_cell(sheet, title, bold=True)])
    if report.draft:
        sheet.append([_cell(sheet, draft_banner, bold=True)])
    sheet.append([])
    header = (_("Disclosure"), _("Reference"), _("Datapoint"), _("Detail"), _("Value"), _("Unit"))
    sheet.append([_cell(sheet, h, bold=True) for h in header])
    for p in report.datapoints:
        sheet.append([_cell(sheet, v) for v in (p.disclosure, p.reference, p.key, p.detail, p.value, p.unit)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
