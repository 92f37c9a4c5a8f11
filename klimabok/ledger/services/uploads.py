"""The uploaded ledger file itself: its size checks, its digest, and a local path to read it from.

Every ledger upload — a SAF-T file (:mod:`.imports`) and a general-ledger export staged for its
preview (:mod:`.general_ledger`) — passes :func:`checked_upload_name`, and both read a stored
file through :func:`stored_path`. Nothing here writes to the database; the files live in default
storage under :data:`UPLOAD_DIR`.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext_noop

from klimabok.core.errors import InputError
from klimabok.core.messages import Message

UPLOAD_DIR = "ledger-uploads"


class Hashing(File[bytes]):
    """An upload whose chunks update a SHA-256 as storage saves them (one pass over the file)."""

    def __init__(self, file: Any) -> None:
        super().__init__(file, name=getattr(file, "name", None))
        self.digest = hashlib.sha256()

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        for chunk in super().chunks(chunk_size):
            self.digest.update(chunk)
            yield chunk


def checked_upload_name(uploaded_file: Any, default: str) -> str:
    """The upload's file name (``default`` without one), once it is neither empty nor over
    ``KLIMABOK_LEDGER_MAX_UPLOAD_BYTES`` (refused naming the file); every ledger upload passes here."""
    name = Path(getattr(uploaded_file, "name", None) or default).name[:255]
    limit = settings.KLIMABOK_LEDGER_MAX_UPLOAD_BYTES
    size = uploaded_file.size or 0
    if size > limit:
        raise InputError(Message(gettext_noop("the file is %(size)s MB; at most %(limit)s MB can be "
                                              "imported"),
                                 {"size": round(size / 1e6, 1), "limit": round(limit / 1e6)}), source=name)
    if size == 0:
        raise InputError(Message(gettext_noop("the file is empty")), source=name)
    return name


@contextmanager
def stored_path(name: str, filename: str) -> Iterator[Path]:
    """A local path of a stored upload named as the user's file, so the reader's messages name it.

    A link to the storage's own file, or a temporary copy when the storage has no local path.
    """
    with tempfile.TemporaryDirectory(prefix="ledger-") as folder:
        path = Path(folder) / (Path(filename).name or "ledger")
        try:
            path.symlink_to(default_storage.path(name))
        except NotImplementedError:
            with default_storage.open(name, "rb") as stored, path.open("wb") as copy:
                shutil.copyfileobj(stored, copy, 1024 * 1024)
        yield path


@contextmanager
def local_file(source: str | Path | IO[bytes] | Any) -> Iterator[tuple[Path, str]]:
    """A path to read ``source`` from (a path as is; an uploaded file copied to a temporary file)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(2, "no such file", str(path))
        yield path, path.name
        return
    name = Path(getattr(source, "name", None) or "saft.xml").name
    with tempfile.NamedTemporaryFile(suffix=".xml") as tmp:
        if hasattr(source, "seek"):
            source.seek(0)
        shutil.copyfileobj(source, tmp, 1024 * 1024)
        tmp.flush()
        yield Path(tmp.name), name


def sha256_of(path: Path) -> tuple[str, int]:
    """The file's SHA-256 (hex) and its size in bytes."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
