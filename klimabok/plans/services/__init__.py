"""Every write of the plans: targets, goals, measures (notes, evidence), scenarios, the annual wheel, and
the record of reminders sent. Each function runs in one transaction, refuses bad input field by field
(``InputErrors`` whose errors name the field) with nothing saved, and records what changed in the audit
trail (``plans.*``: who, when, what).
"""

from klimabok.plans.services.evidence import TYPES as EVIDENCE_TYPES
from klimabok.plans.services.evidence import add_evidence
from klimabok.plans.services.measures import (
    GoalDraft,
    MeasureDraft,
    add_note,
    measure_problems,
    save_goal,
    save_measure,
    set_measure_status,
)
from klimabok.plans.services.reminders import ReminderRun, send_reminders
from klimabok.plans.services.scenarios import save_scenario
from klimabok.plans.services.targets import TargetDraft, record_recalculation, save_target, target_problems
from klimabok.plans.services.wheel import DEFAULT_TASKS, add_default_tasks, save_wheel_task, set_wheel_done

__all__ = [
    "DEFAULT_TASKS",
    "EVIDENCE_TYPES",
    "GoalDraft",
    "MeasureDraft",
    "ReminderRun",
    "TargetDraft",
    "add_default_tasks",
    "add_evidence",
    "add_note",
    "measure_problems",
    "record_recalculation",
    "save_goal",
    "save_measure",
    "save_scenario",
    "save_target",
    "save_wheel_task",
    "send_reminders",
    "set_measure_status",
    "set_wheel_done",
    "target_problems",
]
