"""A year that starts half-filled (issue 15 §2): last year's lines as the new year's starting point.

A new year lists the sources of the nearest earlier year — the same activities at the same sites —
each with a link to its form, filled in as last year's entry was, the amounts left blank for this
year's figures. On request (:func:`copy_last_year`) the lines are copied with last year's quantities,
to be corrected where they changed. The organisation facts carry over when the year is created
(:func:`klimabok.inventory.services.create_year`).

A source counts as entered when this year has a line of the same activity at the same site.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import ngettext

from klimabok.accounts.models import User
from klimabok.inventory.entry_kinds import EntryKind, kind_of
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.inventory.services import ensure_open, lock_year


@dataclass(frozen=True)
class Source:
    """One line of last year, and whether this year has it yet."""

    entry: ActivityEntry
    kind: EntryKind
    entered: bool


def earlier_year(reporting_year: ReportingYear) -> ReportingYear | None:
    """The organisation's nearest earlier reporting year (usually last year)."""
    return (ReportingYear.objects.filter(organisation_id=reporting_year.organisation_id,
                                         year__lt=reporting_year.year).order_by("-year").first())


def _key(entry: ActivityEntry) -> tuple[str, int | None]:
    return entry.activity, entry.site_id


def last_year_sources(reporting_year: ReportingYear) -> tuple[ReportingYear | None, list[Source]]:
    """The earlier year and its lines as sources for ``reporting_year`` (the ones not entered yet first)."""
    earlier = earlier_year(reporting_year)
    if earlier is None:
        return None, []
    have = {_key(e) for e in
            ActivityEntry.objects.filter(reporting_year=reporting_year).only("activity", "site")}
    sources = [Source(entry, kind_of(entry), _key(entry) in have)
               for entry in ActivityEntry.objects.filter(reporting_year=earlier).select_related("site")
               .order_by("activity", "site__name", "pk")]
    return earlier, sorted(sources, key=lambda s: s.entered)


def entry_from_last_year(reporting_year: ReportingYear, pk: int) -> ActivityEntry | None:
    """Line ``pk`` of an earlier year of the same organisation (None for any other line)."""
    return ActivityEntry.objects.filter(
        pk=pk, reporting_year__organisation_id=reporting_year.organisation_id,
        reporting_year__year__lt=reporting_year.year).first()


@transaction.atomic
def copy_last_year(reporting_year: ReportingYear, user: User | None) -> int:
    """Copy the earlier year's lines not yet in ``reporting_year``, with their quantities; how many.

    The copies are form entries (uploads stay with the year their file was uploaded to) and remember
    where they came from (``details["copied_from"]``: the year), so the entries list can say so.
    """
    lock_year(reporting_year)
    ensure_open(reporting_year)
    _earlier, sources = last_year_sources(reporting_year)
    copies = [ActivityEntry(
        reporting_year=reporting_year, activity=s.entry.activity, quantity=s.entry.quantity,
        unit=s.entry.unit,
        site=s.entry.site, description=s.entry.description, data_quality=s.entry.data_quality,
        method=s.entry.method, origin=ActivityEntry.Origin.FORM, created_by=user,
        details={**{k: v for k, v in s.entry.details.items() if k not in ("row", "vouchers")},
                 "copied_from": s.entry.reporting_year.year})
        for s in sources if not s.entered]
    ActivityEntry.objects.bulk_create(copies)
    return len(copies)


def copied_message(count: int) -> str:
    """What the user is told after :func:`copy_last_year` copied ``count`` lines."""
    return ngettext(
        "%(count)s line is copied from last year with its quantity: correct it where it changed.",
        "%(count)s lines are copied from last year with their quantities: correct them where they changed.",
        count) % {"count": count}
