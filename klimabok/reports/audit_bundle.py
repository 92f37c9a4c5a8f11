"""The auditor's bundle of a reporting year: one ZIP with everything an auditor re-checks the account from.

What is in it (the manifest's ``contents`` says the same in the file):

- ``account/lines.csv`` and ``account/summary.csv``: the account's export (:mod:`klimabok.account.exports`);
- ``factors/datasets.csv`` and ``factors/factors.csv``: every factor of the datasets the account used,
  with its source row, licence and how many lines used it;
- ``imports/``: the activity uploads and every activity entry, the ledger imports' metadata, their spend
  lines and postings, and in ``imports/files/`` the uploaded files themselves as uploaded where klimabok
  kept them (:mod:`klimabok.inventory.kept_files`);
- ``adjustments/``: spend overrides, double-counting coverage rules, the scope 3 screening;
- ``audit/events.csv`` (the organisation's audit-trail events with their hashes) and ``audit/verify.json``
  (the chain recomputed when the bundle was made, as ``klimabok audit verify`` does);
- ``reports/``: the reports of the year whose module offers bundle files (:data:`OPTIONAL_REPORTS`,
  :func:`register_report`); a report whose module is not there is named in the manifest as skipped;
- ``manifest.json`` and ``manifest.json.sha256`` (:mod:`klimabok.core.bundle`).

Deterministic: rows in primary-key order, fixed column names in the bundle's language, and every ZIP entry
dated the year's ``closed_at`` (1980-01-01 for an open year), so one closed year gives the same bytes
each time — until the organisation records a new audit event (``audit/events.csv`` grows).
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation

import klimabok
from klimabok.account.exports import AccountExport, lines_table, neutralise, summary_rows
from klimabok.account.figures import denominators
from klimabok.account.read_models import load_year_overview
from klimabok.account.spend import spend_account
from klimabok.audit.models import Event
from klimabok.audit.read_models import verify_chain
from klimabok.core.bundle import BundleFile, pack
from klimabok.core.errors import KlimabokError
from klimabok.core.factors.model import Factor
from klimabok.inventory.kept_files import read_kept
from klimabok.inventory.models import ActivityEntry, ReportingYear, Scope3Screening, Upload
from klimabok.inventory.read_models import catalogue_for
from klimabok.ledger.models import LedgerImport, Posting, SpendCoverageRule, SpendLine, SpendOverride

#: A report's files for the bundle: ``(file name, bytes)`` for a reporting year in a language; the same
#: year must give the same bytes (fixed creation dates and ids).
ReportFiles = Callable[[ReportingYear, str], Sequence[tuple[str, bytes]]]

#: Reports the bundle takes when their module and function exist: ``(name, module, function)``, the
#: function a :data:`ReportFiles`. Its files land in ``reports/<name>/``.
OPTIONAL_REPORTS: tuple[tuple[str, str, str], ...] = (
    ("ghg-inventory", "klimabok.reports.audit_bundle_reports", "ghg_inventory_files"),
    ("datapoints", "klimabok.reports.audit_bundle_reports", "datapoint_files"),
)

_registered: dict[str, ReportFiles] = {}


def register_report(name: str, files: ReportFiles) -> None:
    """Add a report to every bundle (a module may call this instead of being in :data:`OPTIONAL_REPORTS`)."""
    _registered[name] = files


def _report_providers() -> tuple[dict[str, ReportFiles], list[str]]:
    providers: dict[str, ReportFiles] = dict(_registered)
    skipped: list[str] = []
    for name, module_name, function in OPTIONAL_REPORTS:
        if name in providers:
            continue
        try:
            provider = getattr(importlib.import_module(module_name), function)
        except (ImportError, AttributeError):
            skipped.append(f"{name}: not available in this klimabok ({module_name}.{function})")
            continue
        providers[name] = provider
    return providers, skipped


def _cell(value: object) -> object:
    """A CSV cell: text neutralised against spreadsheet formulas; numbers, dates and JSON as plain text."""
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return neutralise(str(value))


def csv_bytes(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV with a byte-order mark, as the account's exports."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])  # type: ignore[arg-type]
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode()


FACTOR_HEADER = ("dataset", "version", "key", "name", "unit", "kg_co2e", "kg_co2", "kg_ch4", "kg_n2o",
                 "kg_other_co2e", "kg_co2_biogenic", "year", "published_year", "region", "scope", "category",
                 "basis", "gwp_set", "source", "source_ref", "biogenic_source_ref", "licence", "lines_using")


def _factor_row(factor: Factor, used: Counter[str]) -> list[object]:
    return [factor.dataset_id, factor.dataset_version, factor.key, factor.name, factor.unit, factor.kg_co2e,
            factor.kg_co2, factor.kg_ch4, factor.kg_n2o, factor.kg_other_co2e, factor.kg_co2_biogenic,
            factor.year, factor.published_year, factor.region, factor.scope, factor.category,
            str(factor.basis), factor.gwp_set, factor.source, factor.source_ref, factor.biogenic_source_ref,
            factor.licence, used[factor.key]]


def _account_files(reporting_year: ReportingYear, notes: list[str]) -> tuple[list[BundleFile], list[str]]:
    """Lines, summary, datasets and factors; and the dataset refs (``id@version``) the account used."""
    overview = load_year_overview(reporting_year, entries=False)
    if overview.account is None:
        notes.append("account/: the year has no account to export (no lines, or they cannot be computed)")
        return [], []
    catalogue = overview.catalogue or catalogue_for(reporting_year)
    organisation = reporting_year.organisation
    export = AccountExport(
        organisation=organisation.name, slug=organisation.slug, year=reporting_year.year,
        closed=reporting_year.is_closed, account=overview.account, catalogue=catalogue,
        intensities=overview.account.intensities(**denominators(overview)),
        spend=spend_account(reporting_year, overview.spend_parts, overview.account))
    lines_rows = list(lines_table(export))
    if len(lines_rows) == 1:
        notes.append("account/lines.csv: the year has no lines yet (the header row only)")
    summary = summary_rows(export)
    used = Counter(line.factor.key for line in export.account.lines)
    datasets = export.datasets
    factor_rows: list[list[object]] = []
    seen: set[str] = set()
    for dataset in datasets:
        for factor in dataset.factors:
            seen.add(factor.key)
            factor_rows.append(_factor_row(factor, used))
    # Factors the lines used from no dataset (own factors, spend factors): as the lines carried them.
    for line in export.account.lines:
        if line.factor.key not in seen:
            seen.add(line.factor.key)
            factor_rows.append(_factor_row(line.factor, used))
    pinned = set(reporting_year.pinned_datasets or [])
    files = [
        BundleFile("account/lines.csv", csv_bytes(lines_rows[0], lines_rows[1:])),
        BundleFile("account/summary.csv", csv_bytes([], summary)),
        BundleFile("factors/datasets.csv", csv_bytes(
            ("dataset", "version", "year", "title", "source", "licence", "pinned"),
            ([d.dataset_id, d.version, d.year, d.title, d.source, d.licence, d.ref in pinned]
             for d in datasets))),
        BundleFile("factors/factors.csv", csv_bytes(FACTOR_HEADER, factor_rows)),
    ]
    return files, [d.ref for d in datasets]


def _import_files(reporting_year: ReportingYear, notes: list[str]) -> list[BundleFile]:
    uploads = (Upload.objects.filter(reporting_year=reporting_year).select_related("uploaded_by")
               .order_by("pk"))
    entries = (ActivityEntry.objects.filter(reporting_year=reporting_year).select_related("site", "upload")
               .order_by("pk"))
    imports = LedgerImport.objects.filter(reporting_year=reporting_year).order_by("pk")
    spend_lines = SpendLine.objects.filter(ledger_import__reporting_year=reporting_year).order_by("pk")
    postings = Posting.objects.filter(spend_line__ledger_import__reporting_year=reporting_year).order_by("pk")
    return [
        BundleFile("imports/activity-uploads.csv", csv_bytes(
            ("upload", "filename", "sha256", "size", "lines", "uploaded_by", "uploaded_at"),
            ([u.pk, u.filename, u.sha256, u.size, u.line_count, u.uploaded_by.email if u.uploaded_by else "",
              u.uploaded_at] for u in uploads))),
        BundleFile("imports/activity-entries.csv", csv_bytes(
            ("entry", "activity", "quantity", "unit", "site", "description", "data_quality", "method",
             "origin", "upload", "upload_filename", "details", "created_at", "updated_at"),
            ([e.pk, e.activity, e.quantity, e.unit, e.site.name if e.site else "", e.description,
              e.data_quality, e.method, e.origin, e.upload_id, e.upload.filename if e.upload else "",
              e.details, e.created_at, e.updated_at] for e in entries))),
        BundleFile("imports/ledger-imports.csv", csv_bytes(
            ("import", "kind", "status", "filename", "sha256", "size", "saft_version", "company",
             "org_number", "period_start", "period_end", "transactions", "ledger_lines", "total_debit",
             "total_credit", "t_co2e", "coverage", "warnings", "notes", "options", "created_at",
             "confirmed_at"),
            ([i.pk, i.kind, i.status, i.filename, i.sha256, i.size, i.audit_file_version, i.company_name,
              i.org_number, i.period_start, i.period_end, i.transactions, i.line_count, i.total_debit,
              i.total_credit, i.t_co2e, i.coverage, i.warnings, i.notes, i.options, i.created_at,
              i.confirmed_at] for i in imports))),
        BundleFile("imports/spend-lines.csv", csv_bytes(
            ("spend_line", "import", "account", "account_description", "supplier", "supplier_name",
             "supplier_org_number", "category", "excluded", "rule", "ledger_lines", "net_nok", "t_co2e",
             "flags"),
            ([s.pk, s.ledger_import_id, s.account_id, s.account_description, s.supplier_id, s.supplier_name,
              s.supplier_org_number, s.category, s.excluded, s.rule, s.lines, s.net_nok, s.t_co2e, s.flags]
             for s in spend_lines))),
        BundleFile("imports/postings.csv", csv_bytes(
            ("posting", "spend_line", "transaction", "record", "date", "period", "description", "amount_nok"),
            ([p.pk, p.spend_line_id, p.transaction_id, p.record_id, p.date, p.period, p.description, p.amount]
             for p in postings.iterator(chunk_size=5000)))),
        *_kept_files(uploads, imports, notes),
    ]


def _kept_files(uploads: Iterable[Upload], imports: Iterable[LedgerImport],
                notes: list[str]) -> list[BundleFile]:
    """The uploaded files as uploaded (``imports/files/``), where klimabok kept them; a kept file whose
    bytes no longer match the SHA-256 recorded at upload is left out and named in the notes."""
    files = []
    sources = [("activity", u.pk, u.filename, u.sha256, u.kept_file) for u in uploads]
    sources += [("ledger", i.pk, i.filename, i.sha256, i.kept_file) for i in imports
                if i.status != LedgerImport.Status.FAILED]
    for kind, pk, filename, sha256, kept in sources:
        data = read_kept(kept)
        if data is None:
            continue
        if hashlib.sha256(data).hexdigest() != sha256:
            notes.append(f"imports/files: {kind} {pk} ({filename}) left out: its kept file does not match "
                         f"the SHA-256 recorded when it was uploaded")
            continue
        files.append(BundleFile(f"imports/files/{kind}-{pk}-{filename}", data))
    return files


def _adjustment_files(reporting_year: ReportingYear) -> list[BundleFile]:
    overrides = SpendOverride.objects.filter(reporting_year=reporting_year).select_related("created_by")
    rules = SpendCoverageRule.objects.filter(reporting_year=reporting_year).select_related("created_by")
    screening = Scope3Screening.objects.filter(reporting_year=reporting_year).select_related("updated_by")
    return [
        BundleFile("adjustments/spend-overrides.csv", csv_bytes(
            ("override", "applies_to", "key", "category", "kg_co2e_per_nok", "source", "excluded_reason",
             "note", "created_by", "created_at"),
            ([o.pk, o.target, o.key, o.category, o.kg_co2e_per_nok, o.source, o.excluded_reason, o.note,
              o.created_by.email if o.created_by else "", o.created_at] for o in overrides.order_by("pk")))),
        BundleFile("adjustments/coverage-rules.csv", csv_bytes(
            ("rule", "category", "mode", "share_percent", "note", "created_by", "updated_at"),
            ([r.pk, r.category, r.mode, r.share_percent, r.note, r.created_by.email if r.created_by else "",
              r.updated_at] for r in rules.order_by("pk")))),
        BundleFile("adjustments/scope3-screening.csv", csv_bytes(
            ("category", "relevance", "criterion", "reason", "updated_by", "updated_at"),
            ([s.category, s.relevance, s.criterion, s.reason, s.updated_by.email if s.updated_by else "",
              s.updated_at] for s in screening.order_by("category")))),
    ]


def _audit_files(reporting_year: ReportingYear) -> list[BundleFile]:
    organisation_id = reporting_year.organisation_id
    events = Event.objects.filter(organisation_id=organisation_id).order_by("pk")
    chain = verify_chain(lambda event: event.organisation_id == organisation_id)
    verification = {
        "ok": chain.ok,
        "organisation_events_checked": chain.shown,
        "problems": [b.problem for b in chain.breaks if b.shown],
        "broken_links_in_other_organisations_events": sum(not b.shown for b in chain.breaks),
        "chain_ends_at_its_recorded_head": chain.head_matches,
        "method": "klimabok audit verify: every event's hash and link recomputed over the whole chain; "
                  "only this organisation's events are listed",
    }
    return [
        BundleFile("audit/events.csv", csv_bytes(
            ("event", "kind", "created_at", "actor", "subject", "payload", "previous_hash", "hash",
             "hash_format"),
            ([e.pk, e.kind, e.created_at, e.actor_label, e.subject, e.payload, e.previous_hash, e.hash,
              e.hash_format] for e in events.iterator(chunk_size=2000)))),
        BundleFile("audit/verify.json", (json.dumps(verification, indent=2) + "\n").encode()),
    ]


def _report_files(reporting_year: ReportingYear, language: str, notes: list[str]) -> list[BundleFile]:
    providers, skipped = _report_providers()
    notes.extend(f"reports/{line}" for line in skipped)
    files: list[BundleFile] = []
    for name in sorted(providers):
        try:
            made = providers[name](reporting_year, language)
        except KlimabokError as exc:
            notes.append(f"reports/{name}: not made ({exc})")
            continue
        except ImportError as exc:
            notes.append(f"reports/{name}: not available in this klimabok ({exc})")
            continue
        files += [BundleFile(f"reports/{name}/{filename}", data) for filename, data in made]
    return files


NOT_KEPT = [
    "imports/files/ holds the uploaded activity files and ledger files (SAF-T, general ledger) as uploaded, "
    "where klimabok kept them (KLIMABOK_KEEP_IMPORT_FILES; not for uploads made before klimabok kept "
    "files, nor when the setting is off); their SHA-256 are those in imports/activity-uploads.csv and "
    "imports/ledger-imports.csv, which also name every file, kept or not.",
    "audit/events.csv holds the organisation's events up to when the bundle was made: a later event changes "
    "that file and the manifest, nothing else.",
]


def bundle_filename(reporting_year: ReportingYear) -> str:
    return f"audit-{reporting_year.organisation.slug}-{reporting_year.year}.zip"


#: the steps of :func:`build_bundle`, in order, as it reports them to ``progress``
BUNDLE_STEPS = ("account", "imports", "adjustments", "audit", "reports", "packing")


def build_bundle(reporting_year: ReportingYear, language: str | None = None,
                 progress: Callable[[str], None] | None = None) -> bytes:
    """The year's auditor's bundle as ZIP bytes; CSV column names in ``language`` (default: the site's).

    ``progress`` is told each step of :data:`BUNDLE_STEPS` as it starts (the task worker's job page)."""
    language = language or settings.LANGUAGE_CODE
    step = progress or (lambda _step: None)
    notes: list[str] = []
    with translation.override(language):
        step("account")
        account_files, dataset_refs = _account_files(reporting_year, notes)
        step("imports")
        files = [*account_files, *_import_files(reporting_year, notes)]
        step("adjustments")
        files += _adjustment_files(reporting_year)
        step("audit")
        files += _audit_files(reporting_year)
        step("reports")
        files += _report_files(reporting_year, language, notes)
    step("packing")
    organisation = reporting_year.organisation
    closed_at = reporting_year.closed_at if reporting_year.is_closed else None
    facts: dict[str, Any] = {
        "organisation": {"name": organisation.name, "slug": organisation.slug,
                         "org_number": organisation.org_number},
        "year": reporting_year.year,
        "closed": reporting_year.is_closed,
        "closed_at": closed_at.isoformat() if closed_at else None,
        "gwp_set": reporting_year.gwp_set,
        "pinned_datasets": list(reporting_year.pinned_refs),
        "datasets_used": dataset_refs,
        "klimabok_version": klimabok.__version__,
        "language": language,
        "not_kept": NOT_KEPT,
        "notes": notes,
    }
    moment = closed_at.astimezone(UTC).replace(tzinfo=None) if closed_at is not None else None
    return pack(files, facts, moment)
