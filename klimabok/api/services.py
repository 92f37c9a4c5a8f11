"""The API's writes: a batch of activity lines, idempotent and all or nothing.

The lines are checked as an uploaded activity file's are (the engine's :func:`line_problems` against the
year's catalogue, the organisation's sites) and saved as one :class:`Upload` of the year, so the web
lists, and can delete, them as one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction

from klimabok.accounts.models import User
from klimabok.api.models import ActivityBatch
from klimabok.core.engine import ActivityColumns, ActivityLine, line_problems
from klimabok.core.errors import InputError, InputErrors, KlimabokError
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site, Upload
from klimabok.inventory.read_models import catalogue_for
from klimabok.inventory.services import ensure_open, lock_year


class IdempotencyConflict(KlimabokError):
    """The Idempotency-Key was used before for other lines."""


@dataclass(frozen=True)
class LineIn:
    """One activity line as the API receives it (validated for type and range already)."""

    activity: str
    quantity: Decimal
    unit: str
    site: str = ""
    description: str = ""
    data_quality: int = 3
    supplier: str = ""
    vouchers: str = ""
    cost_nok: Decimal | None = None


@dataclass(frozen=True)
class Placed:
    batch: ActivityBatch
    created: bool


def body_digest(reporting_year: ReportingYear, lines: list[LineIn]) -> str:
    """SHA-256 of the year and the lines, canonical JSON (a retry of the same call has the same)."""
    body = {"year": reporting_year.year, "lines": [asdict(line) for line in lines]}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def _details(row: int, line: LineIn) -> dict[str, object]:
    details: dict[str, object] = {"row": row}
    if line.supplier:
        details["supplier"] = line.supplier
    if line.vouchers:
        details["vouchers"] = line.vouchers
    if line.cost_nok is not None:
        details["cost_nok"] = str(line.cost_nok.quantize(Decimal("0.01")))
    return details


@transaction.atomic
def add_activity_batch(reporting_year: ReportingYear, lines: list[LineIn], *, key: str,
                       user: User | None) -> Placed:
    """Save every line into the open ``reporting_year`` — or none, raising ``InputErrors`` naming each bad
    row (1 = the first line) and field.

    The same ``key`` again with the same lines returns the first batch (``created`` False) and saves
    nothing; with other lines it raises :class:`IdempotencyConflict`.
    """
    lock_year(reporting_year)
    organisation = reporting_year.organisation
    digest = body_digest(reporting_year, lines)
    earlier = ActivityBatch.objects.filter(organisation=organisation, idempotency_key=key).first()
    if earlier is not None:
        if earlier.body_sha256 != digest:
            raise IdempotencyConflict(f"the Idempotency-Key {key} was used before for other lines "
                                      f"(batch {earlier.pk}); use a new key for a new batch")
        return Placed(earlier, False)
    ensure_open(reporting_year)
    engine_lines = [ActivityLine(activity=line.activity, quantity=float(line.quantity), unit=line.unit,
                                 site=line.site, description=line.description, data_quality=line.data_quality,
                                 ref=f"api:{row}")
                    for row, line in enumerate(lines, start=1)]
    errors = [InputError(p.message, row=p.index + 1, field=p.field)
              for p in line_problems(ActivityColumns.from_lines(engine_lines), year=reporting_year.year,
                                     catalogue=catalogue_for(reporting_year))]
    sites = {site.name.casefold(): site for site in Site.objects.filter(organisation=organisation)}
    known = ", ".join(s.name for s in sites.values()) or "–"
    errors += [InputError(f"unknown site “{line.site}” (known: {known})", row=row, field="site")
               for row, line in enumerate(lines, start=1) if line.site and line.site.casefold() not in sites]
    if errors:
        raise InputErrors(sorted(errors, key=lambda e: (e.row or 0, e.field or "")))
    try:
        with transaction.atomic():
            # one upload per key and lines: the same lines under another key are another batch
            upload_sha = hashlib.sha256(f"{key}\0{digest}".encode()).hexdigest()
            upload = Upload.objects.create(reporting_year=reporting_year, filename=f"API batch {key}"[:255],
                                           sha256=upload_sha, size=0, line_count=len(lines), uploaded_by=user)
            batch = ActivityBatch.objects.create(organisation=organisation, upload=upload,
                                                 idempotency_key=key, body_sha256=digest)
    except IntegrityError:  # the same call, a moment ago in another request
        raise IdempotencyConflict(f"the Idempotency-Key {key} is being used by another request; "
                                  "retry to get its batch") from None
    ActivityEntry.objects.bulk_create(
        ActivityEntry(reporting_year=reporting_year, activity=line.activity, quantity=line.quantity,
                      unit=line.unit, site=sites.get(line.site.casefold()) if line.site else None,
                      description=line.description[:300], data_quality=line.data_quality,
                      origin=ActivityEntry.Origin.UPLOAD, upload=upload, created_by=user,
                      details=_details(row, line))
        for row, line in enumerate(lines, start=1))
    return Placed(batch, True)
