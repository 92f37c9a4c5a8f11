"""Writes of the reports app: a year's Miljøfyrtårn figures and the public page's opt-in, each audited.

Both are small settings, not part of a closed account, so a closed year's figures may still be entered
(the report is written after the year is closed, by 1 April). Every change records one event with what
changed as ``{field: [old, new]}`` (values as strings: the trail refuses floats); saving the same values
again records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.audit.services import record_event
from klimabok.inventory.models import ReportingYear

from .models import MiljofyrtarnFigures, PublicPage


@dataclass(frozen=True)
class FiguresDraft:
    """The form's cleaned values: every figure optional; own indicators as (name, unit, value)."""

    sick_leave_percent: Decimal | None = None
    normal_degree_days: Decimal | None = None
    actual_degree_days: Decimal | None = None
    heating_share_percent: Decimal | None = None
    own_indicators: list[tuple[str, str, Decimal]] = field(default_factory=list)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _stored(row: MiljofyrtarnFigures) -> dict[str, Any]:
    return {
        "sick_leave_percent": _text(row.sick_leave_percent),
        "normal_degree_days": _text(row.normal_degree_days),
        "actual_degree_days": _text(row.actual_degree_days),
        "heating_share_percent": _text(row.heating_share_percent),
        "own_indicators": list(row.own_indicators),
    }


@transaction.atomic
def save_miljofyrtarn_figures(
    reporting_year: ReportingYear, draft: FiguresDraft, user: User
) -> MiljofyrtarnFigures:
    """Store the year's entered figures (one row a year) and record what changed in the audit trail."""
    row, created = MiljofyrtarnFigures.objects.select_for_update().get_or_create(
        reporting_year=reporting_year
    )
    before = _stored(row)
    row.sick_leave_percent = draft.sick_leave_percent
    row.normal_degree_days = draft.normal_degree_days
    row.actual_degree_days = draft.actual_degree_days
    row.heating_share_percent = draft.heating_share_percent
    row.own_indicators = [
        {"name": name, "unit": unit, "value": _text(value)} for name, unit, value in draft.own_indicators
    ]
    after = _stored(row)
    changed = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if not changed and not created:
        return row
    row.updated_by = user
    row.save()
    if changed:
        organisation = reporting_year.organisation
        record_event(
            organisation=organisation,
            actor=user,
            kind=Kind.REPORTS_MILJOFYRTARN_FIGURES_SAVED,
            subject=f"miljofyrtarn:{organisation.slug}/{reporting_year.year}",
            payload={"year": reporting_year.year, "changed": changed},
        )
    return row


@transaction.atomic
def set_public_page(organisation: Organisation, enabled: bool, user: User) -> PublicPage:
    """Turn the organisation's public climate page on or off (audited when it changes)."""
    page, _created = PublicPage.objects.select_for_update().get_or_create(organisation=organisation)
    if page.enabled == enabled and not _created:
        return page
    was = page.enabled
    page.enabled = enabled
    page.changed_by = user
    page.save()
    if was != enabled:
        record_event(
            organisation=organisation,
            actor=user,
            kind=Kind.REPORTS_PUBLIC_PAGE_CHANGED,
            subject=f"public_page:{organisation.slug}",
            payload={"enabled": enabled},
        )
    return page
