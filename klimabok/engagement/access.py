"""Who may do what with an organisation's news and suggestions, on top of
:func:`klimabok.accounts.access.org_access`.

- Everyone of the organisation (and its partner's staff) reads the news and the suggestions; another
  organisation gets 404.
- Whoever keeps the plan (``MANAGE_PLAN``: the ombudsman, the administrator, the partner's staff) writes
  and publishes news and answers suggestions: moving a suggestion to "accepted" makes it a measure of the
  plan, so the same right decides both.
- Every member but the auditor (whose role is read-only) suggests, votes and comments.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from klimabok.accounts.access import Access, org_access
from klimabok.accounts.roles import Capability, Role
from klimabok.inventory.access import page_context

#: Writing news and answering suggestions: the plan's keepers.
PUBLISH = Capability.MANAGE_PLAN


def may_participate(access: Access) -> bool:
    """Whether the user may suggest, vote and comment: every role but the read-only auditor."""
    return access.role != Role.AUDITOR


def engagement_context(access: Access, **extra: Any) -> dict[str, Any]:
    """:func:`~klimabok.inventory.access.page_context` with ``can_publish`` and ``can_participate``."""
    return page_context(access, can_publish=access.can(PUBLISH), can_participate=may_participate(access),
                        **extra)


def participant_access(request: HttpRequest, slug: str) -> Access:
    """The organisation for a user who suggests, votes or comments; 403 for the auditor."""
    access = org_access(request, slug)
    if not may_participate(access):
        raise PermissionDenied(_("Your role is read-only: it cannot suggest, vote or comment."))
    return access
