"""Every write to the inventory: years, organisation facts, sites, entries, uploads.

Closing, reopening and recalculating a year write its account: :mod:`klimabok.account.services`.

Each function runs in one transaction and either does all it says or
nothing. User mistakes raise :class:`~klimabok.core.errors.KlimabokError`
subclasses whose message the page shows as it is (``InputErrors`` for
row-level problems, with row and field).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from klimabok.accounts.models import Organisation, User
from klimabok.core.activity_file import ActivityRow, read_activity_sheet
from klimabok.core.engine import AccountResult, ActivityLine, compute_account
from klimabok.core.errors import InputError, InputErrors, KlimabokError
from klimabok.core.factors.catalogue import Catalogue
from klimabok.inventory import guarantees
from klimabok.inventory.kept_files import keep
from klimabok.inventory.models import ActivityEntry, FlightReportMapping, ReportingYear, Site, Upload
from klimabok.inventory.read_models import catalogue_for
from klimabok.inventory.read_models import year_floor_area as year_floor_area  # used by the account page


class YearClosed(KlimabokError):
    """The year is closed: its data and facts cannot change until it is reopened."""


class InventoryConflict(KlimabokError):
    """The change conflicts with existing data (a duplicate year, a site in use)."""


def lock_year(reporting_year: ReportingYear) -> None:
    """Lock the year's row until the caller's transaction ends, and re-read it.

    For a write whose check of the year's state (open or closed) must still hold when it is done: two
    requests closing the same year, or saving an override while it is closed, queue here and the
    second sees what the first did (on SQLite the IMMEDIATE transaction already holds the write lock;
    the re-read is what matters there).
    """
    reporting_year.refresh_from_db(from_queryset=ReportingYear.objects.select_for_update())


def ensure_open(reporting_year: ReportingYear) -> None:
    if reporting_year.is_closed:
        raise YearClosed(_("%(year)s is closed: reopen it to change its data.")
                         % {"year": reporting_year.year})


# --- Reporting years and organisation facts ------------------------------------------------------

@dataclass(frozen=True)
class YearFacts:
    """The organisation facts of a year that intensity figures divide by."""

    fte: Decimal | None = None
    revenue_nok: Decimal | None = None
    floor_area_m2: Decimal | None = None
    gwp_set: str = ReportingYear.GwpSet.AR5
    notes: str = ""


@transaction.atomic
def create_year(organisation: Organisation, year: int) -> ReportingYear:
    """A new open year; its facts start as a copy of the nearest earlier year's."""
    if ReportingYear.objects.filter(organisation=organisation, year=year).exists():
        raise InventoryConflict(_("%(year)s already exists.") % {"year": year})
    earlier = (ReportingYear.objects.filter(organisation=organisation, year__lt=year)
               .order_by("-year").first())
    facts = {} if earlier is None else {
        "fte": earlier.fte, "revenue_nok": earlier.revenue_nok, "floor_area_m2": earlier.floor_area_m2,
        "gwp_set": earlier.gwp_set}
    try:
        with transaction.atomic():
            return ReportingYear.objects.create(organisation=organisation, year=year, **facts)
    except IntegrityError:  # created by someone else a moment ago
        raise InventoryConflict(_("%(year)s already exists.") % {"year": year}) from None


@transaction.atomic
def update_year_facts(reporting_year: ReportingYear, facts: YearFacts) -> ReportingYear:
    """Set FTE, revenue, floor area, GWP set and notes (refused on a closed year)."""
    ensure_open(reporting_year)
    for name in ("fte", "revenue_nok", "floor_area_m2", "gwp_set", "notes"):
        setattr(reporting_year, name, getattr(facts, name))
    reporting_year.save()
    return reporting_year


# --- Sites ----------------------------------------------------------------------------------------

@transaction.atomic
def save_site(organisation: Organisation, *, name: str, address: str = "", country: str = "NO",
              floor_area_m2: Decimal | None = None, site: Site | None = None) -> Site:
    """Create a site, or update ``site``; names are unique within the organisation."""
    clash = Site.objects.filter(organisation=organisation, name__iexact=name.strip())
    if site is not None:
        clash = clash.exclude(pk=site.pk)
    if clash.exists():
        raise InventoryConflict(_("There is already a site called “%(name)s”.") % {"name": name})
    target = site or Site(organisation=organisation)
    target.name, target.address = name.strip(), address.strip()
    target.country, target.floor_area_m2 = country.upper(), floor_area_m2
    target.save()
    return target


@transaction.atomic
def delete_site(site: Site) -> None:
    """Delete a site that no activity entry refers to."""
    try:
        site.delete()
    except (ProtectedError, RestrictedError):
        raise InventoryConflict(
            _("“%(name)s” has activity data: move or delete its entries first.") % {"name": site.name},
        ) from None


# --- Activity entries -----------------------------------------------------------------------------

@dataclass(frozen=True)
class EntryDraft:
    """An entry as a form produces it, before it is checked against the catalogue."""

    activity: str
    quantity: Decimal
    unit: str
    site: Site | None = None
    description: str = ""
    data_quality: int = 3
    method: str = ActivityEntry.Method.ACTIVITY
    details: dict[str, Any] = field(default_factory=dict)

    def lines(self) -> list[ActivityLine]:
        """The engine lines the entry will count as (two for electricity covered in part by guarantees
        of origin, as :func:`klimabok.inventory.read_models.entry_lines`)."""
        return [ActivityLine(activity=activity, quantity=float(quantity), unit=self.unit,
                             site=self.site.name if self.site else "", description=self.description,
                             data_quality=self.data_quality)
                for activity, quantity in guarantees.split(self.activity, self.quantity, self.details)]


def preview_entry(reporting_year: ReportingYear, draft: EntryDraft,
                  catalogue: Catalogue | None = None) -> AccountResult:
    """The emissions of ``draft`` alone in ``reporting_year``; InputErrors (row 1) if it cannot compute.

    ``catalogue``: the year's (:func:`catalogue_for`), when the caller checks many drafts with it.
    """
    catalogue = catalogue or catalogue_for(reporting_year)
    return compute_account(draft.lines(), year=reporting_year.year, catalogue=catalogue,
                           gwp_set=reporting_year.gwp_set)


def _apply(entry: ActivityEntry, draft: EntryDraft) -> None:
    entry.activity, entry.quantity, entry.unit = draft.activity, draft.quantity, draft.unit
    entry.site, entry.description = draft.site, draft.description
    entry.data_quality, entry.method, entry.details = draft.data_quality, draft.method, draft.details


@transaction.atomic
def add_entry(reporting_year: ReportingYear, draft: EntryDraft, user: User | None) -> ActivityEntry:
    """Check ``draft`` against the year's catalogue and save it."""
    ensure_open(reporting_year)
    preview_entry(reporting_year, draft)
    entry = ActivityEntry(reporting_year=reporting_year, origin=ActivityEntry.Origin.FORM,
                          created_by=user)
    _apply(entry, draft)
    entry.save()
    return entry


@transaction.atomic
def add_entries(reporting_year: ReportingYear, drafts: list[EntryDraft], user: User | None,
                origin: str = ActivityEntry.Origin.FORM, upload: Upload | None = None) -> list[ActivityEntry]:
    """Save every draft (each checked as :func:`add_entry` checks one) — all of them, or none.

    The grid's "Save all" and the flight report's import: the year row is locked first, so a
    close in another request waits for this to finish (or this sees the year closed).
    """
    lock_year(reporting_year)
    ensure_open(reporting_year)
    catalogue = catalogue_for(reporting_year)
    entries = []
    for draft in drafts:
        preview_entry(reporting_year, draft, catalogue)
        entry = ActivityEntry(reporting_year=reporting_year, origin=origin, created_by=user, upload=upload)
        _apply(entry, draft)
        entries.append(entry)
    return ActivityEntry.objects.bulk_create(entries)


@transaction.atomic
def update_entry(entry: ActivityEntry, draft: EntryDraft) -> ActivityEntry:
    """Replace an entry's data with ``draft`` (checked like a new one)."""
    ensure_open(entry.reporting_year)
    preview_entry(entry.reporting_year, draft)
    _apply(entry, draft)
    entry.save()
    return entry


@transaction.atomic
def delete_entry(entry: ActivityEntry) -> None:
    ensure_open(entry.reporting_year)
    entry.delete()


# --- Uploads --------------------------------------------------------------------------------------

def _file_error(problem: str, name: str) -> InputErrors:
    return InputErrors([InputError(problem, source=name)])


def refuse_repeat_upload(reporting_year: ReportingYear, digest: str, name: str) -> None:
    """Refuse a file (by SHA-256) uploaded into the year before: every line of it would count twice."""
    earlier = Upload.objects.filter(reporting_year=reporting_year, sha256=digest).first()
    if earlier is not None:
        when = date_format(timezone.localtime(earlier.uploaded_at), "SHORT_DATE_FORMAT")
        raise _file_error(_("this file was already uploaded as “%(name)s” on %(date)s (%(lines)s lines); "
                            "delete that upload first to load it again")
                          % {"name": earlier.filename, "lines": earlier.line_count,
                             "date": when},
                          name)


def uploaded_bytes(uploaded_file: UploadedFile[bytes]) -> tuple[str, bytes]:
    """An upload's file name and content; refused when larger than ``settings.KLIMABOK_MAX_UPLOAD_BYTES``
    or empty."""
    name = Path(uploaded_file.name or "upload").name
    limit = settings.KLIMABOK_MAX_UPLOAD_BYTES
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise _file_error(_("the file is larger than %(mb)s MB") % {"mb": limit // (1024 * 1024)}, name)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise _file_error(_("the file is larger than %(mb)s MB") % {"mb": limit // (1024 * 1024)}, name)
    if not data.strip():
        raise _file_error(_("the file is empty"), name)
    return name, data


@transaction.atomic
def import_activity_file(reporting_year: ReportingYear, uploaded_file: UploadedFile[bytes],
                         user: User | None) -> Upload:
    """Add every line of an activity file (XLSX or UTF-8 CSV template) to the year — or none.

    Refused, with nothing saved: a closed year, a file over
    ``settings.KLIMABOK_MAX_UPLOAD_BYTES``, the same file (by SHA-256)
    uploaded before, and any bad row. The activity-file reader sniffs the
    type (XLSX by its zip signature, else CSV), reads XLSX in read-only mode
    and checks every line against the year's catalogue exactly as the
    account will compute it; site names must be the organisation's sites.
    Rows giving a flight or hotel nights (the template's flight and hotel
    columns) are read by the flight and hotel forms, as the grid reads them.
    All problems are raised together as ``InputErrors`` with row and column.
    """
    ensure_open(reporting_year)
    name, data = uploaded_bytes(uploaded_file)
    digest = hashlib.sha256(data).hexdigest()
    refuse_repeat_upload(reporting_year, digest, name)
    # The grid reads a file's flights and hotel nights through the entry forms, which import this module.
    from klimabok.inventory.grid import read_trips

    sheet = read_activity_sheet(io.BytesIO(data), catalogue=catalogue_for(reporting_year),
                                year=reporting_year.year, name=name)
    trips, trip_problems = read_trips(reporting_year, sheet)
    if sheet.problems or trip_problems:
        raise InputErrors(sorted([*sheet.problems, *trip_problems], key=lambda e: e.row or 0))
    rows = sheet.rows
    lines = [row.line for row in rows]
    sites = {site.name.casefold(): site
             for site in Site.objects.filter(organisation=reporting_year.organisation)}
    unknown = [InputError(_("unknown site “%(site)s”; add it under Sites first (known: %(known)s)")
                          % {"site": line.site, "known": ", ".join(s.name for s in sites.values()) or "–"},
                          source=name, row=int(line.ref.rsplit(":", 1)[1]), field="site")
               for line in lines if line.site and line.site.casefold() not in sites]
    if unknown:
        raise InputErrors(unknown)
    try:
        with transaction.atomic():
            upload = Upload.objects.create(reporting_year=reporting_year, filename=name[:255], sha256=digest,
                                           size=len(data), line_count=len(lines) + len(trips),
                                           uploaded_by=user)
    except IntegrityError:  # the same file, uploaded a moment ago in another request
        raise _file_error(_("this file was already uploaded"), name) from None
    upload.kept_file = keep(reporting_year, f"activity-{upload.pk}", name, data)
    if upload.kept_file:
        Upload.objects.filter(pk=upload.pk).update(kept_file=upload.kept_file)
    ActivityEntry.objects.bulk_create(
        ActivityEntry(reporting_year=reporting_year, activity=row.line.activity,
                      quantity=Decimal(repr(row.line.quantity)), unit=row.line.unit,
                      site=sites.get(row.line.site.casefold()) if row.line.site else None,
                      description=row.line.description[:300], data_quality=row.line.data_quality,
                      origin=ActivityEntry.Origin.UPLOAD, upload=upload, created_by=user,
                      details=_upload_details(row))
        for row in rows)
    trip_entries = []
    for number, draft in trips:
        entry = ActivityEntry(reporting_year=reporting_year, origin=ActivityEntry.Origin.UPLOAD,
                              upload=upload, created_by=user)
        _apply(entry, draft)
        entry.details = {**draft.details, "row": number}
        trip_entries.append(entry)
    ActivityEntry.objects.bulk_create(trip_entries)
    return upload


def _upload_details(row: ActivityRow) -> dict[str, object]:
    """What an uploaded line keeps beside its quantity: its row, and where it is in the ledger (the
    double-counting rule reads ``supplier``, ``vouchers`` and ``cost_nok`` as the entry forms store them)."""
    details: dict[str, object] = {"row": int(row.line.ref.rsplit(":", 1)[1])}
    if row.supplier:
        details["supplier"] = row.supplier
    if row.vouchers:
        details["vouchers"] = row.vouchers
    if row.cost_nok is not None:
        details["cost_nok"] = str(Decimal(repr(row.cost_nok)).quantize(Decimal("0.01")))
    return details


@transaction.atomic
@transaction.atomic
def import_flight_report(reporting_year: ReportingYear, drafts: list[EntryDraft], columns: dict[str, str],
                         user: User | None, *, filename: str = "", sha256: str = "",
                         size: int = 0) -> list[ActivityEntry]:
    """Add a travel agency's flights (checked by :mod:`klimabok.inventory.flight_report`) — all or none —
    and remember which of the report's columns held what, for the organisation's next report.

    With the report's ``sha256`` the flights come in as one upload of the year (listed with the year's
    uploads, deleted together), and the same report is refused a second time."""
    upload = None
    if sha256:
        lock_year(reporting_year)
        refuse_repeat_upload(reporting_year, sha256, filename)
        upload = Upload.objects.create(reporting_year=reporting_year, filename=filename[:255], sha256=sha256,
                                       size=size, line_count=len(drafts), uploaded_by=user)
    entries = add_entries(reporting_year, drafts, user,
                          ActivityEntry.Origin.UPLOAD if upload else ActivityEntry.Origin.FORM, upload)
    FlightReportMapping.objects.update_or_create(organisation=reporting_year.organisation,
                                                 defaults={"columns": columns})
    return entries


@transaction.atomic
def delete_upload(upload: Upload) -> int:
    """Delete an upload and every line it brought in; the number of lines deleted."""
    ensure_open(upload.reporting_year)
    count = upload.entries.count()
    upload.delete()
    return count
