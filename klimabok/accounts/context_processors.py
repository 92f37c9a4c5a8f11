"""Template context: the organisations the user can switch between, and whether they are partner staff."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from klimabok.accounts.access import navigation_for


def membership(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    organisations, partner_staff = navigation_for(user)
    return {"my_organisations": organisations, "is_partner_staff": partner_staff}
