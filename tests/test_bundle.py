"""``klimabok.core.bundle``: the deterministic ZIP and its check, without a database."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

import pytest

from klimabok.core.bundle import MANIFEST, BundleFile, check, pack, sha256

FILES = [BundleFile("a/lines.csv", b"x,y\r\n1,2\r\n"), BundleFile("b/empty.csv", b"")]
CLOSED = datetime(2026, 2, 3, 10, 20, 31)


def test_pack_is_deterministic_and_dated() -> None:
    data = pack(FILES, {"year": 2025}, CLOSED)
    assert data == pack(FILES, {"year": 2025}, CLOSED)
    archive = zipfile.ZipFile(io.BytesIO(data))
    # A ZIP keeps even seconds: 31 s is stored as 30 s.
    assert {info.date_time for info in archive.infolist()} == {(2026, 2, 3, 10, 20, 30)}
    manifest = json.loads(archive.read(MANIFEST))
    assert manifest["year"] == 2025
    assert manifest["files"] == [
        {"name": "a/lines.csv", "sha256": sha256(b"x,y\r\n1,2\r\n"), "size": 10},
        {"name": "b/empty.csv", "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "size": 0}]
    assert check(data).files == 2 and check(data).ok


def test_check_finds_a_file_the_manifest_does_not_list() -> None:
    data = io.BytesIO(pack(FILES, {}, None))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("smuggled.csv", b"1")
    assert (check(data.getvalue()).bad, check(data.getvalue()).problem) == (
        "smuggled.csv", "in the ZIP but not in the manifest")


def test_names_are_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        pack([FILES[0], FILES[0]], {})
    with pytest.raises(ValueError, match="unique"):
        pack([BundleFile(MANIFEST, b"{}")], {})
