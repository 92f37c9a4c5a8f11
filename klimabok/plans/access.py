"""Who may do what with the plan of an organisation, on top of :func:`klimabok.accounts.access.org_access`.

- Everyone of the organisation (and its partner's staff) reads the plan; another organisation gets 404.
- ``MANAGE_PLAN`` (the ombudsman, the administrator, the partner's staff) edits targets, goals,
  measures, scenarios and the annual wheel.
- A measure's owner — a contributor, say — updates that measure's status, notes and evidence, nothing else.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from klimabok.accounts.access import Access, org_access
from klimabok.accounts.models import User
from klimabok.accounts.roles import Capability, Role
from klimabok.inventory.access import page_context
from klimabok.plans.models import Measure


def plan_context(access: Access, **extra: Any) -> dict[str, Any]:
    """:func:`~klimabok.inventory.access.page_context` with ``can_plan``: may edit the plan."""
    return page_context(access, can_plan=access.can(Capability.MANAGE_PLAN), **extra)


def may_update(access: Access, measure: Measure, user: User) -> bool:
    """Whether ``user`` may change the status of ``measure`` and add notes and evidence to it."""
    return access.can(Capability.MANAGE_PLAN) or (
        measure.owner_id == user.pk and access.role == Role.CONTRIBUTOR
    )


def measure_access(
    request: HttpRequest, slug: str, pk: int, *, update: bool = False
) -> tuple[Access, Measure]:
    """The measure ``pk`` of organisation ``slug`` (404 for another organisation's); with ``update``, a
    403 for a user who may not update it (:func:`may_update`)."""
    access = org_access(request, slug)
    measure = get_object_or_404(
        Measure.objects.select_related("owner", "organisation"), organisation=access.organisation, pk=pk
    )
    if update and not (isinstance(request.user, User) and may_update(access, measure, request.user)):
        raise PermissionDenied(_("Only the measure's owner or whoever keeps the plan can update it."))
    return access, measure
