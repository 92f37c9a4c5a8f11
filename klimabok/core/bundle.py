"""The auditor's bundle as bytes: a deterministic ZIP with a SHA-256 manifest, and its check.

:func:`pack` writes the given files in the given order, then ``manifest.json`` (the caller's facts,
and name, SHA-256 and size of every file) and ``manifest.json.sha256`` (the manifest's own hash).
Every entry carries the same fixed timestamp and permissions, so the same files and facts give the
same bytes. :func:`check` reads a bundle back: the manifest's own hash, its file list against the
ZIP's entries (nothing missing, nothing added), and every file's size and hash. No Django here:
``klimabok export verify`` runs without a database.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FORMAT = "klimabok-audit-bundle/1"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.json.sha256"
#: The ZIP format's earliest date: the entries' timestamp for a year that is not closed.
EPOCH = datetime(1980, 1, 1)  # a ZIP entry's time has no zone


@dataclass(frozen=True)
class BundleFile:
    """One file of the bundle: its path inside the ZIP and its bytes."""

    name: str
    data: bytes


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_list(files: Sequence[BundleFile]) -> list[dict[str, Any]]:
    return [{"name": f.name, "sha256": sha256(f.data), "size": len(f.data)} for f in files]


def list_hash(listed: Sequence[Mapping[str, Any]]) -> str:
    """SHA-256 of the file list as canonical JSON (sorted keys, compact): the manifest's ``files_sha256``."""
    return sha256(json.dumps(list(listed), sort_keys=True, separators=(",", ":")).encode())


def manifest_bytes(files: Sequence[BundleFile], facts: Mapping[str, Any]) -> bytes:
    """The manifest: ``format``, the caller's ``facts``, the file list and its hash, as indented JSON."""
    listed = file_list(files)
    manifest = {"format": FORMAT, **facts, "files": listed, "files_sha256": list_hash(listed)}
    return (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()


def pack(files: Sequence[BundleFile], facts: Mapping[str, Any], moment: datetime | None = None) -> bytes:
    """The ZIP: ``files`` in order, then the manifest and its hash, every entry dated ``moment``
    (to the two seconds a ZIP keeps; :data:`EPOCH` when None)."""
    names = [f.name for f in files]
    if len(set(names)) != len(names) or {MANIFEST, MANIFEST_HASH} & set(names):
        raise ValueError("bundle file names must be unique and not the manifest's")
    manifest = manifest_bytes(files, facts)
    when = moment or EPOCH
    date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in [*((f.name, f.data) for f in files), (MANIFEST, manifest),
                           (MANIFEST_HASH, f"{sha256(manifest)}  {MANIFEST}\n".encode())]:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system wrote it
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=6)
    return out.getvalue()


@dataclass(frozen=True)
class Checked:
    """What :func:`check` found: ``files`` checked, or the first ``bad`` file and what is wrong with it."""

    files: int = 0
    bad: str = ""
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.bad


def check(data: bytes) -> Checked:
    """Re-check a bundle: the manifest's own hash, its file list against the ZIP, every file's hash."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return Checked(bad="(the bundle)", problem="not a ZIP file")
    with archive:
        entries = archive.namelist()
        if MANIFEST not in entries:
            return Checked(bad=MANIFEST, problem="missing")
        manifest_data = archive.read(MANIFEST)
        if MANIFEST_HASH in entries:
            recorded = archive.read(MANIFEST_HASH).decode(errors="replace").split()[:1]
            if recorded != [sha256(manifest_data)]:
                return Checked(bad=MANIFEST, problem=f"its SHA-256 differs from {MANIFEST_HASH}")
        else:
            return Checked(bad=MANIFEST_HASH, problem="missing")
        try:
            manifest = json.loads(manifest_data)
            listed = manifest["files"]
            names = [item["name"] for item in listed]
        except (ValueError, KeyError, TypeError):
            return Checked(bad=MANIFEST, problem="not a bundle manifest (no file list)")
        if manifest.get("files_sha256") != list_hash(listed):
            return Checked(bad=MANIFEST, problem="its file list does not match its files_sha256")
        for name in entries:
            if name not in names and name not in (MANIFEST, MANIFEST_HASH):
                return Checked(bad=name, problem="in the ZIP but not in the manifest")
        for item in listed:
            name = item["name"]
            if name not in entries:
                return Checked(bad=name, problem="in the manifest but not in the ZIP")
            try:
                content = archive.read(name)
            except (zipfile.BadZipFile, OSError, zlib.error) as exc:  # a damaged entry fails its CRC check
                return Checked(bad=name, problem=f"cannot be read ({exc})")
            if len(content) != item.get("size"):
                return Checked(bad=name,
                               problem=f"{len(content)} bytes, the manifest says {item.get('size')}")
            if sha256(content) != item.get("sha256"):
                return Checked(bad=name, problem="its SHA-256 differs from the manifest's")
        return Checked(files=len(listed))
