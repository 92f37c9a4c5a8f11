"""How the plan pages and e-mails write a status: its name in the reader's language, not its key."""

from __future__ import annotations

from django import template

from klimabok.plans.models import Status

register = template.Library()


@register.filter
def status_label(value: object) -> str:
    """``"in_progress"`` → "In progress" (translated); an unknown value as it is."""
    try:
        return str(Status(str(value)).label)
    except ValueError:
        return str(value)
