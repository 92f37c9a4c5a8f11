"""Shipped datasets are versioned by their content: a changed file is a new version, by itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from klimabok.core.factors.catalogue import data_dir, default_catalogue, load_catalogue, shipped_version
from klimabok.core.factors.model import split_version


def refs(directory: Path) -> dict[str, str]:
    return {d.dataset_id: d.ref for d in load_catalogue(directory).datasets}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    directory = tmp_path / "factors"
    shutil.copytree(data_dir(), directory)
    return directory


def test_the_version_is_the_publishers_plus_a_digest_of_the_file() -> None:
    # sha256(b"") = e3b0c442 98fc1c14 …
    assert shipped_version("1.1", b"") == "1.1+e3b0c442"
    assert split_version("1.1+e3b0c442") == ("1.1", "e3b0c442")
    assert split_version("2025.1") == ("2025.1", "")  # an import's own version is left as it is
    desnz = next(d for d in default_catalogue().datasets if d.dataset_id == "desnz-2024")
    assert desnz.publisher_version == "1.1" and len(desnz.content_digest) == 8
    assert all(f.dataset_version == desnz.version for f in desnz.factors)


def test_refs_are_stable_while_the_files_are(copy: Path) -> None:
    assert refs(copy) == refs(data_dir()) == {d.dataset_id: d.ref for d in default_catalogue().datasets}


def test_changing_a_files_bytes_changes_its_ref_only(copy: Path) -> None:
    before = refs(copy)
    path = copy / "desnz-2024.csv"
    path.write_bytes(path.read_bytes().replace(b"2.51279", b"2.51280", 1))
    after = refs(copy)
    assert after["desnz-2024"] != before["desnz-2024"]
    assert after["desnz-2024"].startswith("desnz-2024@1.1+")
    assert {k: v for k, v in after.items() if k != "desnz-2024"} == {
        k: v for k, v in before.items() if k != "desnz-2024"}
    # datasets.json metadata (a title) is not the data: the refs stay
    meta = copy / "datasets.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace("(curated)", "(curated, retitled)"),
                    encoding="utf-8")
    assert refs(copy) == after
