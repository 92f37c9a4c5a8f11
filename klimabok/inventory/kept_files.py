"""Uploaded files kept as uploaded, for the auditor's bundle (``KLIMABOK_KEEP_IMPORT_FILES``).

An activity file (:class:`~klimabok.inventory.models.Upload`) and a ledger file
(:class:`~klimabok.ledger.models.LedgerImport`) are kept in the default storage under
``kept-imports/<organisation>/<year>/`` once their lines are saved, and deleted when their upload or import
is deleted — by the service or by a cascade (the post-delete signals below and in the ledger app), once the
deleting transaction commits.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction

from klimabok.inventory.models import ReportingYear, Upload

KEPT_DIR = "kept-imports"


def _safe(filename: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", filename)[-100:] or "file"


def keep(reporting_year: ReportingYear, prefix: str, filename: str, content: bytes | File[Any]) -> str:
    """Store ``content`` as ``kept-imports/<org>/<year>/<prefix>-<filename>``; its storage name, or "" when
    files are not kept."""
    if not settings.KLIMABOK_KEEP_IMPORT_FILES:
        return ""
    name = f"{KEPT_DIR}/{reporting_year.organisation.slug}/{reporting_year.year}/{prefix}-{_safe(filename)}"
    return default_storage.save(name, ContentFile(content) if isinstance(content, bytes) else content)


def forget(name: str) -> None:
    """Delete a kept file once the current transaction commits (at once outside one)."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def read_kept(name: str) -> bytes | None:
    """A kept file's bytes; None when there is none or it is gone from the storage."""
    if not name or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data: bytes = handle.read()
    return data


def _upload_deleted(sender: type[Upload], instance: Upload, **kwargs: Any) -> None:
    forget(instance.kept_file)


def connect() -> None:
    from django.db.models.signals import post_delete

    post_delete.connect(_upload_deleted, sender=Upload, dispatch_uid="inventory.upload.kept_file")
