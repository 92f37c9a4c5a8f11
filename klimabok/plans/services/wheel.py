"""The annual wheel (årshjul): its tasks, the standard ones, and marking a task done for a year."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.plans.models import WheelCompletion, WheelTask
from klimabok.plans.services.common import Problems, changes, is_member, problem, record, refuse_if, snapshot

WHEEL_FIELDS = ("title", "description", "month", "due_day", "owner")


@dataclass(frozen=True)
class DefaultTask:
    """A task every organisation's wheel starts with (its title and description are English templates,
    translated when created in the creating user's language)."""

    key: str
    title: str
    description: str
    month: int
    due_day: int


#: The year of a company that keeps a climate account and is Miljøfyrtårn-certified: last year's data in
#: January, the account closed before the Miljøfyrtårn annual report is due (1 April), compensation once the
#: account is closed, the commuting survey in the autumn, the targets reviewed before next year's budget.
DEFAULT_TASKS = (
    DefaultTask(
        "collect_data",
        gettext_noop("Collect last year's data"),
        gettext_noop(
            "Energy, travel, waste and purchases of last year: bills, supplier reports and the "
            "ledger (SAF-T)."
        ),
        1,
        31,
    ),
    DefaultTask(
        "close_account",
        gettext_noop("Close the climate account"),
        gettext_noop("Check the year's account and close it, so its figures no longer move."),
        3,
        15,
    ),
    DefaultTask(
        "miljofyrtarn_report",
        gettext_noop("Miljøfyrtårn annual report"),
        gettext_noop("The annual environmental report to Miljøfyrtårn is due by 1 April."),
        4,
        1,
    ),
    DefaultTask(
        "compensate",
        gettext_noop("Compensate the residual emissions"),
        gettext_noop("Order and retire credits for what is left of the closed year, if that is the policy."),
        6,
        30,
    ),
    DefaultTask(
        "employee_survey",
        gettext_noop("Employee survey"),
        gettext_noop("The commuting and homeworking survey that scope 3 category 7 needs."),
        9,
        30,
    ),
    DefaultTask(
        "review_targets",
        gettext_noop("Review targets and measures"),
        gettext_noop(
            "Are we on the pathway? Update the measures' status, owners and costs before the budget."
        ),
        11,
        30,
    ),
)


def _task_problems(
    organisation: Organisation, title: str, month: int, due_day: int, owner: User | None
) -> Problems:
    found: Problems = []
    if not title.strip():
        found.append(("title", problem(gettext_noop("Give the task a title."))))
    if not 1 <= month <= 12:
        found.append(("month", problem(gettext_noop("Choose a month."))))
    if not 1 <= due_day <= 31:
        found.append(
            (
                "due_day",
                problem(gettext_noop("The due day is 1 to 31 (the month's last day when it is shorter).")),
            )
        )
    if owner is not None and not is_member(owner, organisation):
        found.append(
            (
                "owner",
                problem(
                    gettext_noop("%(name)s is not a member of %(organisation)s."),
                    name=str(owner),
                    organisation=organisation.name,
                ),
            )
        )
    return found


@transaction.atomic
def save_wheel_task(
    organisation: Organisation,
    *,
    title: str,
    month: int,
    due_day: int,
    user: User | None,
    description: str = "",
    owner: User | None = None,
    task: WheelTask | None = None,
    key: str = "",
) -> WheelTask:
    """Create a wheel task, or change ``task``; refused field by field."""
    refuse_if(_task_problems(organisation, title, month, due_day, owner))
    before = snapshot(task, WHEEL_FIELDS) if task else None
    row = task or WheelTask(organisation=organisation, key=key)
    row.title, row.description = title.strip(), description.strip()
    row.month, row.due_day, row.owner = month, due_day, owner
    row.save()
    moved = changes(before, snapshot(row, WHEEL_FIELDS))
    if moved:
        record(
            row,
            organisation,
            user,
            Kind.PLANS_WHEEL_TASK_SAVED,
            "wheel",
            {"created": before is None, "changed": moved},
        )
    return row


@transaction.atomic
def add_default_tasks(
    organisation: Organisation, user: User | None, owner: User | None = None
) -> list[WheelTask]:
    """The standard tasks (:data:`DEFAULT_TASKS`) the wheel does not have yet, in the active language."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one adder at a time
    present = set(WheelTask.objects.filter(organisation=organisation).values_list("key", flat=True))
    return [
        save_wheel_task(
            organisation,
            title=gettext(task.title),
            description=gettext(task.description),
            month=task.month,
            due_day=task.due_day,
            owner=owner,
            user=user,
            key=task.key,
        )
        for task in DEFAULT_TASKS
        if task.key not in present
    ]


@transaction.atomic
def set_wheel_done(task: WheelTask, year: int, done: bool, user: User | None) -> bool:
    """Mark ``task`` done for ``year`` (or not done again); whether anything changed."""
    if done:
        _completion, created = WheelCompletion.objects.get_or_create(
            task=task, year=year, defaults={"done_by": user}
        )
        if created:
            record(task, task.organisation, user, Kind.PLANS_WHEEL_TASK_DONE, "wheel", {"year": year})
        return created
    deleted, _ = WheelCompletion.objects.filter(task=task, year=year).delete()
    if deleted:
        record(task, task.organisation, user, Kind.PLANS_WHEEL_TASK_UNDONE, "wheel", {"year": year})
    return bool(deleted)
