"""Store factor datasets in the database and build the catalogue with the imported ones.

Every import goes through :func:`import_dataset`, one transaction: a dataset is
stored whole or not at all. The same content imported twice (even under
another version label) is recognised by its hash and refused.

Closing a year stores the shipped versions it pinned with :func:`archive_datasets`
(kind ``archive``): never layered on top of the catalogue, found only by
:func:`stored_datasets_by_ref` when a closed account asks for its pinned refs.

Both are changes to the factor library and append an audit event in their
transaction (``factors.dataset_imported``, ``factors.dataset_archived``: who, the
dataset's id, version, year, content hash and number of factors).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Context, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from klimabok.accounts.models import User
from klimabok.audit.kinds import Kind
from klimabok.audit.services import lock_chain, record_event, subject_of
from klimabok.core.errors import KlimabokError
from klimabok.core.factors.catalogue import Catalogue, default_catalogue
from klimabok.core.factors.model import Basis, Factor, FactorDataset
from klimabok.factors.models import DECIMAL_PLACES, MAX_DIGITS, StoredDataset, StoredFactor

GASES = ("kg_co2e", "kg_co2", "kg_ch4", "kg_n2o", "kg_other_co2e")
HASHED_FIELDS = ("key", "year", "unit", "region", "scope", "category", "basis", "source_ref", *GASES)
QUANTUM = Decimal(1).scaleb(-DECIMAL_PLACES)

logger = logging.getLogger(__name__)


class DatasetAlreadyStored(KlimabokError):
    """The dataset (same content, or same id and version) is already in the database."""


def content_hash(dataset: FactorDataset) -> str:
    """SHA-256 over the year and every factor's figures and references.

    Labels (dataset id, version, names, the source text that quotes the version) are left out, so
    the same file imported again under another version is still recognised.
    """
    # Biogenic CO2 enters a row only where there is some, so data stored before it existed keeps its hash.
    rows = sorted((*(str(getattr(f, field)) for field in HASHED_FIELDS),
                   *((str(f.kg_co2_biogenic), f.biogenic_source_ref) if f.kg_co2_biogenic else ()))
                  for f in dataset.factors)
    payload = json.dumps({"year": dataset.year, "factors": rows})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(QUANTUM, context=Context(prec=MAX_DIGITS))


def _store(dataset: FactorDataset, digest: str, *, kind: str, file_name: str = "",
           user: User | None = None) -> StoredDataset:
    """Insert the dataset and its factors and record the event (the caller runs this in a transaction)."""
    record = StoredDataset.objects.create(
        kind=kind, dataset_id=dataset.dataset_id, version=dataset.version, year=dataset.year,
        title=dataset.title, source=dataset.source, licence=dataset.licence, content_hash=digest,
        file_name=file_name, imported_by=user)
    StoredFactor.objects.bulk_create(
        [StoredFactor(
            dataset=record, key=f.key, name=f.name, name_nb=f.name_nb, unit=f.unit, year=f.year,
            published_year=f.published_year, region=f.region, scope=f.scope, category=f.category,
            basis=str(f.basis), gwp_set=f.gwp_set, source=f.source, source_ref=f.source_ref,
            licence=f.licence, notes=f.notes, kg_co2_biogenic=_decimal(f.kg_co2_biogenic),
            biogenic_source_ref=f.biogenic_source_ref, **{g: _decimal(getattr(f, g)) for g in GASES})
         for f in dataset.factors],
        batch_size=1000)
    record_event(organisation=None, actor=user, subject=subject_of("dataset", dataset.ref),
                 kind=Kind.FACTORS_DATASET_IMPORTED if kind == StoredDataset.Kind.IMPORT
                 else Kind.FACTORS_DATASET_ARCHIVED,
                 payload={"dataset": dataset.dataset_id, "version": dataset.version, "year": dataset.year,
                          "content_sha256": digest, "factors": len(dataset.factors), "file_name": file_name})
    return record


def import_dataset(dataset: FactorDataset, *, file_name: str = "", user: User | None = None) -> StoredDataset:
    """Store ``dataset`` and its factors; refuse a duplicate with a message saying what is stored."""
    if not dataset.factors:
        raise KlimabokError(_("the dataset %(ref)s has no factors") % {"ref": dataset.ref})
    digest = content_hash(dataset)
    same = StoredDataset.objects.filter(content_hash=digest).first()
    if same is not None:
        raise DatasetAlreadyStored(
            _("this data is already stored as %(ref)s (imported %(when)s); nothing was imported")
            % {"ref": str(same), "when": same.imported_at.date().isoformat()})
    if StoredDataset.objects.filter(dataset_id=dataset.dataset_id, version=dataset.version).exists():
        raise DatasetAlreadyStored(
            _("%(ref)s is already stored with other values; give the new file another version")
            % {"ref": dataset.ref})
    try:
        with transaction.atomic():
            lock_chain()  # before the insert, as archive_datasets does: the same lock order everywhere
            record = _store(dataset, digest, kind=StoredDataset.Kind.IMPORT, file_name=file_name, user=user)
    except IntegrityError as exc:  # a concurrent import of the same data, or a key twice in one year
        raise DatasetAlreadyStored(
            _("%(ref)s could not be stored: %(reason)s") % {"ref": dataset.ref, "reason": exc}) from None
    logger.info("factor dataset %s imported from %s: %s factors", dataset.ref, file_name or "(no file)",
                len(dataset.factors))
    return record


def _stored_copy(dataset: FactorDataset, digest: str) -> StoredDataset | None:
    """The stored row holding ``dataset``: the same ref, else the same content under another ref."""
    same_ref = StoredDataset.objects.filter(dataset_id=dataset.dataset_id, version=dataset.version).first()
    if same_ref is not None:
        if same_ref.content_hash != digest:
            raise KlimabokError(_(
                "%(ref)s is stored with other values than the catalogue has; the account cannot be "
                "pinned to it") % {"ref": dataset.ref})
        return same_ref
    return StoredDataset.objects.filter(content_hash=digest).first()


def archive_datasets(datasets: Iterable[FactorDataset], *, user: User | None = None) -> dict[str, str]:
    """Make sure every dataset in ``datasets`` is in the database, so a closed account keeps it.

    A dataset already stored (imported, or archived by an earlier close) is not stored again; one
    whose content is stored under another ref is not stored twice either (content hashes are
    unique). Returns each dataset's ref → the ref it is stored under (the same, or the one with the
    same content), which is what the closed account pins. Run inside the caller's transaction.
    """
    stored: dict[str, str] = {}
    locked = False
    for dataset in datasets:
        digest = content_hash(dataset)
        record = _stored_copy(dataset, digest)
        if record is None:
            if not locked:
                # The audit chain's lock before the first insert, not after it (record_event takes it
                # per dataset): two closes archiving the same new datasets then queue here instead of
                # each holding a dataset row the other needs while waiting for the chain (a deadlock).
                lock_chain()
                locked = True
            try:
                with transaction.atomic():  # a savepoint: a concurrent close may store it first
                    record = _store(dataset, digest, kind=StoredDataset.Kind.ARCHIVE,
                                    file_name=f"{dataset.ref} (archived)", user=user)
            except IntegrityError:
                record = _stored_copy(dataset, digest)
                if record is None:
                    raise
        stored[dataset.ref] = str(record)
    return stored


def _version_key(version: str) -> tuple[tuple[int, object], ...]:
    """"1.10" after "1.9": numbers compare as numbers, anything else as text."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-]", version))


@dataclass(frozen=True)
class _Snapshot:
    records: tuple[tuple[int, str], ...]
    datasets: tuple[FactorDataset, ...]


_cache: dict[str, _Snapshot] = {}
# Archived datasets by (pk, ref, content hash): they never change once stored.
_archive_cache: dict[tuple[int, str, str], FactorDataset] = {}


def _as_core(records: list[StoredDataset]) -> list[FactorDataset]:
    """``records`` as core datasets with their factors (one query), in the given order."""
    by_dataset: dict[int, list[Factor]] = {r.pk: [] for r in records}
    for s in StoredFactor.objects.filter(dataset__in=records).select_related("dataset").order_by("pk"):
        by_dataset[s.dataset_id].append(Factor(
            key=s.key, name=s.name, name_nb=s.name_nb, unit=s.unit, year=s.year,
            published_year=s.published_year, region=s.region, scope=s.scope, category=s.category,
            basis=Basis(s.basis), gwp_set=s.gwp_set, source=s.source, source_ref=s.source_ref,
            licence=s.licence, notes=s.notes, dataset_id=s.dataset.dataset_id,
            dataset_version=s.dataset.version, kg_co2_biogenic=float(s.kg_co2_biogenic),
            biogenic_source_ref=s.biogenic_source_ref, **{g: float(getattr(s, g)) for g in GASES}))
    return [FactorDataset(dataset_id=r.dataset_id, version=r.version, year=r.year, title=r.title,
                          source=r.source, licence=r.licence, factors=tuple(by_dataset[r.pk]))
            for r in records]


def stored_datasets() -> tuple[FactorDataset, ...]:
    """All imported datasets as core datasets, oldest first and, per dataset id, by version.

    Archives are not among them. The factors are read once per change of the stored set (checked
    with one small query), so a page view does not re-read thousands of rows.
    """
    records = list(StoredDataset.objects.filter(kind=StoredDataset.Kind.IMPORT).order_by("imported_at", "pk"))
    signature = tuple((r.pk, r.content_hash) for r in records)
    cached = _cache.get("snapshot")
    if cached is not None and cached.records == signature:
        return cached.datasets
    first_import: dict[str, datetime] = {}
    for r in records:
        first_import.setdefault(r.dataset_id, r.imported_at)
    records.sort(key=lambda r: (first_import[r.dataset_id], r.dataset_id, _version_key(r.version)))
    datasets = tuple(_as_core(records))
    _cache["snapshot"] = _Snapshot(signature, datasets)
    return datasets


def stored_datasets_by_ref(refs: Collection[str]) -> dict[str, FactorDataset]:
    """The stored datasets (imported or archived) among ``refs`` (``"dataset_id@version"``), by ref."""
    wanted = {tuple(ref.split("@", 1)) for ref in refs if "@" in ref}
    if not wanted:
        return {}
    query = Q()
    for dataset_id, version in wanted:
        query |= Q(dataset_id=dataset_id, version=version)
    found: dict[str, FactorDataset] = {}
    unread = []
    for record in StoredDataset.objects.filter(query):
        key = (record.pk, str(record), record.content_hash)
        if key in _archive_cache:
            found[str(record)] = _archive_cache[key]
        else:
            unread.append(record)
    for record, dataset in zip(unread, _as_core(unread), strict=True):
        if record.kind == StoredDataset.Kind.ARCHIVE:
            _archive_cache[(record.pk, str(record), record.content_hash)] = dataset
        found[dataset.ref] = dataset
    return found


def archived_refs() -> list[str]:
    """The refs of the dataset versions stored only for closed accounts (archives)."""
    return [str(r) for r in StoredDataset.objects.filter(kind=StoredDataset.Kind.ARCHIVE)
            .only("dataset_id", "version").order_by("dataset_id", "version")]


def catalogue_with_imports() -> Catalogue:
    """The shipped catalogue with every imported dataset layered on top (newer versions win)."""
    return default_catalogue().with_datasets(stored_datasets())
