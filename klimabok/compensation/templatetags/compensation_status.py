"""What the company's pages say about its credits after the order: reserved, waiting for the partner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.db.models import Count, Min, Sum

from klimabok.accounts.models import Organisation
from klimabok.credits.models import CompensationOrder

register = template.Library()


@dataclass(frozen=True)
class Waiting:
    """A year's reserved orders, waiting for the climate partner to retire them in the registry."""

    year: int
    tonnes: int
    orders: int
    partner: str
    since: datetime


@register.simple_tag
def waiting_for_retirement(organisation: Organisation, year: int | str | None = None) -> list[Waiting]:
    """The organisation's reserved orders by year (one year with ``year``; "" or None: every year), the
    oldest order's date beside."""
    query = CompensationOrder.objects.filter(client=organisation, status=CompensationOrder.Status.RESERVED)
    if year not in (None, ""):
        query = query.filter(reporting_year=year)
    rows = (query.values("reporting_year", "partner__name")
            .annotate(tonnes=Sum("tonnes"), since=Min("created_at"), count=Count("pk"))
            .order_by("reporting_year"))
    return [Waiting(row["reporting_year"], row["tonnes"], row["count"], row["partner__name"], row["since"])
            for row in rows]
