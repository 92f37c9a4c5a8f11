"""Template context: the organisations the user can switch between."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from klimabok.accounts.access import organisations_for


def membership(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_organisations": organisations_for(user)}  # type: ignore[arg-type]
