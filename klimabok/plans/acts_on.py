"""What a measure may act on, as the measure form offers it: the lines of the latest closed year's account.

Scope labels present (``scope_1``, ``scope_3.6``…), the organisation's sites (``site:<name>``) and
the activities and spend categories present (``car.medium.diesel.litres``, ``spend.it_telecom``),
each with its tonnes (market-based), largest first; before any year is closed, the activities the
organisation has entered, without tonnes. Values a measure already holds that are no longer in the
account stay offered, marked, so editing it never drops them silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from klimabok.account.figures import source_name
from klimabok.accounts.models import Organisation
from klimabok.core.errors import KlimabokError
from klimabok.inventory.models import ActivityEntry, Site
from klimabok.inventory.read_models import catalogue_for
from klimabok.inventory.templatetags.account_format import category_name, tonnes
from klimabok.plans.scenarios import SITE_PREFIX, latest_closed_year, year_lines


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    t_co2e: float | None


def options(organisation: Organisation, keep: list[str] | None = None) -> list[Option]:
    """The choices for ``Measure.acts_on``: scopes, sites, then activities (largest first)."""
    year = latest_closed_year(organisation)
    found: list[Option] = []
    activities: list[Option] = []
    if year is not None:
        try:
            lines = year_lines(year)
        except KlimabokError:
            lines = None
        if lines is not None and len(lines):
            by_label = np.bincount(lines.label_codes, weights=lines.kg_market, minlength=len(lines.labels))
            for label, kg in sorted(zip(lines.labels, by_label.tolist(), strict=True), key=lambda p: p[0]):
                found.append(Option(label, category_name(label), kg / 1000))
            by_activity = np.bincount(
                lines.activity_codes, weights=lines.kg_market, minlength=len(lines.activities)
            )
            catalogue = catalogue_for(year)
            ranked = sorted(
                zip(lines.activities, by_activity.tolist(), strict=True), key=lambda p: (-p[1], p[0])
            )
            activities = [Option(key, source_name(catalogue, key), kg / 1000) for key, kg in ranked]
    if not activities:
        keys = (
            ActivityEntry.objects.filter(reporting_year__organisation=organisation)
            .values_list("activity", flat=True)
            .distinct()
        )
        activities = [Option(key, key, None) for key in sorted(set(keys))]
    sites = [
        Option(f"{SITE_PREFIX}{name}", _("Site: %(name)s") % {"name": name}, None)
        for name in Site.objects.filter(organisation=organisation)
        .order_by("name")
        .values_list("name", flat=True)
    ]
    result = found + sites + activities
    known = {o.value for o in result}
    result += [
        Option(v, _("%(value)s (not in the account)") % {"value": v}, None)
        for v in keep or []
        if v not in known
    ]
    return result


def choices(organisation: Organisation, keep: list[str] | None = None) -> list[tuple[str, str]]:
    """``(value, label with its tonnes)`` for a form field."""
    return [
        (o.value, o.label if o.t_co2e is None else f"{o.label} · {tonnes(o.t_co2e)} t")
        for o in options(organisation, keep)
    ]
