"""Roles and what each may do.

One table answers every permission question, so views, templates and tests
ask :func:`can` rather than comparing role names.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PARTNER = "partner", _("Climate partner")
    ADMIN = "admin", _("Administrator")
    OMBUDSMAN = "ombudsman", _("Sustainability ombudsman")
    CONTRIBUTOR = "contributor", _("Contributor")
    EMPLOYEE = "employee", _("Employee")
    AUDITOR = "auditor", _("Auditor (read-only)")


class Capability(models.TextChoices):
    VIEW_SUMMARY = "view_summary"      # totals, charts, "where to cut"
    VIEW_DATA = "view_data"            # activity lines, drill-down, exports
    EDIT_DATA = "edit_data"            # enter/upload/delete activity data
    MANAGE_YEARS = "manage_years"      # organisation facts, reporting years, close/reopen, recalculate
    MANAGE_MEMBERS = "manage_members"  # invitations, roles
    MANAGE_PLAN = "manage_plan"        # targets, goals, measures, scenarios, the annual wheel


_ALL: set[str] = set(Capability)
CAPABILITIES: dict[str, set[str]] = {
    Role.PARTNER: _ALL,
    Role.ADMIN: _ALL,
    # The sustainability ombudsman keeps the goals and measures up to date; a contributor updates only
    # the measures they own (klimabok.plans.access), without this capability.
    Role.OMBUDSMAN: {Capability.VIEW_SUMMARY, Capability.VIEW_DATA, Capability.EDIT_DATA,
                     Capability.MANAGE_PLAN},
    Role.CONTRIBUTOR: {Capability.VIEW_SUMMARY, Capability.VIEW_DATA, Capability.EDIT_DATA},
    Role.EMPLOYEE: {Capability.VIEW_SUMMARY},
    Role.AUDITOR: {Capability.VIEW_SUMMARY, Capability.VIEW_DATA},
}


def can(role: str | None, capability: str) -> bool:
    return role is not None and capability in CAPABILITIES.get(role, set())
