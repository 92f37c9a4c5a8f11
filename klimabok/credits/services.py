"""Every write to credits: imports, blocks by hand, prices, policy, and reserve/release/retire for orders.

Each function runs in one transaction, takes row locks on the blocks it
changes (``select_for_update``, in primary-key order so two writers cannot
deadlock), lets the core decide (:mod:`klimabok.core.credits`), stores the
result and appends the audit trail's events in the same transaction
(:func:`klimabok.audit.services.record_event`). Reserve, release and retire
touch only the range rows of the order and the available rows next to them,
never rewrite a block (see "orders" below and docs/architecture.md); the
database refuses overlaps even if a check here were missed (see
:mod:`klimabok.credits.models`) and ``audit verify`` re-checks every holding whole.

Public API (``order_id``/``retirement_id`` in the core are the rows' primary keys as strings):

``import_registry_file(partner, file, format, user, *, file_name=None, projects=None) -> ImportResult``
``add_block(partner, serial, quantity, project, *, user, kind="unknown", labels=(), product_type="",
price=None) -> CreditBlock``
``set_price(block, price, user) -> None``
``update_project(project, user, **fields) -> None``
``update_policy(partner, user, **fields) -> PortfolioPolicy`` (re-screens blocks not yet sold)
``reserve(order, quantity, project=None, *, user=None) -> list[CreditRange]`` (sets ``order.price_total``)
``order_in_one_call(order, project, *, user=None) -> bool`` (PostgreSQL: insert the order and reserve it,
one statement)
``release(order, *, user=None) -> int`` (credits made available again)
``retire(order, retirement, *, user=None) -> list[CreditRange]``
``match_retirements(partner, registry_rows, registry_import, *, user=None) -> list[Retirement]``
(run by the import for retirement rows of credits the partner holds)
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from klimabok.accounts.models import Organisation, User
from klimabok.audit.hashing import timestamp
from klimabok.audit.kinds import Kind
from klimabok.audit.services import record_event, subject_of
from klimabok.core.credits.blocks import (
    AlreadyRetired,
    CreditError,
    Holding,
    NotEnoughCredits,
    SubRange,
    find_overlaps,
    overlapping_pairs,
    released,
    take_lowest,
)
from klimabok.core.credits.blocks import Status as BlockStatus
from klimabok.core.credits.registries import (
    CCP_LABEL,
    CreditKind,
    Project,
    RegistryBlock,
    read_registry_export,
)
from klimabok.core.credits.screening import Policy, ScreeningResult, screen
from klimabok.core.credits.serials import SerialBlock, parse_serial
from klimabok.core.errors import InputError, InputErrors
from klimabok.core.messages import message
from klimabok.credits.holdings import (
    oldest_first,
    policy_of,
    price_of,
    range_rows,
    registry_block_of,
    serial_block_of,
)
from klimabok.credits.models import (
    CompensationOrder,
    CreditBlock,
    CreditProject,
    CreditRange,
    PortfolioPolicy,
    RegistryImport,
    Retirement,
    ScreeningCheck,
)

#: The largest registry export accepted (the real 200-row Verra export is 73 kB).
logger = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 10 * 1024 * 1024
PROGRAMS = {"verra": "Verra VCS", "gold-standard": "Gold Standard", "isometric": "Isometric", "cdm": "CDM"}


@dataclass
class ImportResult:
    """An import: its record, the blocks offered and rejected; ``already_imported`` for a file seen before."""

    registry_import: RegistryImport
    offered: list[CreditBlock] = field(default_factory=list)
    rejected: list[CreditBlock] = field(default_factory=list)
    already_imported: bool = False
    #: Retirement rows of the file for credits the partner holds (not new blocks), and the
    #: partner's retirements they confirmed (:func:`match_retirements`).
    retirement_rows: int = 0
    matched: list[Retirement] = field(default_factory=list)


def stored_policy(partner: Organisation) -> Policy:
    return policy_of(PortfolioPolicy.objects.filter(partner=partner).first())


def import_registry_file(partner: Organisation, file: IO[bytes] | Path, format: str, user: User | None, *,
                         file_name: str | None = None, projects: Path | None = None) -> ImportResult:
    """Import a registry export all-or-nothing, screen every block under the partner's policy.

    Raises ``InputErrors`` naming every bad row (the core's reader), every row
    overlapping another row or a block already on the platform (naming that
    block), and ``InputError`` for a file too large. A file imported before
    (same SHA-256) changes nothing and is returned with ``already_imported``.
    """
    # At most one byte past the limit: a huge upload is refused without being read into memory whole.
    data = file.read_bytes() if isinstance(file, Path) else file.read(MAX_IMPORT_BYTES + 1)
    name = file_name or (file.name if isinstance(file, Path) else getattr(file, "name", "")) or "export.csv"
    name = Path(name).name
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError(message("the file is larger than %(limit)s MB", limit=MAX_IMPORT_BYTES // 2**20),
                         source=name)
    digest = hashlib.sha256(data).hexdigest()
    seen = RegistryImport.objects.filter(partner=partner, sha256=digest).first()
    if seen is not None:
        logger.info("registry import of %s for %s: already imported as %s, nothing changed", name,
                    partner.slug, seen.pk)
        return ImportResult(seen, already_imported=True)
    blocks = _read(data, name, format, projects)
    inside = overlapping_pairs(b.serial for b in blocks)
    if inside:
        # Rows by serial in file order: a row repeated word for word is one serial with two rows,
        # the first of which is "the other" (a mapping would name the second row twice).
        rows: dict[Any, list[int | None]] = {}
        for b in blocks:
            rows.setdefault(b.serial, []).append(b.row)
        raise InputErrors([InputError(message("serial %(serial)s overlaps row %(other)s of the same file",
                                              serial=second.raw, other=rows[first][0] or "?"),
                                      source=name, row=rows[second][-1 if first == second else 0],
                                      field="serial")
                           for first, second in inside])
    with _database_refusal(name), transaction.atomic():
        existing = _existing_near([b.serial for b in blocks], lock=True)
        # A retirement row for credits the partner already holds is the registry's record of a
        # retirement, not a new block: it is matched against the recorded retirements below.
        evidence = [b for b in blocks if _retirement_of_held(partner, b, existing)]
        blocks = [b for b in blocks if not _retirement_of_held(partner, b, existing)]
        _refuse_overlaps(partner, blocks, existing, name)
        record = RegistryImport.objects.create(partner=partner, format=format, file_name=name,
                                               sha256=digest, imported_by=user)
        result = ImportResult(record, retirement_rows=len(evidence))
        result.matched = match_retirements(partner, evidence, record, user=user)
        policy = stored_policy(partner)
        projects_by_id: dict[tuple[str, str], CreditProject] = {}
        for block in blocks:
            project = _project_for(partner, block, projects_by_id)
            row = _create_block(project, block, user, imported_from=record)
            outcome = _screen_and_store(row, block, policy, existing, user, partner)
            (result.offered if outcome.offerable else result.rejected).append(row)
        record.offered, record.rejected = len(result.offered), len(result.rejected)
        record.save(update_fields=["offered", "rejected"])
    logger.info("registry import %s of %s (%s) for %s: %s block(s) offered, %s rejected", record.pk, name,
                format, partner.slug, record.offered, record.rejected)
    return result


def _retirement_of_held(partner: Organisation, block: RegistryBlock, existing: Iterable[CreditBlock]) -> bool:
    """Whether ``block`` is a retirement row lying wholly inside one of ``partner``'s stored blocks."""
    serial = block.serial
    return block.retirement is not None and any(
        held.project.owner_id == partner.pk and held.registry == serial.registry
        and held.identity == serial.identity and held.serial_start <= serial.start
        and serial.end <= held.serial_end for held in existing)


def _names(text: str, organisation: Organisation) -> bool:
    """Whether ``text`` (a beneficiary, reason or note) names ``organisation``: its name or org number."""
    if organisation.name.strip() and organisation.name.strip().casefold() in text.casefold():
        return True
    digits = re.sub(r"\D", "", organisation.org_number)
    if len(digits) < 9:
        return False
    joined = re.sub(r"(?<=\d)[\s.]+(?=\d)", "", text)  # "974 760 673" and "974.760.673" as one number
    return digits in re.findall(r"\d+", joined)


def match_retirements(partner: Organisation, registry_rows: Sequence[RegistryBlock],
                      registry_import: RegistryImport, *, user: User | None = None) -> list[Retirement]:
    """Mark the partner's recorded retirements that ``registry_rows`` (a registry export) confirm.

    A retirement is matched when every range retired under it lies inside one
    retirement row of the export (same registry and numbering, the row's serials
    covering the range) whose beneficiary, reason or note names the client
    organisation (its name, case-insensitively, or its org number). Rows that
    record a cancellation rather than a retirement confirm nothing. A matched
    retirement keeps when and from which export (file name, SHA-256) it was
    matched, and the audit trail gets a ``retirement_matched`` event, in the
    same transaction. Returns the retirements matched now.
    """
    rows = [b for b in registry_rows
            if b.retirement is not None and b.retirement.status not in ("canceled", "cancelled")]
    if not rows:
        return []
    matched = []
    with transaction.atomic():
        candidates = list(Retirement.objects.select_for_update(of=("self",)).filter(
            order__partner=partner, matched_at__isnull=True,
            pk__in=CreditRange.objects.filter(status=CreditRange.Status.RETIRED, retirement__isnull=False)
            .values("retirement_id")).select_related("order__client").order_by("pk"))
        for retirement in candidates:
            client = retirement.order.client
            ranges = list(retirement.ranges.filter(status=CreditRange.Status.RETIRED).select_related("block"))
            confirming = [b for b in rows if b.retirement is not None and any(
                _names(text, client) for text in (b.retirement.beneficiary, b.retirement.reason,
                                                   b.retirement.details))]
            covers = [[b for b in confirming if b.serial.registry == r.block.registry
                       and b.serial.identity == r.block.identity
                       and b.serial.start <= r.start and r.end <= b.serial.end] for r in ranges]
            if not ranges or not all(covers):
                continue
            retirement.matched_at = timezone.now()
            retirement.matched_import = registry_import
            retirement.save(update_fields=["matched_at", "matched_import"])
            record_event(organisation=partner, actor=user, kind=Kind.RETIREMENT_MATCHED,
                         subject=subject_of("retirement", retirement.pk), payload={
                "retirement": retirement.pk, "order": retirement.order_id,
                "registry_reference": retirement.registry_reference, "format": registry_import.format,
                "file_name": registry_import.file_name, "file_sha256": registry_import.sha256,
                "rows": sorted({row.row for found in covers for row in found if row.row is not None}),
                "ranges": [[r.block.raw_serial, r.start, r.end] for r in ranges]})
            matched.append(retirement)
            logger.info("retirement %s (order %s) matched against %s (%s)", retirement.pk,
                        retirement.order_id, registry_import.file_name, registry_import.sha256[:12])
    return matched


@contextmanager
def _database_refusal(source: str | None) -> Iterator[None]:
    """The database's own refusal (a block stored concurrently, behind the check) as a clear error."""
    try:
        yield
    except IntegrityError as exc:
        raise InputError(message("the database refused the blocks: a range overlaps one stored at the same "
                                 "moment (%(reason)s); nothing was stored", reason=str(exc).splitlines()[0]),
                         source=source, field="serial") from exc


def _read(data: bytes, name: str, format: str, projects: Path | None) -> list[RegistryBlock]:
    """The core's reader works on paths: the upload goes through a private temporary file with its name."""
    with tempfile.TemporaryDirectory(prefix="klimabok-import-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        if projects is not None:
            return read_registry_export(path, format, projects=projects)
        return read_registry_export(path, format)


def _existing_near(serials: Sequence[SerialBlock], *, lock: bool = False,
                   exclude: int | None = None) -> list[CreditBlock]:
    """Stored blocks in the numbering spaces of ``serials`` that reach into their span (one query)."""
    spans: dict[tuple[str, str], tuple[int, int]] = {}
    for s in serials:
        low, high = spans.get((s.registry, s.identity), (s.start, s.end))
        spans[(s.registry, s.identity)] = (min(low, s.start), max(high, s.end))
    if not spans:
        return []
    condition = Q()
    for (registry, identity), (low, high) in spans.items():
        condition |= Q(registry=registry, identity=identity, serial_start__lte=high, serial_end__gte=low)
    query = CreditBlock.objects.filter(condition).select_related("project", "project__owner").order_by("pk")
    if exclude is not None:
        query = query.exclude(pk=exclude)
    return list(query.select_for_update(of=("self",)) if lock else query)


def _refuse_overlaps(partner: Organisation, blocks: Iterable[RegistryBlock], existing: list[CreditBlock],
                     source: str | None) -> None:
    by_serial = {serial_block_of(b): b for b in existing}
    errors = []
    for block in blocks:
        for clash in find_overlaps(block.serial, by_serial):
            held = by_serial[clash]
            problem = (message("serial %(serial)s overlaps block %(existing)s already in your portfolio "
                               "(project %(project)s)", serial=block.serial.raw, existing=held.raw_serial,
                               project=held.project.name)
                       if held.project.owner_id == partner.pk else
                       message("serial %(serial)s overlaps block %(existing)s held by another climate "
                               "partner", serial=block.serial.raw, existing=held.raw_serial))
            errors.append(InputError(problem,
                                     source=source, row=block.row, field="serial"))
    if errors:
        raise InputErrors(errors)


def _project_for(partner: Organisation, block: RegistryBlock,
                 cache: dict[tuple[str, str], CreditProject]) -> CreditProject:
    facts = block.project
    key = (facts.registry, facts.project_id or block.serial.project_id)
    if key not in cache:
        project, _ = CreditProject.objects.get_or_create(
            owner=partner, registry=key[0], registry_project_id=key[1],
            defaults={"name": (facts.name or facts.developer or key[1])[:300], "url": facts.url,
                      "program": PROGRAMS.get(key[0], ""), "methodology": facts.methodology,
                      "project_type": facts.project_type, "developer": facts.developer,
                      "country": facts.country})
        cache[key] = project
    project = cache[key]
    labels = sorted({*project.labels, *block.labels})
    changes: dict[str, Any] = {
        "labels": labels, "ccp_label": project.ccp_label or CCP_LABEL in labels,
        "corsia": project.corsia or any(label.upper().startswith("CORSIA") for label in labels),
        "article6": project.article6 or block.article6,
        "kind": block.kind if project.kind == CreditKind.UNKNOWN else project.kind}
    if any(getattr(project, k) != v for k, v in changes.items()):
        for k, v in changes.items():
            setattr(project, k, v)
        project.save(update_fields=[*changes, "updated_at"])
    return project


def _create_block(project: CreditProject, block: RegistryBlock, user: User | None, *,
                  imported_from: RegistryImport | None = None, price: Decimal | None = None) -> CreditBlock:
    serial = block.serial
    retirement = block.retirement
    row = CreditBlock.objects.create(
        project=project, registry=serial.registry, identity=serial.identity, serial_start=serial.start,
        serial_end=serial.end, quantity=serial.quantity, raw_serial=serial.raw, unit_type=serial.unit_type,
        product_type=block.product_type, batch=serial.batch, serial_country=serial.country,
        vintage=serial.vintage_year, vintage_start=serial.vintage_start, vintage_end=serial.vintage_end,
        issued_on=block.issued_on, labels=list(block.labels), kind=str(block.kind), article6=block.article6,
        total_credits=block.total_credits, buffer_credits=block.buffer_credits,
        registry_retirement=None if retirement is None else {
            "retired_on": retirement.retired_on.isoformat() if retirement.retired_on else None,
            "beneficiary": retirement.beneficiary, "reason": retirement.reason,
            "details": retirement.details, "status": retirement.status},
        price_per_tonne=price, imported_from=imported_from, source_row=block.row, created_by=user)
    CreditRange.objects.bulk_create(range_rows(row, Holding.of(serial)))
    record_event(organisation=project.owner, actor=user, subject=subject_of("block", row.pk),
                 kind=Kind.BLOCK_IMPORTED if imported_from else Kind.BLOCK_ADDED, payload={
        "block": row.pk, "serial": serial.raw, "registry": serial.registry, "identity": serial.identity,
        "start": serial.start, "end": serial.end, "quantity": serial.quantity, "vintage": serial.vintage_year,
        "project": project.registry_project_id, "price_per_tonne": price,
        "file_sha256": imported_from.sha256 if imported_from else None, "row": block.row,
    })
    return row


def _screen_and_store(row: CreditBlock, block: RegistryBlock, policy: Policy, existing: Iterable[CreditBlock],
                      user: User | None, partner: Organisation) -> ScreeningResult:
    others = [serial_block_of(b) for b in existing if b.pk != row.pk]
    result = screen(block, policy, existing_ranges=others)
    ScreeningCheck.objects.filter(block=row).delete()
    ScreeningCheck.objects.bulk_create([
        ScreeningCheck(block=row, position=i, name=c.name, status=str(c.status),
                       message={"template": c.message.template, "params": dict(c.message.params)})
        for i, c in enumerate(result.checks)])
    status = CreditBlock.Status.OFFERED if result.offerable else CreditBlock.Status.REJECTED
    row.status = status
    row.save(update_fields=["status"])
    record_event(organisation=partner, actor=user, kind=Kind.SCREENED, subject=subject_of("block", row.pk),
                 payload={"block": row.pk, "serial": row.raw_serial, "status": status,
                          "failed": [c.name for c in result.failed],
                          "warnings": [c.name for c in result.warnings]})
    return result


def add_block(partner: Organisation, serial: str, quantity: int, project: Project, *, user: User | None,
              kind: str = CreditKind.UNKNOWN, labels: Sequence[str] = (), product_type: str = "",
              price: Decimal | None = None) -> CreditBlock:
    """Add a block by hand: the serial must parse and match ``quantity``; screened like an import."""
    parsed = parse_serial(serial.strip(), quantity=quantity)
    facts = Project(registry=project.registry or parsed.registry,
                    project_id=project.project_id or parsed.project_id, name=project.name,
                    country=project.country, methodology=project.methodology,
                    project_type=project.project_type, url=project.url, developer=project.developer)
    if not facts.project_id:
        raise InputError(message("the registry's project ID is needed"), field="project_id")
    if not facts.name:
        raise InputError(message("the project needs a name"), field="project_name")
    block = RegistryBlock(serial=parsed, project=facts, product_type=product_type or parsed.unit_type,
                          labels=tuple(labels), kind=CreditKind(kind))
    with _database_refusal(None), transaction.atomic():
        existing = _existing_near([parsed], lock=True)
        _refuse_overlaps(partner, [block], existing, None)
        stored_project = _project_for(partner, block, {})
        row = _create_block(stored_project, block, user, price=price)
        _screen_and_store(row, block, stored_policy(partner), existing, user, partner)
    return row


def set_price(block: CreditBlock, price: Decimal, user: User | None) -> None:
    """Set the price per tonne (NOK) of a block; orders already placed keep the price they were given."""
    if price < 0:
        raise InputError(message("a price cannot be negative"), field="price")
    with transaction.atomic():
        locked = CreditBlock.objects.select_for_update().select_related("project__owner").get(pk=block.pk)
        if locked.price_per_tonne == price:
            return
        locked.price_per_tonne = price
        locked.save(update_fields=["price_per_tonne"])
        record_event(organisation=locked.project.owner, actor=user, kind=Kind.PRICE_SET,
                     subject=subject_of("block", locked.pk),
                     payload={"block": locked.pk, "serial": locked.raw_serial, "price_per_tonne": price,
                              "currency": locked.currency})
    block.price_per_tonne = price


#: Fields of a project its owner may edit on the project page.
PROJECT_FIELDS = ("name", "description", "photo_url", "co_benefits", "kind", "nature_based", "durability",
                  "buffer", "rating", "url", "program", "corsia", "article6", "corresponding_adjustment")


def update_project(project: CreditProject, user: User | None, **fields: Any) -> None:
    """Change the client-facing facts of a project (``PROJECT_FIELDS``); a kind change re-screens."""
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        kind_changed = "kind" in fields and fields["kind"] != project.kind
        for name, value in fields.items():
            setattr(project, name, value)
        project.save(update_fields=[*fields, "updated_at"])
        if kind_changed:
            _rescreen(project.owner, user, CreditBlock.objects.filter(project=project))


def update_policy(partner: Organisation, user: User | None, **fields: Any) -> PortfolioPolicy:
    """Store the partner's policy and re-screen every block not yet sold (no credit reserved or retired)."""
    with transaction.atomic():
        policy, _ = PortfolioPolicy.objects.select_for_update().get_or_create(partner=partner)
        for name, value in fields.items():
            setattr(policy, name, value)
        policy.updated_by = user
        policy.full_clean(exclude=["partner"])
        policy.save()
        record_event(organisation=partner, actor=user, kind=Kind.POLICY_CHANGED,
                     subject=subject_of("policy", partner.slug), payload={"partner": partner.slug, **{
                         k: (sorted(v) if isinstance(v, set | frozenset) else v) for k, v in fields.items()}})
        _rescreen(partner, user, CreditBlock.objects.filter(project__owner=partner))
    return policy


def _rescreen(partner: Organisation, user: User | None, blocks: Any) -> None:
    unsold = (blocks.exclude(ranges__status__in=[CreditRange.Status.RESERVED, CreditRange.Status.RETIRED])
              .select_related("project").order_by("pk"))
    rows = list(unsold.select_for_update(of=("self",)))
    if not rows:
        return
    policy = stored_policy(partner)
    existing = _existing_near([serial_block_of(b) for b in rows])
    for row in rows:
        _screen_and_store(row, registry_block_of(row), policy, existing, user, partner)


def removal_share_offered(partner: Organisation) -> tuple[list[RegistryBlock], Policy]:
    """The partner's offered blocks as the core sees them, and its policy (for the portfolio-level check)."""
    rows = CreditBlock.objects.filter(project__owner=partner, status=CreditBlock.Status.OFFERED)
    return [registry_block_of(b) for b in rows.select_related("project")], stored_policy(partner)


# --- orders: reserve, release, retire (called by the orders service) -------------------------------
#
# A block's range rows partition it (:mod:`klimabok.credits.models`); an order touches only the rows it
# needs, never the others, so an order costs the same on a block with ten ranges as on one with a hundred
# thousand: a reservation reads the block's *available* rows (a partial index; usually one, the block's
# untouched tail) and cuts the lowest serials off them (one UPDATE of the available row it shortens, one
# INSERT of the reserved row); a release turns the order's rows back into available ones joined with their
# available neighbours; a retirement re-labels the order's rows. The core decides each cut
# (:func:`~klimabok.core.credits.blocks.take_lowest`, :func:`~klimabok.core.credits.blocks.released`);
# the block's row lock serialises writers of one block; the database refuses overlaps behind them; and
# ``audit verify`` re-checks every holding whole (:mod:`klimabok.credits.verification`).


def _locked_blocks(query: Any) -> list[CreditBlock]:
    return list(query.select_related("project__owner").order_by("pk").select_for_update(of=("self",)))


def _sub_range(row: CreditRange) -> SubRange:
    return SubRange(row.start, row.end, BlockStatus(row.status),
                    str(row.order_id) if row.order_id is not None else None,
                    str(row.retirement_id) if row.retirement_id is not None else None)


def _available_rows(block_ids: Iterable[int]) -> dict[int, list[CreditRange]]:
    """Each block's available range rows, in serial order (one query on the partial index)."""
    rows: dict[int, list[CreditRange]] = {pk: [] for pk in block_ids}
    for row in CreditRange.objects.filter(block_id__in=list(rows), status=CreditRange.Status.AVAILABLE
                                          ).order_by("block_id", "start"):
        rows[row.block_id].append(row)
    return rows


def _in_transaction() -> Any:
    """The caller's transaction when there is one (no savepoint: its refusal ends it), else a new one."""
    return nullcontext() if transaction.get_connection().in_atomic_block else transaction.atomic()


def _range_payload(block: CreditBlock, ranges: Iterable[CreditRange | SubRange]) -> list[dict[str, Any]]:
    return _serial_payload(serial_block_of(block), ranges)


def _serial_payload(serial: SerialBlock, ranges: Iterable[CreditRange | SubRange]) -> list[dict[str, Any]]:
    return [{"serial": serial.sub_block(r.start, r.end).raw, "start": r.start, "end": r.end,
             "quantity": r.end - r.start + 1, "status": str(r.status)} for r in ranges]


def _record(block: CreditBlock, kind: str, order: CompensationOrder, user: User | None,
            ranges: Iterable[CreditRange | SubRange], extra: dict[str, Any] | None = None) -> None:
    record_event(organisation=block.project.owner, actor=user, kind=kind,
                 subject=subject_of("order", order.pk), payload={
                     "block": block.pk, "order": order.pk, "client": order.client.slug, **(extra or {}),
                     "ranges": _range_payload(block, ranges)})


def _take(block: CreditBlock, free: list[CreditRange], quantity: int,
          order: CompensationOrder) -> list[CreditRange]:
    """Reserve the block's lowest ``quantity`` available serials: rows shortened or re-labelled, one added."""
    left, taken = take_lowest([_sub_range(r) for r in free], quantity, str(order.pk))
    remaining = {r.end: r for r in left}  # a shortened row keeps its end, a used-up one is gone
    rows = []
    for row, wanted in zip(free, taken, strict=False):
        rest = remaining.get(row.end)
        if rest is None:  # the whole available row is the order's now
            row.status, row.order = CreditRange.Status.RESERVED, order
            row.save(update_fields=["status", "order"])
            rows.append(row)
            continue
        # Shorten first, then insert: the rows of a block never overlap, not even between two statements.
        row.start = rest.start
        row.save(update_fields=["start"])
        rows.append(CreditRange.objects.create(block=block, start=wanted.start, end=wanted.end,
                                               status=CreditRange.Status.RESERVED, order=order))
    return rows


def reserve(order: CompensationOrder, quantity: int, project: CreditProject | None = None, *,
            user: User | None = None) -> list[CreditRange]:
    """Reserve ``quantity`` credits for ``order`` from the partner's offered, priced blocks.

    Lowest serials of the oldest vintage first (of ``project`` only, when given).
    Raises the core's ``NotEnoughCredits`` — nothing changed — when fewer are
    available. Sets ``order.price_total`` (quantity × each block's price). Runs
    in the caller's transaction when there is one (the order's), else in its
    own. On PostgreSQL the locks, the cut and the writes are one call of
    ``credits_reserve`` (credits migration 0007), the same cut as the core's
    :func:`~klimabok.core.credits.blocks.take_lowest` used here elsewhere.
    """
    with _in_transaction():
        if connection.vendor == "postgresql":
            taken, total = _reserve_in_database(order, quantity, project, user)
        else:
            taken, total = _reserve_here(order, quantity, project, user)
    order.price_total = total
    logger.info("order %s: %s credit(s) reserved in %s range(s), %s NOK", order.pk, quantity, len(taken),
                total)
    return taken


def order_in_one_call(order: CompensationOrder, project: CreditProject | None, *,
                      user: User | None = None) -> bool:
    """Insert the unsaved ``order`` and reserve its tonnes in one statement (PostgreSQL only).

    ``credits_order`` (credits migration 0008) inserts the order row when the year is closed and the
    key unused, reserves as :func:`reserve` does (``credits_reserve``), and appends one ``reserved``
    event a block under the chain head's lock, its hash computed by the database exactly as
    :func:`klimabok.audit.hashing.hash_of` does. Outside a transaction the statement is its own
    transaction; when it queued for its block's lock, its COMMIT releases the block's and the head's locks
    without waiting for the disk (credits 0011) and this returns only once the order is durable
    (:func:`_durable`). Inside one it runs in a savepoint (its refusal must not end the caller's
    transaction) and the caller's COMMIT is as it was.
    Returns False (nothing written) when no row was inserted; raises ``NotEnoughCredits`` (nothing
    written) when fewer credits are available; sets ``order.pk`` and ``order.price_total``.
    """
    now = order.created_at
    actor = user.email if user is not None else ""
    own_transaction = not transaction.get_connection().in_atomic_block
    params = [order.client_id, order.partner_id, order.reporting_year, order.tonnes,
              project.pk if project is not None else None, order.coverage, order.idempotency_key,
              user.pk if user is not None else None, actor, now, timestamp(now), order.client.slug,
              own_transaction]
    try:
        with nullcontext() if own_transaction else transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT * FROM credits_order(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                           params)
            row = cursor.fetchone()
    except DatabaseError as exc:
        diag = getattr(exc.__cause__, "diag", None)
        if diag is None or diag.sqlstate != "P0001" or diag.message_primary != NOT_ENOUGH:
            raise
        raise _not_enough(order.tonnes, int(diag.message_detail or 0)) from exc
    if own_transaction and (row is None or row[2]):
        _durable()
    if row is None:
        return False
    order.pk, order.price_total = row[0], row[1]
    order._state.adding = False
    logger.info("order %s: %s credit(s) reserved, %s NOK", order.pk, order.tonnes, order.price_total)
    return True


def _durable() -> None:
    """Wait until everything committed so far, the order just placed included, is on disk.

    ``credits_order`` committed without waiting for the WAL flush (credits 0011), so that its block's lock
    is not held while the disk writes. This commits one small transactional WAL record (a logical
    decoding message nobody needs to read) with the session's synchronous commit: its flush covers every
    record before it. Also after a replayed key: the first order, committed by another session, may not
    be on disk yet either.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_logical_emit_message(true, 'klimabok.order', '')")


#: The message of ``credits_order``'s refusal when fewer credits are available than ordered.
NOT_ENOUGH = "credits_order: not enough credits"


def _not_enough(quantity: int, available: int) -> NotEnoughCredits:
    return NotEnoughCredits(message("%(requested)s credits requested but only %(available)s available",
                                    requested=quantity, available=available))


def _reserve_here(order: CompensationOrder, quantity: int, project: CreditProject | None,
                  user: User | None) -> tuple[list[CreditRange], Decimal]:
    query = CreditBlock.objects.filter(project__owner=order.partner_id, status=CreditBlock.Status.OFFERED,
                                       price_per_tonne__isnull=False,
                                       ranges__status=CreditRange.Status.AVAILABLE)
    if project is not None:
        query = query.filter(project=project)
    blocks = _locked_blocks(CreditBlock.objects.filter(pk__in=query.values("pk")))
    free = _available_rows(b.pk for b in blocks)
    available = sum(r.quantity for rows in free.values() for r in rows)
    if quantity > available:
        raise _not_enough(quantity, available)
    wanted, total, taken = quantity, Decimal(0), []
    for block in sorted(blocks, key=oldest_first):  # locked in pk order, taken oldest vintage first
        here = sum(r.quantity for r in free[block.pk])
        if wanted == 0 or not here:
            continue
        cut = min(wanted, here)
        rows = _take(block, free[block.pk], cut, order)
        _record(block, Kind.RESERVED, order, user, rows)
        taken += rows
        assert block.price_per_tonne is not None  # filtered above
        total += price_of(cut, block.price_per_tonne)
        wanted -= cut
    order.price_total = total
    order.save(update_fields=["price_total"])
    return taken, total


def _reserve_in_database(order: CompensationOrder, quantity: int, project: CreditProject | None,
                         user: User | None) -> tuple[list[CreditRange], Decimal]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM credits_reserve(%s, %s, %s, %s)",
                       [order.pk, order.partner_id, project.pk if project is not None else None, quantity])
        rows = cursor.fetchall()
    if rows[0][0] is None:
        raise _not_enough(quantity, int(rows[0][5]))
    by_block: dict[int, tuple[SerialBlock, list[CreditRange]]] = {}
    total = Decimal(0)
    for (block_id, range_id, start, end, price, _available, registry, identity, serial_start, serial_end,
         raw, unit_type, country, batch, vintage, vintage_start, vintage_end, project_id) in rows:
        serial = SerialBlock(registry=registry, identity=identity, start=serial_start, end=serial_end,
                             raw=raw, unit_type=unit_type, project_id=project_id, country=country,
                             batch=batch, vintage_start=vintage_start, vintage_end=vintage_end,
                             vintage_year=vintage)
        row = CreditRange(pk=range_id, block_id=block_id, start=start, end=end,
                          status=CreditRange.Status.RESERVED, order=order)
        row._state.adding = False
        by_block.setdefault(block_id, (serial, []))[1].append(row)
        total += price_of(end - start + 1, price)
    taken = []
    for block_id, (serial, ranges) in by_block.items():  # one event a block, as the rows came: oldest first
        record_event(organisation=order.partner, actor=user, kind=Kind.RESERVED,
                     subject=subject_of("order", order.pk), payload={
                         "block": block_id, "order": order.pk, "client": order.client.slug,
                         "ranges": _serial_payload(serial, ranges)})
        taken += ranges
    return taken, total


def _order_rows(order: CompensationOrder) -> tuple[list[CreditBlock], dict[int, list[CreditRange]]]:
    """The blocks holding the order's ranges (locked, in primary-key order) and its rows in each."""
    blocks = _locked_blocks(CreditBlock.objects.filter(pk__in=CreditRange.objects.filter(
        order=order).values("block_id")))
    rows: dict[int, list[CreditRange]] = {b.pk: [] for b in blocks}
    for row in CreditRange.objects.filter(order=order).order_by("block_id", "start"):
        rows[row.block_id].append(row)
    return blocks, rows


def release(order: CompensationOrder, *, user: User | None = None) -> int:
    """Make the order's reserved credits available again; raises ``AlreadyRetired`` for retired ones.

    Exactly the order's rows change: each becomes available, joined with the
    available rows right before and after it (which are deleted); no other
    row of the block is read or written.
    """
    with transaction.atomic():
        blocks, mine = _order_rows(order)
        for block in blocks:
            if any(r.status == CreditRange.Status.RETIRED for r in mine[block.pk]):
                raise AlreadyRetired(message(
                    "order %(order)s is already retired in %(serial)s; retired credits cannot be released",
                    order=order.pk, serial=block.raw_serial))
        free = _available_rows(b.pk for b in blocks)
        released_total = 0
        for block in blocks:
            by_end = {r.end: r for r in free[block.pk]}
            by_start = {r.start: r for r in free[block.pk]}
            quantity = sum(r.quantity for r in mine[block.pk])  # only reserved rows get here
            for row in mine[block.pk]:
                before, after = by_end.pop(row.start - 1, None), by_start.pop(row.end + 1, None)
                joined = released(_sub_range(row), _sub_range(before) if before else None,
                                  _sub_range(after) if after else None)
                gone = [r for r in (before, after) if r is not None]
                for neighbour in gone:
                    by_start.pop(neighbour.start, None)
                    by_end.pop(neighbour.end, None)
                if gone:  # delete the neighbours first: the joined row then overlaps nothing
                    CreditRange.objects.filter(pk__in=[r.pk for r in gone]).delete()
                row.start, row.end = joined.start, joined.end
                row.status, row.order = CreditRange.Status.AVAILABLE, None
                row.save(update_fields=["start", "end", "status", "order"])
                by_start[row.start], by_end[row.end] = row, row
            released_total += quantity
            _record(block, Kind.RELEASED, order, user, (), {"quantity": quantity})
    logger.info("order %s: %s credit(s) released", order.pk, released_total)
    return released_total


def retire(order: CompensationOrder, retirement: Retirement, *,
           user: User | None = None) -> list[CreditRange]:
    """Mark every credit the order reserved as retired under ``retirement`` (the registry's record)."""
    if retirement.order_id != order.pk:
        raise CreditError(message("the retirement belongs to another order"))
    with transaction.atomic():
        blocks, mine = _order_rows(order)
        if not blocks:
            raise CreditError(message("order %(order)s has no credits reserved", order=order.pk))
        retired = []
        for block in blocks:
            rows = mine[block.pk]
            if any(r.status == CreditRange.Status.RETIRED for r in rows):
                raise AlreadyRetired(message("order %(order)s is already retired in %(serial)s; credits are "
                                             "retired only once", order=order.pk, serial=block.raw_serial))
            CreditRange.objects.filter(pk__in=[r.pk for r in rows]).update(
                status=CreditRange.Status.RETIRED, retirement=retirement)
            for row in rows:
                row.status, row.retirement = CreditRange.Status.RETIRED, retirement
            _record(block, Kind.RETIRED, order, user, rows, {
                "retirement": retirement.pk, "retired_on": retirement.retired_on.isoformat(),
                "registry_reference": retirement.registry_reference, "beneficiary": retirement.beneficiary,
                "reason": retirement.reason})
            retired += rows
    logger.info("order %s: %s credit(s) retired (retirement %s, registry reference %s)", order.pk,
                sum(r.end - r.start + 1 for r in retired), retirement.pk, retirement.registry_reference)
    return retired
