"""What the plan pages, the reminders and other apps read: loaded once per page, no writes.

- :func:`measure_list` — measures with their owners, filtered by status and owner;
- :func:`measure_page` — one measure with its notes, evidence and history (its audit events);
- :func:`wheel_year` — the annual wheel of one year, each task due, late or done;
- :func:`late_items` — measures, goals and wheel tasks past their date and not done;
- :func:`moved_since` — what changed in the plan since a moment, from the audit trail (who, when, what);
- :func:`targets_of` — the organisation's targets with their recalculations (for the next pages).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet

from klimabok.accounts.models import Organisation, User
from klimabok.audit.models import Event
from klimabok.plans.models import (
    OPEN_STATUSES,
    Goal,
    Measure,
    MeasureEvidence,
    MeasureNote,
    Target,
    WheelCompletion,
    WheelTask,
)

#: The audit kinds of this app (``plans.*``) and the area in their subject.
PLAN_KIND_PREFIX = "plans."


def due_date(task: WheelTask, year: int) -> date:
    """When ``task`` is due in ``year``: its day of its month, or the month's last day when shorter."""
    return date(year, task.month, min(task.due_day, calendar.monthrange(year, task.month)[1]))


# --- Measures and goals ----------------------------------------------------------------------------


def measure_list(
    organisation: Organisation, *, status: str = "", owner_id: int | None = None
) -> list[Measure]:
    """The organisation's measures (owner loaded), optionally of one status and one owner."""
    measures: QuerySet[Measure] = Measure.objects.filter(organisation=organisation).select_related("owner")
    if status:
        measures = measures.filter(status=status)
    if owner_id is not None:
        measures = measures.filter(owner_id=owner_id)
    return list(measures)


def goal_list(organisation: Organisation) -> list[Goal]:
    return list(Goal.objects.filter(organisation=organisation).select_related("owner"))


def targets_of(organisation: Organisation) -> list[Target]:
    """The organisation's targets, each with its base year and recalculations (newest first) loaded."""
    return list(
        Target.objects.filter(organisation=organisation)
        .select_related("base_year")
        .prefetch_related("recalculations__recorded_by")
    )


@dataclass(frozen=True)
class Change:
    """One change of the plan, from its audit event: who, when, which kind, on what, and the fields."""

    when: datetime
    who: str
    kind: str
    area: str
    pk: int | None
    title: str
    payload: dict[str, Any]

    @property
    def fields(self) -> list[str]:
        changed = self.payload.get("changed")
        return sorted(changed) if isinstance(changed, dict) else []

    @property
    def created(self) -> bool:
        return bool(self.payload.get("created"))


def _subject_pk(subject: str) -> tuple[str, int | None]:
    area, _, rest = subject.partition(":")
    tail = rest.rsplit("/", 1)[-1]
    return area, int(tail) if tail.isdigit() else None


_AREAS: dict[str, Any] = {"measure": Measure, "goal": Goal, "target": Target, "wheel": WheelTask}


def _changes(events: QuerySet[Event]) -> list[Change]:
    rows = list(events.values("created_at", "actor_label", "actor_id", "kind", "subject", "payload"))
    # people by the name they go by (the audit trail keeps the e-mail as it was then)
    names = dict(User.objects.filter(pk__in={r["actor_id"] for r in rows if r["actor_id"]})
                 .exclude(name="").values_list("pk", "name"))
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        area, pk = _subject_pk(row["subject"])
        if pk is not None:
            wanted[area].add(pk)
    titles: dict[tuple[str, int], str] = {}
    for area, pks in wanted.items():
        model = _AREAS.get(area)
        if model is None:
            continue
        name = "name" if model is Target else "title"
        titles.update(
            {(area, pk): title for pk, title in model.objects.filter(pk__in=pks).values_list("pk", name)}
        )
    changes = []
    for row in rows:
        area, pk = _subject_pk(row["subject"])
        changes.append(
            Change(
                row["created_at"],
                names.get(row["actor_id"], row["actor_label"]),
                row["kind"],
                area,
                pk,
                titles.get((area, pk or 0), ""),
                row["payload"],
            )
        )
    return changes


def moved_since(organisation: Organisation, since: datetime, limit: int = 50) -> list[Change]:
    """The plan's changes since ``since``, newest first (at most ``limit``)."""
    events = Event.objects.filter(
        organisation=organisation, kind__startswith=PLAN_KIND_PREFIX, created_at__gte=since
    ).order_by("-pk")[:limit]
    return _changes(events)


@dataclass(frozen=True)
class MeasurePage:
    measure: Measure
    notes: list[MeasureNote]
    evidence: list[MeasureEvidence]
    history: list[Change]


def measure_page(measure: Measure) -> MeasurePage:
    """``measure`` with its notes (authors loaded), evidence and history, newest first."""
    subject = f"measure:{measure.organisation.slug}/{measure.pk}"
    history = _changes(
        Event.objects.filter(organisation=measure.organisation, subject=subject).order_by("-pk")
    )
    return MeasurePage(
        measure,
        list(measure.notes.select_related("author")),
        list(measure.evidence.select_related("uploaded_by")),
        history,
    )


# --- The annual wheel ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WheelItem:
    """A wheel task in one year: due on ``due``, and ``status`` due, late or done."""

    task: WheelTask
    due: date
    status: str
    done_by: str = ""


@dataclass(frozen=True)
class WheelMonth:
    month: int
    items: list[WheelItem] = field(default_factory=list)


def wheel_year(organisation: Organisation, year: int, today: date) -> list[WheelMonth]:
    """The twelve months of ``year``'s wheel, each with its tasks: done (recorded for the year), late
    (its date has passed) or due."""
    tasks = list(WheelTask.objects.filter(organisation=organisation).select_related("owner"))
    done = {
        c.task_id: c
        for c in WheelCompletion.objects.filter(task__organisation=organisation, year=year).select_related(
            "done_by"
        )
    }
    months = [WheelMonth(month) for month in range(1, 13)]
    for task in tasks:
        when = due_date(task, year)
        completion = done.get(task.pk)
        if completion is not None:
            item = WheelItem(task, when, "done", str(completion.done_by or ""))
        else:
            item = WheelItem(task, when, "late" if when < today else "due")
        months[task.month - 1].items.append(item)
    return months


# --- What is late ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LateItem:
    """Something past its date and not done: a measure, a goal or a wheel task."""

    area: str
    pk: int
    title: str
    due: date
    owner: User | None

    def days_late(self, today: date) -> int:
        return (today - self.due).days


def late_items(organisation: Organisation, today: date) -> list[LateItem]:
    """Every measure and goal with a deadline before ``today`` still open, and every wheel task of this
    year past its date and not done; oldest first."""
    late = [
        LateItem("measure", m.pk, m.title, m.deadline, m.owner)
        for m in Measure.objects.filter(
            organisation=organisation, status__in=OPEN_STATUSES, deadline__lt=today
        ).select_related("owner")
        if m.deadline
    ]
    late += [
        LateItem("goal", g.pk, g.title, g.deadline, g.owner)
        for g in Goal.objects.filter(
            organisation=organisation, status__in=OPEN_STATUSES, deadline__lt=today
        ).select_related("owner")
        if g.deadline
    ]
    for month in wheel_year(organisation, today.year, today):
        late += [
            LateItem("wheel", item.task.pk, item.task.title, item.due, item.task.owner)
            for item in month.items
            if item.status == "late"
        ]
    return sorted(late, key=lambda item: (item.due, item.title))


def members_of(organisation: Organisation) -> list[User]:
    """Who may own a goal, measure or wheel task: the organisation's members, by name."""
    users = User.objects.filter(memberships__organisation=organisation, is_active=True).distinct()
    return sorted(users, key=lambda user: str(user).casefold())
