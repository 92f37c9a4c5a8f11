"""Certificate filters: ``{{ text|co2 }}`` (a real subscript 2 in "CO2"), ``{{ code|registry_label }}``."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from klimabok.certificates.facts import registry_name

register = template.Library()


@register.filter
def co2(value: object) -> SafeString:
    return mark_safe(escape(str(value)).replace("CO2", "CO<sub>2</sub>"))  # noqa: S308 (escaped above)


@register.filter
def registry_label(code: str) -> str:
    """``verra`` → ``Verra (VCS)``."""
    return registry_name(code)
