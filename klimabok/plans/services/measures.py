"""Goals and measures: saving them, their status, and the progress notes on a measure.

A measure's ``kind`` and ``params`` are checked against the core's catalogue
(:mod:`klimabok.plans.catalogue`); its costs against what a plan can sensibly hold
(:data:`~klimabok.plans.models.MAX_CAPEX_NOK`, a discount rate of 0–30 %, a lifetime of at least a
year); the lines it acts on against the organisation's own activity data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.core.spend.tables import categories as spend_categories
from klimabok.inventory.models import ActivityEntry, Site
from klimabok.plans import catalogue
from klimabok.plans.models import (
    FIRST_START_YEAR,
    MAX_CAPEX_NOK,
    MAX_DISCOUNT_RATE_PERCENT,
    Goal,
    Measure,
    MeasureNote,
    Status,
)
from klimabok.plans.services.common import Problems, changes, is_member, problem, record, refuse_if, snapshot

GOAL_FIELDS = ("title", "description", "owner", "deadline", "status", "dropped_reason")
MEASURE_FIELDS = (
    "title",
    "description",
    "kind",
    "params",
    "owner",
    "deadline",
    "status",
    "dropped_reason",
    "start_year",
    "ramp_years",
    "capex_nok",
    "opex_delta_nok",
    "lifetime_years",
    "discount_rate_percent",
    "acts_on",
    "source",
    "source_ref",
)
#: A spend category in ``Measure.acts_on``: "spend.<category key>", as the core's lines name it.
SPEND_PREFIX = "spend."
#: A site of the organisation in ``Measure.acts_on``: "site:<name>" (the measure acts on that site's lines).
SITE_PREFIX = "site:"


def _status_problems(status: str, dropped_reason: str) -> Problems:
    if status not in Status.values:
        return [("status", problem(gettext_noop("Choose a status.")))]
    if status == Status.DROPPED and not dropped_reason.strip():
        return [("dropped_reason", problem(gettext_noop("Say why it is dropped.")))]
    return []


def _owner_problems(organisation: Organisation, owner: User | None) -> Problems:
    if owner is not None and not is_member(owner, organisation):
        return [
            (
                "owner",
                problem(
                    gettext_noop("%(name)s is not a member of %(organisation)s."),
                    name=str(owner),
                    organisation=organisation.name,
                ),
            )
        ]
    return []


# --- Goals -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalDraft:
    title: str
    description: str = ""
    owner: User | None = None
    deadline: date | None = None
    status: str = Status.PLANNED
    dropped_reason: str = ""


@transaction.atomic
def save_goal(
    organisation: Organisation, draft: GoalDraft, user: User | None, goal: Goal | None = None
) -> Goal:
    """Create a goal of the organisation's own, or change ``goal``; refused field by field."""
    found: Problems = []
    if not draft.title.strip():
        found.append(("title", problem(gettext_noop("Give the goal a title."))))
    found += _owner_problems(organisation, draft.owner) + _status_problems(draft.status, draft.dropped_reason)
    refuse_if(found)
    before = snapshot(goal, GOAL_FIELDS) if goal else None
    row = goal or Goal(organisation=organisation, created_by=user)
    row.title, row.description = draft.title.strip(), draft.description.strip()
    row.owner, row.deadline, row.status = draft.owner, draft.deadline, draft.status
    row.dropped_reason = draft.dropped_reason.strip() if draft.status == Status.DROPPED else ""
    row.save()
    moved = changes(before, snapshot(row, GOAL_FIELDS))
    if moved:
        record(
            row,
            organisation,
            user,
            Kind.PLANS_GOAL_SAVED,
            "goal",
            {"created": before is None, "changed": moved},
        )
    return row


# --- Measures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureDraft:
    """A measure as entered: money in NOK (``opex_delta_nok`` a year, negative = a saving)."""

    title: str
    kind: str
    start_year: int
    params: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    owner: User | None = None
    deadline: date | None = None
    status: str = Status.IDEA
    dropped_reason: str = ""
    ramp_years: int = 0
    capex_nok: Decimal = Decimal(0)
    opex_delta_nok: Decimal = Decimal(0)
    lifetime_years: int = 10
    discount_rate_percent: Decimal = Decimal(4)
    acts_on: list[str] = field(default_factory=list)
    source: str = Measure.Source.MANUAL
    source_ref: str = ""


def _acts_on_problems(organisation: Organisation, acts_on: list[str]) -> Problems:
    """Lines that are not in the organisation's account: an activity key (or its start) it never entered,
    ``spend.<category>`` of no spend category, a scope label the core does not know (``scope_3.6``)."""
    if not acts_on:
        return []
    activities = set(
        ActivityEntry.objects.filter(reporting_year__organisation=organisation)
        .values_list("activity", flat=True)
        .distinct()
    )
    spend = [category.key for category in spend_categories()]
    sites = set(Site.objects.filter(organisation=organisation).values_list("name", flat=True))
    unknown = []
    for line in acts_on:
        if line.startswith(SITE_PREFIX):
            known = line.removeprefix(SITE_PREFIX) in sites
        elif line.startswith("scope_"):
            known = line in catalogue.SCOPE_LABELS
        elif line.startswith(SPEND_PREFIX):
            known = any(key.startswith(line.removeprefix(SPEND_PREFIX)) for key in spend)
        else:
            known = any(activity.startswith(line) for activity in activities)
        if not known:
            unknown.append(line)
    if unknown:
        return [
            (
                "acts_on",
                problem(
                    gettext_noop(
                        "No line of the account matches %(lines)s: name activities the organisation has "
                        "entered (a key such as fuel.diesel, or its start), spend.<category>, a scope "
                        "(scope_1, scope_2, scope_3.6) or a site (site:<name>)."
                    ),
                    lines=", ".join(unknown),
                ),
            )
        ]
    return []


def measure_problems(organisation: Organisation, draft: MeasureDraft) -> Problems:
    """Everything wrong with ``draft``, each with its field (``params.<name>`` for a parameter)."""
    found: Problems = []
    if not draft.title.strip():
        found.append(("title", problem(gettext_noop("Give the measure a title."))))
    if not catalogue.is_kind(draft.kind):
        found.append(
            ("kind", problem(gettext_noop("“%(kind)s” is not a measure in the catalogue."), kind=draft.kind))
        )
    else:
        found += [
            (f"params.{name}", text) for name, text in catalogue.param_problems(draft.kind, draft.params)
        ]
    found += _owner_problems(organisation, draft.owner) + _status_problems(draft.status, draft.dropped_reason)
    if not FIRST_START_YEAR <= draft.start_year <= 2100:
        found.append(("start_year", problem(gettext_noop("The start year is between 2000 and 2100."))))
    if not 0 <= draft.ramp_years <= 30:
        found.append(("ramp_years", problem(gettext_noop("The ramp-up takes 0 to 30 years."))))
    if draft.capex_nok < 0:
        found.append(
            (
                "capex_nok",
                problem(
                    gettext_noop(
                        "A one-off cost cannot be negative; enter a saving as a negative yearly cost."
                    )
                ),
            )
        )
    elif draft.capex_nok > MAX_CAPEX_NOK:
        found.append(
            (
                "capex_nok",
                problem(
                    gettext_noop(
                        "A one-off cost over 10 000 000 000 NOK is more likely a typing slip: check the "
                        "amount."
                    )
                ),
            )
        )
    if abs(draft.opex_delta_nok) > MAX_CAPEX_NOK:
        found.append(
            (
                "opex_delta_nok",
                problem(
                    gettext_noop(
                        "A yearly cost or saving over 10 000 000 000 NOK is more likely a typing slip: check "
                        "the amount."
                    )
                ),
            )
        )
    if draft.lifetime_years < 1:
        found.append(("lifetime_years", problem(gettext_noop("A measure lasts at least one year."))))
    elif draft.lifetime_years > 100:
        found.append(("lifetime_years", problem(gettext_noop("A lifetime over 100 years is not credible."))))
    if not Decimal(0) <= draft.discount_rate_percent <= MAX_DISCOUNT_RATE_PERCENT:
        found.append(
            (
                "discount_rate_percent",
                problem(
                    gettext_noop("The discount rate is between 0 and 30 %% a year (not %(value)s %%)."),
                    value=str(draft.discount_rate_percent),
                ),
            )
        )
    if draft.source not in Measure.Source.values:
        found.append(("source", problem(gettext_noop("Unknown source of the measure."))))
    found += _acts_on_problems(organisation, draft.acts_on)
    return found


@transaction.atomic
def save_measure(
    organisation: Organisation, draft: MeasureDraft, user: User | None, measure: Measure | None = None
) -> Measure:
    """Create a measure, or change ``measure``; refused field by field, nothing saved on a refusal."""
    refuse_if(measure_problems(organisation, draft))
    before = snapshot(measure, MEASURE_FIELDS) if measure else None
    row = measure or Measure(organisation=organisation, created_by=user)
    row.title, row.description, row.kind = draft.title.strip(), draft.description.strip(), draft.kind
    row.params = dict(draft.params)
    row.owner, row.deadline, row.status = draft.owner, draft.deadline, draft.status
    row.dropped_reason = draft.dropped_reason.strip() if draft.status == Status.DROPPED else ""
    row.start_year, row.ramp_years = draft.start_year, draft.ramp_years
    row.capex_nok, row.opex_delta_nok = draft.capex_nok, draft.opex_delta_nok
    row.lifetime_years, row.discount_rate_percent = draft.lifetime_years, draft.discount_rate_percent
    row.acts_on = [line.strip() for line in draft.acts_on if line.strip()]
    row.source, row.source_ref = draft.source, draft.source_ref.strip()
    row.save()
    moved = changes(before, snapshot(row, MEASURE_FIELDS))
    if moved:
        record(
            row,
            organisation,
            user,
            Kind.PLANS_MEASURE_SAVED,
            "measure",
            {"created": before is None, "changed": moved},
        )
    return row


@transaction.atomic
def set_measure_status(measure: Measure, status: str, dropped_reason: str, user: User | None) -> Measure:
    """Move a measure to ``status`` (what its owner may do without edit rights); ``dropped`` needs a
    reason."""
    measure.refresh_from_db(from_queryset=Measure.objects.select_for_update())
    refuse_if(_status_problems(status, dropped_reason))
    before = snapshot(measure, ("status", "dropped_reason"))
    measure.status = status
    measure.dropped_reason = dropped_reason.strip() if status == Status.DROPPED else ""
    measure.save(update_fields=["status", "dropped_reason", "updated_at"])
    moved = changes(before, snapshot(measure, ("status", "dropped_reason")))
    if moved:
        record(
            measure,
            measure.organisation,
            user,
            Kind.PLANS_MEASURE_SAVED,
            "measure",
            {"created": False, "changed": moved},
        )
    return measure


@transaction.atomic
def add_note(measure: Measure, text: str, user: User | None) -> MeasureNote:
    """A dated progress note on ``measure`` by ``user``."""
    refuse_if([("text", problem(gettext_noop("Write the note first.")))] if not text.strip() else [])
    note = MeasureNote.objects.create(measure=measure, text=text.strip(), author=user)
    record(
        measure,
        measure.organisation,
        user,
        Kind.PLANS_MEASURE_NOTE_ADDED,
        "measure",
        {"note": note.pk, "text": note.text},
    )
    return note
