"""How the plan pages and e-mails write a status, a measure's kind and its parameters: in the reader's
language, not their keys."""

from __future__ import annotations

from django import template

from klimabok.core.messages import Message
from klimabok.inventory.templatetags.account_format import without_trailing_zeros
from klimabok.plans import catalogue
from klimabok.plans.models import Measure, Status
from klimabok.web.core_messages import localise

register = template.Library()


@register.filter
def status_label(value: object) -> str:
    """``"in_progress"`` → "In progress" (translated); an unknown value as it is."""
    try:
        return str(Status(str(value)).label)
    except ValueError:
        return str(value)


@register.filter
def kind_name(kind: str) -> str:
    """``"energy_efficiency"`` → "Energy efficiency" (translated); an unknown kind as its key."""
    name = catalogue.label(kind)
    return localise(name) if isinstance(name, Message) else name


@register.filter
def param_items(measure: Measure) -> list[tuple[str, str]]:
    """A measure's parameters as ``(label with unit, number in the page's format)``: "Less energy used (%)",
    "20"; a parameter the catalogue does not know by its key."""
    known = {param.key: param for param in catalogue.params_of(measure.kind)}
    out = []
    for key, value in measure.params.items():
        param = known.get(key)
        label = f"{localise(param.label)} ({param.unit})" if param is not None else key
        shown = without_trailing_zeros(float(value), 3) if isinstance(value, int | float) else str(value)
        out.append((label, shown))
    return out
