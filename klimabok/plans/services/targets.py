"""Targets and their base-year recalculations.

A target's base year must be a closed year of the organisation (its figures can no longer move);
``base_t_co2e`` is the base year's emissions on the target's coverage as recorded, and a
recalculation replaces it while :class:`~klimabok.plans.models.TargetRecalculation` keeps both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.inventory.models import ReportingYear
from klimabok.inventory.services import lock_year
from klimabok.plans.models import Target, TargetRecalculation
from klimabok.plans.services.common import Problems, changes, problem, record, refuse_if, snapshot

#: The fields a target's audit event compares.
TARGET_FIELDS = (
    "name",
    "base_calendar_year",
    "target_year",
    "coverage",
    "scope3_categories",
    "scope2_method",
    "metric",
    "reduction_percent",
    "base_t_co2e",
    "ruleset",
    "sbti_validated_on",
    "sbti_evidence_url",
)


@dataclass(frozen=True)
class TargetDraft:
    """A target as entered. ``base_year`` is a reporting year of the organisation (closed)."""

    name: str
    base_year: ReportingYear
    target_year: int
    coverage: str
    reduction_percent: Decimal
    base_t_co2e: Decimal
    scope3_categories: list[int] = field(default_factory=list)
    scope2_method: str = Target.Scope2Method.MARKET
    metric: str = Target.Metric.ABSOLUTE
    ruleset: str = ""
    sbti_validated_on: date | None = None
    sbti_evidence_url: str = ""


def target_problems(organisation: Organisation, draft: TargetDraft, target: Target | None = None) -> Problems:
    """Everything wrong with ``draft``, each with its field (empty: it may be saved)."""
    found: Problems = []
    base = draft.base_year
    if not draft.name.strip():
        found.append(("name", problem(gettext_noop("Give the target a name."))))
    elif (
        Target.objects.filter(organisation=organisation, name__iexact=draft.name.strip())
        .exclude(pk=target.pk if target else 0)
        .exists()
    ):
        found.append(
            (
                "name",
                problem(
                    gettext_noop("There is already a target called “%(name)s”."), name=draft.name.strip()
                ),
            )
        )
    if base.organisation_id != organisation.pk:
        found.append(
            ("base_year", problem(gettext_noop("The base year is not a year of this organisation.")))
        )
    elif not base.is_closed:
        found.append(
            (
                "base_year",
                problem(
                    gettext_noop(
                        "%(year)s is not closed: a base year must be a closed year, so its figures no longer "
                        "move."
                    ),
                    year=base.year,
                ),
            )
        )
    if draft.target_year <= base.year:
        found.append(
            (
                "target_year",
                problem(
                    gettext_noop("The target year (%(target)s) must come after the base year (%(base)s)."),
                    target=draft.target_year,
                    base=base.year,
                ),
            )
        )
    elif draft.target_year > 2100:
        found.append(("target_year", problem(gettext_noop("The target year must be 2100 or earlier."))))
    if not Decimal(0) <= draft.reduction_percent <= Decimal(100):
        found.append(
            (
                "reduction_percent",
                problem(
                    gettext_noop("A reduction is between 0 and 100 %% (not %(value)s %%)."),
                    value=str(draft.reduction_percent),
                ),
            )
        )
    if draft.base_t_co2e < 0:
        found.append(("base_t_co2e", problem(gettext_noop("Base-year emissions cannot be negative."))))
    if draft.coverage not in Target.Coverage.values:
        found.append(("coverage", problem(gettext_noop("Choose what the target covers."))))
    if draft.coverage == Target.Coverage.SCOPE_3:
        if not draft.scope3_categories:
            found.append(
                (
                    "scope3_categories",
                    problem(gettext_noop("A scope 3 target names the categories it covers (1–15).")),
                )
            )
        elif any(not 1 <= c <= 15 for c in draft.scope3_categories):
            found.append(("scope3_categories", problem(gettext_noop("Scope 3 categories are 1 to 15."))))
    if draft.scope2_method not in Target.Scope2Method.values:
        found.append(("scope2_method", problem(gettext_noop("Choose location- or market-based scope 2."))))
    if draft.metric not in Target.Metric.values:
        found.append(("metric", problem(gettext_noop("Choose absolute or an intensity."))))
    if draft.sbti_validated_on is not None and not draft.sbti_evidence_url.strip():
        found.append(
            (
                "sbti_evidence_url",
                problem(
                    gettext_noop(
                        "An SBTi validation is recorded with a link to its evidence (the SBTi's target "
                        "dashboard or letter)."
                    )
                ),
            )
        )
    return found


@transaction.atomic
def save_target(
    organisation: Organisation, draft: TargetDraft, user: User | None, target: Target | None = None
) -> Target:
    """Create a target, or change ``target``; refused field by field, nothing saved on a refusal."""
    if draft.base_year.organisation_id == organisation.pk:
        lock_year(draft.base_year)  # a year reopened a moment ago is not a base year
    refuse_if(target_problems(organisation, draft, target))
    before = snapshot(target, TARGET_FIELDS) if target else None
    row = target or Target(organisation=organisation, created_by=user)
    row.name = draft.name.strip()
    row.base_year, row.base_calendar_year = draft.base_year, draft.base_year.year
    row.target_year, row.coverage = draft.target_year, draft.coverage
    row.scope3_categories = (
        sorted(set(draft.scope3_categories)) if draft.coverage == Target.Coverage.SCOPE_3 else []
    )
    row.scope2_method, row.metric = draft.scope2_method, draft.metric
    row.reduction_percent, row.base_t_co2e = draft.reduction_percent, draft.base_t_co2e
    row.ruleset, row.sbti_validated_on = draft.ruleset.strip(), draft.sbti_validated_on
    row.sbti_evidence_url = draft.sbti_evidence_url.strip()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # the same name, saved a moment ago in another request
        refuse_if(
            [("name", problem(gettext_noop("There is already a target called “%(name)s”."), name=row.name))]
        )
    record(
        row,
        organisation,
        user,
        Kind.PLANS_TARGET_SAVED,
        "target",
        {"created": before is None, "changed": changes(before, snapshot(row, TARGET_FIELDS))},
    )
    return row


@transaction.atomic
def record_recalculation(
    target: Target, new_base_t_co2e: Decimal, reason: str, note: str, user: User | None
) -> TargetRecalculation:
    """Replace the target's base-year value, keeping the old one with the reason (``other`` needs a note)."""
    target.refresh_from_db(from_queryset=Target.objects.select_for_update())
    found: Problems = []
    if new_base_t_co2e < 0:
        found.append(("new_base_t_co2e", problem(gettext_noop("Base-year emissions cannot be negative."))))
    if reason not in TargetRecalculation.Reason.values:
        found.append(("reason", problem(gettext_noop("Choose why the base year is recalculated."))))
    elif reason == TargetRecalculation.Reason.OTHER and not note.strip():
        found.append(("note", problem(gettext_noop("Say what the other reason is."))))
    refuse_if(found)
    recalculation = TargetRecalculation.objects.create(
        target=target,
        old_base_t_co2e=target.base_t_co2e,
        new_base_t_co2e=new_base_t_co2e,
        reason=reason,
        note=note.strip(),
        recorded_by=user,
    )
    target.base_t_co2e = new_base_t_co2e
    target.save(update_fields=["base_t_co2e", "updated_at"])
    record(
        target,
        target.organisation,
        user,
        Kind.PLANS_TARGET_RECALCULATED,
        "target",
        {
            "old_base_t_co2e": recalculation.old_base_t_co2e,
            "new_base_t_co2e": new_base_t_co2e,
            "reason": reason,
            "note": recalculation.note,
        },
    )
    return recalculation
