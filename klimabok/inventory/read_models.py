"""A year's activity data as the engine and the pages read it: entries, their lines, the catalogue.

Each entry becomes an :class:`~klimabok.core.engine.ActivityLine` with ``ref="entry:<id>"`` so a
result line leads back to its entry; the account itself is assembled above, in
:mod:`klimabok.account.read_models`. Query budget: one query for a year's entries (with their sites).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import TextField
from django.db.models.functions import Cast

from klimabok.core.engine import ActivityLine
from klimabok.core.errors import KlimabokError
from klimabok.core.factors.catalogue import Catalogue
from klimabok.inventory import guarantees
from klimabok.inventory.catalogues import current_catalogue, pinned_catalogue
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from klimabok.inventory.templatetags.account_format import localized_name

ENTRY_REF_PREFIX = "entry:"


def catalogue_for(reporting_year: ReportingYear) -> Catalogue:
    """The catalogue an account for ``reporting_year`` is computed with (pinned when closed)."""
    if reporting_year.is_closed and reporting_year.pinned_datasets:
        return pinned_catalogue(reporting_year.pinned_datasets, reporting_year.pinned_activities,
                                reporting_year.pinned_refrigerants)
    return current_catalogue()


def activity_name(catalogue: Catalogue, key: str) -> str:
    """An activity's name in the active language; the key itself if the catalogue lacks it."""
    try:
        return localized_name(catalogue.activity(key))
    except KlimabokError:
        return key


def load_entries(reporting_year: ReportingYear) -> list[ActivityEntry]:
    """The year's entries with their sites, in entry order (one query)."""
    return list(ActivityEntry.objects.filter(reporting_year=reporting_year)
                .select_related("site").order_by("id"))


class EntryLike(Protocol):
    """What an account reads of an entry: an :class:`ActivityEntry` or an :class:`EntryInput`."""

    @property
    def pk(self) -> Any: ...
    @property
    def activity(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def unit(self) -> str: ...
    @property
    def site_name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def data_quality(self) -> int: ...
    @property
    def details(self) -> Any: ...
    @property
    def ref(self) -> str: ...


@dataclass(frozen=True, slots=True)
class EntryInput:
    """An entry as its year's account reads it, without the model instance: a 100,000-line year's
    account spent most of its seconds making 200,000 model instances (entries and their sites)."""

    pk: int
    activity: str
    quantity: Decimal
    unit: str
    site_name: str
    description: str
    data_quality: int
    details: Any

    @property
    def ref(self) -> str:
        return f"{ENTRY_REF_PREFIX}{self.pk}"


_INPUT_FIELDS = ("pk", "activity", "quantity", "unit", "site__name", "description", "data_quality",
                 "details_text")
_NO_DETAILS: dict[str, Any] = {}


def _details(text: str | None) -> Any:
    # Most entries have none: "{}" is not parsed 100,000 times. The shared empty dict is only read.
    return _NO_DETAILS if text in (None, "{}") else json.loads(text)


def load_entry_inputs(reporting_year: ReportingYear) -> list[EntryInput]:
    """The year's entries as the account reads them, in entry order (one query, no model instances)."""
    rows = (ActivityEntry.objects.filter(reporting_year=reporting_year).order_by("id")
            .annotate(details_text=Cast("details", TextField())).values_list(*_INPUT_FIELDS))
    return [EntryInput(pk, activity, quantity, unit, site or "", description, data_quality, _details(details))
            for pk, activity, quantity, unit, site, description, data_quality, details in rows]


def entry_line(entry: EntryLike) -> ActivityLine:
    """An entry as one engine input line (its activity and quantity as saved)."""
    return ActivityLine(activity=entry.activity, quantity=float(entry.quantity), unit=entry.unit,
                        site=entry.site_name, description=entry.description, data_quality=entry.data_quality,
                        ref=entry.ref)


def entry_lines(entry: EntryLike) -> list[ActivityLine]:
    """An entry as the engine's input lines, all with its ref: one, or two for electricity
    that guarantees of origin cover in part: the covered kWh and the rest
    (:mod:`klimabok.inventory.guarantees`)."""
    line = entry_line(entry)
    parts = guarantees.split(entry.activity, entry.quantity, entry.details)
    if len(parts) == 1:
        return [line]
    return [replace(line, activity=activity, quantity=float(quantity)) for activity, quantity in parts]


def entry_id_of(ref: str) -> int | None:
    """The entry id in a result line's ``ref`` (``"entry:42"`` → 42), else None."""
    if ref.startswith(ENTRY_REF_PREFIX) and ref[len(ENTRY_REF_PREFIX):].isdigit():
        return int(ref[len(ENTRY_REF_PREFIX):])
    return None


def previous_year(reporting_year: ReportingYear) -> ReportingYear | None:
    """The organisation's nearest earlier reporting year, if any."""
    return (ReportingYear.objects.filter(organisation_id=reporting_year.organisation_id,
                                         year__lt=reporting_year.year)
            .defer("closed_lines").order_by("-year").first())


def year_floor_area(reporting_year: ReportingYear, sites: Sequence[Site]) -> Decimal | None:
    """The year's floor area: as given, else the sum of the sites' areas (None if neither)."""
    if reporting_year.floor_area_m2 is not None:
        return reporting_year.floor_area_m2
    areas = [s.floor_area_m2 for s in sites if s.floor_area_m2 is not None]
    return sum(areas, Decimal(0)) if areas else None
