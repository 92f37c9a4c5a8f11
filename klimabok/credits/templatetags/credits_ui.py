"""``{% is_partner_staff as flag %}``: whether the header shows the credits link (one query per request)."""

from __future__ import annotations

from typing import Any

from django import template

from klimabok.accounts.access import partner_organisations_of

register = template.Library()


@register.simple_tag(takes_context=True)
def is_partner_staff(context: dict[str, Any]) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return False
    if not hasattr(request, "_klimabok_partner_staff"):
        request._klimabok_partner_staff = bool(partner_organisations_of(user))
    return bool(request._klimabok_partner_staff)
