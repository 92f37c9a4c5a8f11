"""A year's activity data as the engine and the pages read it: entries, their lines, the catalogue.

Each entry becomes an :class:`~klimabok.core.engine.ActivityLine` with ``ref="entry:<id>"`` so a
result line leads back to its entry; the account itself is assembled above, in
:mod:`klimabok.account.read_models`. Query budget: one query for a year's entries (with their sites).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

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


def entry_line(entry: ActivityEntry) -> ActivityLine:
    """An entry as one engine input line (its activity and quantity as saved)."""
    return ActivityLine(activity=entry.activity, quantity=float(entry.quantity), unit=entry.unit,
                        site=entry.site.name if entry.site_id and entry.site else "",
                        description=entry.description, data_quality=entry.data_quality,
                        ref=f"{ENTRY_REF_PREFIX}{entry.pk}")


def entry_lines(entry: ActivityEntry) -> list[ActivityLine]:
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
