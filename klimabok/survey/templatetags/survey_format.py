"""Small filters for the survey's pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from klimabok.inventory.templatetags.account_format import grouped

register = template.Library()


@register.filter
def whole(value: float | None) -> str:
    """A whole number, grouped in the active language ("12 345"); empty for None."""
    return "" if value is None else grouped(value, 0)


@register.filter
def one_decimal(value: float | None) -> str:
    return "" if value is None else grouped(value, 1)


@register.filter
def flag_text(template_text: str) -> str:
    """A stored flag (a core message template without parameters) in the active language."""
    return gettext(template_text)
