"""A general-ledger export waiting between its upload and its import: staged, previewed, imported or dropped.

The user uploads a CSV/XLSX export, looks at its first rows under a column mapping, adjusts the mapping
and imports it. Between those requests the file waits in default storage (``ledger-uploads/staged/``)
and the user's session remembers it (token → file name, stored name, year, last mapping), so only
the user who uploaded it can see or import it, and only into that year. Importing hands the file to
:func:`~klimabok.ledger.services.imports.start_import` (``kind="gl"``, ``options={"mapping": …}``) and drops
the staged copy; cancelling drops it too. A file staged and then abandoned is deleted by the next
upload after :data:`STAGED_MAX_AGE`.
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from klimabok.accounts.models import User
from klimabok.core.errors import InputErrors
from klimabok.core.gl import ColumnMapping, Preview, preview
from klimabok.inventory.models import ReportingYear
from klimabok.inventory.services import ensure_open
from klimabok.ledger.models import LedgerImport
from klimabok.ledger.services.imports import start_import
from klimabok.ledger.services.uploads import UPLOAD_DIR, checked_upload_name, stored_path

SESSION_KEY = "ledger_gl_staged"
STAGED_DIR = f"{UPLOAD_DIR}/staged"
#: A staged file nobody imported or cancelled is deleted after this long.
STAGED_MAX_AGE = timedelta(days=1)
#: Rows the preview shows.
PREVIEW_ROWS = 10


@dataclass(frozen=True)
class Staged:
    """An uploaded export waiting for its import; ``mapping`` is the one last previewed (or ``None``)."""

    token: str
    name: str
    stored: str
    size: int
    year_id: int
    mapping: ColumnMapping | None


def stage_upload(session: SessionBase, reporting_year: ReportingYear, uploaded: Any) -> Staged:
    """Keep an upload for its preview, after checking it can be read as a general-ledger export.

    Refused, with nothing kept: a closed year, an empty or too large file, and a file that is not a
    CSV or XLSX table with a header row (the core reader's message). An earlier staged file of the
    same year in this session is dropped: one waits per user and year.
    """
    ensure_open(reporting_year)
    name = checked_upload_name(uploaded, "ledger.csv")
    size = uploaded.size
    _delete_stale()
    token = uuid.uuid4().hex
    stored = default_storage.save(f"{STAGED_DIR}/{token}", uploaded)
    try:
        with stored_path(stored, name) as path:
            preview(path, year=reporting_year.year, n=0, source=name)
    except BaseException:
        default_storage.delete(stored)
        raise
    for earlier in _entries(session).values():
        if earlier["year_id"] == reporting_year.pk:
            discard(session, _staged(earlier))
    staged = Staged(token, name, stored, size, reporting_year.pk, None)
    _save(session, staged)
    return staged


def staged_upload(session: SessionBase, reporting_year: ReportingYear, token: str) -> Staged | None:
    """The session's staged file ``token`` of ``reporting_year`` (``None``: not this user's, or gone)."""
    entry = _entries(session).get(token)
    if entry is None or entry["year_id"] != reporting_year.pk or not default_storage.exists(entry["stored"]):
        return None
    return _staged(entry)


def preview_staged(session: SessionBase, staged: Staged, reporting_year: ReportingYear,
                   mapping: ColumnMapping | None) -> Preview:
    """The first rows under ``mapping`` (default: the last one previewed, else the guess from the headers)."""
    chosen = mapping if mapping is not None else staged.mapping
    with stored_path(staged.stored, staged.name) as path:
        shown = preview(path, chosen, year=reporting_year.year, n=PREVIEW_ROWS, source=staged.name)
    _save(session, replace(staged, mapping=shown.mapping))
    return shown


def import_staged(session: SessionBase, staged: Staged, reporting_year: ReportingYear, mapping: ColumnMapping,
                  user: User | None) -> LedgerImport:
    """Queue the staged file's import under ``mapping`` (refused while the mapping cannot read it).

    The reader checks every row in the background (the import then fails naming row and column);
    here only the mapping itself is checked, and the start's own refusals apply (closed year, the same
    file again). The staged copy is dropped once the import has its own.
    """
    with stored_path(staged.stored, staged.name) as path:
        problems = preview(path, mapping, year=reporting_year.year, n=0, source=staged.name).problems
    if problems:
        _save(session, replace(staged, mapping=mapping))
        raise InputErrors(problems)
    with default_storage.open(staged.stored, "rb") as stored:
        imported = start_import(reporting_year, File(stored, name=staged.name), user,
                                kind=LedgerImport.Kind.GL, options={"mapping": mapping})
    discard(session, staged)
    return imported


def discard(session: SessionBase, staged: Staged) -> None:
    """Forget a staged file and delete it."""
    entries = _entries(session)
    entries.pop(staged.token, None)
    session[SESSION_KEY] = entries
    default_storage.delete(staged.stored)


def _entries(session: SessionBase) -> dict[str, dict[str, Any]]:
    return dict(session.get(SESSION_KEY) or {})


def _staged(entry: dict[str, Any]) -> Staged:
    return Staged(entry["token"], entry["name"], entry["stored"], entry["size"], entry["year_id"],
                  entry.get("mapping"))


def _save(session: SessionBase, staged: Staged) -> None:
    entries = _entries(session)
    entries[staged.token] = {"token": staged.token, "name": staged.name, "stored": staged.stored,
                             "size": staged.size, "year_id": staged.year_id, "mapping": staged.mapping}
    session[SESSION_KEY] = entries


def _delete_stale() -> None:
    """Delete staged files older than :data:`STAGED_MAX_AGE` (abandoned previews of any user)."""
    try:
        _dirs, files = default_storage.listdir(STAGED_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - STAGED_MAX_AGE
    for name in files:
        with suppress(FileNotFoundError, NotImplementedError):
            if default_storage.get_modified_time(f"{STAGED_DIR}/{name}") < cutoff:
                default_storage.delete(f"{STAGED_DIR}/{name}")
