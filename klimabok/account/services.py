"""Every write to a year's account: closing, reopening and recalculating it.

Closing pins the factor dataset versions the account uses and snapshots its input lines, so the
closed account reads the same later; reopening lets its data change; recalculating re-pins it to
the current factors and explains the change (:mod:`klimabok.core.recalc`). The scope 3 relevance
screening sets the account's boundary (which categories must be in it) and changes only while the
year is open. Each runs in one transaction, and records its event in the audit trail
(``year.closed``, ``year.reopened``, ``year.recalculated``: who, when, the total and the pinned
dataset versions; ``year.scope3_screened``: each category changed, before and after) as that
transaction's last write. User mistakes raise :class:`~klimabok.core.errors.KlimabokError` subclasses whose
message the page shows as it is.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimabok.account.read_models import account_inputs
from klimabok.account.screening import stored_screening
from klimabok.accounts.models import User
from klimabok.audit.kinds import Kind
from klimabok.audit.services import record_event, subject_of
from klimabok.core.engine import (
    AccountResult,
    ActivityLine,
    Totals,
    compute_account,
    rounded,
    to_tonnes_decimal,
)
from klimabok.core.errors import InputError, InputErrors
from klimabok.core.recalc import RecalculationExplained, explain_recalculation
from klimabok.core.scope3_screening import CategoryScreening, Relevance, screening_problems
from klimabok.inventory.catalogues import (
    activity_expansions,
    current_catalogue,
    pin_datasets,
    pinned_catalogue,
    refrigerant_pins,
)
from klimabok.inventory.models import ReportingYear, Scope3Screening
from klimabok.inventory.read_models import load_entry_inputs
from klimabok.inventory.services import InventoryConflict, ensure_open, lock_year


def _snapshot(lines: list[ActivityLine]) -> list[list[Any]]:
    return [[line.activity, repr(line.quantity), line.unit, line.site, line.data_quality] for line in lines]


def _record(reporting_year: ReportingYear, user: User | None, kind: Kind, payload: dict[str, Any]) -> None:
    record_event(organisation=reporting_year.organisation, actor=user, kind=kind,
                 subject=subject_of("year", reporting_year.organisation.slug, reporting_year.year),
                 payload={"year": reporting_year.year, **payload})


def _tonnes(totals: Totals) -> dict[str, Any]:
    """The two totals an event records, in tonnes CO2e to the kg (Decimal: an event holds no float)."""
    return {"location_based": to_tonnes_decimal(totals.total_location),
            "market_based": to_tonnes_decimal(totals.total_market)}


def _from_snapshot(rows: list[list[Any]]) -> list[ActivityLine]:
    return [ActivityLine(activity=a, quantity=float(q), unit=u, site=s, data_quality=int(dq))
            for a, q, u, s, dq in rows]


@transaction.atomic
def close_year(reporting_year: ReportingYear, user: User | None) -> AccountResult:
    """Close the year, pin the factor dataset versions its account uses and archive them.

    From now on the account is computed with exactly those versions, kept in
    the database (a later release that changes the shipped files cannot take
    them away); a year whose entries do not compute cannot be closed (InputErrors).
    """
    lock_year(reporting_year)
    ensure_open(reporting_year)
    lines, catalogue, _parts = account_inputs(reporting_year, load_entry_inputs(reporting_year),
                                              current_catalogue())
    account = compute_account(lines, year=reporting_year.year, catalogue=catalogue,
                              gwp_set=reporting_year.gwp_set)
    reporting_year.status = ReportingYear.Status.CLOSED
    reporting_year.pinned_datasets = pin_datasets(account.datasets, catalogue, user)
    reporting_year.pinned_activities = activity_expansions(catalogue, (line.activity for line in lines))
    reporting_year.pinned_refrigerants = refrigerant_pins(catalogue, account.table.factors)
    reporting_year.closed_lines = _snapshot(lines)
    reporting_year.closed_at = timezone.now()
    reporting_year.closed_by = user
    reporting_year.save()
    _record(reporting_year, user, Kind.YEAR_CLOSED, {
        "total_t_co2e": _tonnes(account.totals), "lines": len(lines),
        "factor_datasets": reporting_year.pinned_refs, "gwp_set": reporting_year.gwp_set})
    return account


@transaction.atomic
def reopen_year(reporting_year: ReportingYear, user: User | None) -> ReportingYear:
    """Reopen a closed year for changes; pins and snapshot stay for a later recalculation."""
    lock_year(reporting_year)
    if not reporting_year.is_closed:
        raise InventoryConflict(_("%(year)s is already open.") % {"year": reporting_year.year})
    reporting_year.status = ReportingYear.Status.OPEN
    reporting_year.save()
    _record(reporting_year, user, Kind.YEAR_REOPENED,
            {"factor_datasets": reporting_year.pinned_refs})
    return reporting_year


def explanation_to_json(explained: RecalculationExplained, user: User | None) -> dict[str, Any]:
    """What the year page shows of a recalculation, as JSON (tonnes rounded to whole kg)."""
    return {
        "at": timezone.now().isoformat(), "by": str(user) if user else "",
        "old": explained.old.to_dict(), "new": explained.new.to_dict(),
        "factor_change": explained.factor_change.to_dict(), "data_change": explained.data_change.to_dict(),
        "by_category": {label: {"old": rounded(c.old), "new": rounded(c.new),
                                "factor_change": rounded(c.factor_change),
                                "data_change": rounded(c.data_change)}
                        for label, c in explained.by_category.items()},
        "old_datasets": list(explained.old_datasets), "new_datasets": list(explained.new_datasets),
    }


@transaction.atomic
def recalculate_with_current_factors(reporting_year: ReportingYear,
                                     user: User | None) -> RecalculationExplained:
    """Recompute the year with the current catalogue, re-pin it, and explain the change.

    The explicit way a closed account may change. "Before" is the account as
    last closed (its lines × its pinned factors); "after" is today's entries ×
    today's factors; :mod:`klimabok.core.recalc` splits the difference into
    factor change and data change. A closed year stays closed, now pinned to
    the current datasets.
    """
    lock_year(reporting_year)
    if not reporting_year.pinned_datasets or reporting_year.closed_lines is None:
        raise InventoryConflict(_("%(year)s has never been closed: it already uses the current factors.")
                                % {"year": reporting_year.year})
    old = compute_account(_from_snapshot(reporting_year.closed_lines), year=reporting_year.year,
                          catalogue=pinned_catalogue(reporting_year.pinned_datasets,
                                                     reporting_year.pinned_activities,
                                                     reporting_year.pinned_refrigerants),
                          gwp_set=reporting_year.gwp_set)
    old_refs = reporting_year.pinned_refs
    lines, catalogue, _parts = account_inputs(reporting_year, load_entry_inputs(reporting_year),
                                              current_catalogue())
    explained = explain_recalculation(old, new_catalogue=catalogue, new_lines=lines,
                                      gwp_set=reporting_year.gwp_set)
    explained = replace(explained, new_datasets=tuple(pin_datasets(explained.new_datasets, catalogue, user)))
    reporting_year.pinned_datasets = list(explained.new_datasets)
    reporting_year.pinned_activities = activity_expansions(catalogue, (line.activity for line in lines))
    reporting_year.pinned_refrigerants = refrigerant_pins(catalogue, explained.new_account.table.factors)
    reporting_year.closed_lines = _snapshot(lines)
    # The refrigerant compositions count among the factors: a table pinned now (or edited) is shown
    # as what changed the factors, beside the datasets.
    reporting_year.last_recalculation = {**explanation_to_json(explained, user),
                                         "old_datasets": old_refs, "new_datasets": reporting_year.pinned_refs}
    reporting_year.save()
    _record(reporting_year, user, Kind.YEAR_RECALCULATED, {
        "old_total_t_co2e": _tonnes(explained.old), "new_total_t_co2e": _tonnes(explained.new),
        "factor_change_t_co2e": _tonnes(explained.factor_change),
        "data_change_t_co2e": _tonnes(explained.data_change),
        "old_datasets": old_refs, "new_datasets": reporting_year.pinned_refs})
    return explained


# --- The scope 3 relevance screening ---------------------------------------------------------------

def _screening_json(screening: CategoryScreening) -> dict[str, Any]:
    return {"relevance": screening.relevance.value,
            "criterion": screening.criterion.value if screening.criterion else None,
            "reason": screening.reason}


@transaction.atomic
def save_scope3_screening(reporting_year: ReportingYear, screening: list[CategoryScreening],
                          user: User | None) -> list[int]:
    """Record the scope 3 relevance screening of ``screening``'s categories; the categories changed.

    A category set back to not screened loses its row. Refused with nothing saved: any category
    that breaks the rules of :func:`klimabok.core.scope3_screening.screening_problems`
    (``InputErrors``, row = category number, field = criterion or reason) and a closed year
    (``YearClosed``, checked under the year's lock, so a close in between is seen: closing locks the
    screening with the account). Every change is one ``year.scope3_screened`` event naming each
    changed category before and after; saving the same screening again records nothing.
    """
    problems = [InputError(problem, row=item.category, field=field)
                for item in screening for field, problem in screening_problems(item)]
    if problems:
        raise InputErrors(problems)
    lock_year(reporting_year)
    ensure_open(reporting_year)
    stored = {row.category: row for row in Scope3Screening.objects.filter(reporting_year=reporting_year)}
    changes: list[dict[str, Any]] = []
    for given in sorted(screening, key=lambda s: s.category):
        item = (CategoryScreening(given.category) if given.relevance is Relevance.NOT_SCREENED
                else replace(given, reason=given.reason.strip()))
        row = stored.get(item.category)
        before = stored_screening(row) if row else CategoryScreening(item.category)
        if before == item:
            continue
        if row is not None and item.relevance is Relevance.NOT_SCREENED:
            row.delete()
        elif item.criterion is not None:
            row = row or Scope3Screening(reporting_year=reporting_year, category=item.category)
            row.relevance, row.criterion, row.reason = item.relevance.value, item.criterion.value, item.reason
            row.updated_by = user
            row.save()
        changes.append({"category": item.category, "before": _screening_json(before),
                        "after": _screening_json(item)})
    if changes:
        _record(reporting_year, user, Kind.YEAR_SCOPE3_SCREENED, {"changes": changes})
    return [change["category"] for change in changes]
