"""Archive what years closed before shipped versions carried a digest pinned ("desnz-2024@1.1").

Such a ref named the shipped file by the publisher's version only. Shipped refs now end in a
digest of the file ("desnz-2024@1.1+be95501a"), so the old refs would be found nowhere. Store the
shipped dataset as it is now under the old ref (kind "archive"), which is what those accounts were
computed with until today, and keeps them from changing silently from now on. A ref stored already
(an import) is left alone; one whose content is stored under another ref is re-pinned to that ref.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Context, Decimal
from typing import Any

from django.db import migrations

ARCHIVE = "archive"

# Frozen copies of klimabok.factors.services (GASES, content_hash) and klimabok.core.factors.model
# (split_version's digest test, as has_digest) as they were when this migration was written: a migration must do the same thing
# whenever it runs, and the live functions may change with later releases. The field sizes come from
# the historical model (apps.get_model), not from klimabok.factors.models.
GASES = ("kg_co2e", "kg_co2", "kg_ch4", "kg_n2o", "kg_other_co2e")
HASHED_FIELDS = ("key", "year", "unit", "region", "scope", "category", "basis", "source_ref", *GASES)
DIGEST_VERSION = re.compile(r"^(?P<publisher>.+)\+(?P<digest>[0-9a-f]{8})$")  # "1.1+be95501a"


def content_hash(dataset: Any) -> str:
    """SHA-256 over the year and every factor's figures and references (labels left out)."""
    rows = sorted(tuple(str(getattr(f, field)) for field in HASHED_FIELDS) for f in dataset.factors)
    payload = json.dumps({"year": dataset.year, "factors": rows})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def has_digest(version: str) -> bool:
    return DIGEST_VERSION.match(version) is not None


def archive_legacy_pins(apps: Any, schema_editor: Any) -> None:
    # The one live import, on purpose: what is archived is the shipped data as it is at upgrade time —
    # the files those accounts were computed with until today — not logic that could be frozen here.
    from klimabok.core.factors.catalogue import default_catalogue

    reporting_year = apps.get_model("inventory", "ReportingYear")
    stored_dataset = apps.get_model("factors", "StoredDataset")
    stored_factor = apps.get_model("factors", "StoredFactor")
    value_field = stored_factor._meta.get_field("kg_co2e")
    quantum = Decimal(1).scaleb(-value_field.decimal_places)
    context = Context(prec=value_field.max_digits)
    shipped = {(d.dataset_id, d.publisher_version): d for d in default_catalogue().datasets}

    def stored_ref(ref: str) -> str | None:
        dataset_id, _, version = ref.partition("@")
        if has_digest(version) or stored_dataset.objects.filter(dataset_id=dataset_id,
                                                                      version=version).exists():
            return ref
        dataset = shipped.get((dataset_id, version))
        if dataset is None:
            return None  # nothing to archive: the page says the version is missing, as before
        digest = content_hash(dataset)
        same = stored_dataset.objects.filter(content_hash=digest).first()
        if same is not None:
            return f"{same.dataset_id}@{same.version}"
        record = stored_dataset.objects.create(
            kind=ARCHIVE, dataset_id=dataset_id, version=version, year=dataset.year, title=dataset.title,
            source=dataset.source, licence=dataset.licence, content_hash=digest,
            file_name=f"{ref} (archived on upgrade)")
        stored_factor.objects.bulk_create(
            [stored_factor(
                dataset=record, key=f.key, name=f.name, name_nb=f.name_nb, unit=f.unit, year=f.year,
                published_year=f.published_year, region=f.region, scope=f.scope, category=f.category,
                basis=str(f.basis), gwp_set=f.gwp_set, source=f.source, source_ref=f.source_ref,
                licence=f.licence, notes=f.notes,
                **{g: Decimal(repr(getattr(f, g))).quantize(quantum, context=context) for g in GASES})
             for f in dataset.factors],
            batch_size=1000)
        return ref

    for year in reporting_year.objects.all():
        if not year.pinned_datasets:
            continue
        pins = [stored_ref(ref) or ref for ref in year.pinned_datasets]
        if pins != year.pinned_datasets:
            year.pinned_datasets = sorted(set(pins))
            year.save(update_fields=["pinned_datasets"])


class Migration(migrations.Migration):

    dependencies = [
        ("inventory", "0002_closed_lines"),
        ("factors", "0002_archived_datasets"),
    ]

    operations = [
        migrations.RunPython(archive_legacy_pins, migrations.RunPython.noop),
    ]
