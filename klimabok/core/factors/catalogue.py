"""The factor catalogue: datasets and activities, looked up by key and year.

The shipped catalogue is read from ``klimabok/data/factors/`` (format in the
README there): one CSV per dataset and year, described in ``datasets.json``,
plus ``activities.csv`` for activities that expand into several factors.

Year rule (docs/domain.md): an account for year Y uses the factor for
year Y; when a publisher has no figure for Y, the newest earlier one is used
and the result line carries a flag. A key with no factor for Y or earlier
raises :class:`FactorNotFound`.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from klimabok.core.errors import FactorNotFound
from klimabok.core.factors.model import CONTENT_DIGEST_LENGTH, Activity, Basis, Factor, FactorDataset
from klimabok.core.messages import message

if TYPE_CHECKING:  # refrigerants reads its table with this module's helpers
    from klimabok.core.factors.refrigerants import BlendTable

FACTOR_COLUMNS = (
    "key", "name", "name_nb", "unit", "year", "published_year", "region", "scope", "category",
    "basis", "kg_co2e", "kg_co2", "kg_ch4", "kg_n2o", "kg_other_co2e", "gwp_set",
    "source", "source_ref", "licence", "notes", "kg_co2_biogenic", "biogenic_source_ref",
)


class Catalogue:
    """Factors by key and year, the activities a user can enter, and the refrigerant compositions.

    ``refrigerants`` (:mod:`klimabok.core.factors.refrigerants`) converts CO2e-only refrigerants to
    another GWP set; without it they keep their published figure, flagged.
    """

    def __init__(self, datasets: Iterable[FactorDataset], activities: Iterable[Activity] = (),
                 refrigerants: BlendTable | None = None) -> None:
        self.datasets: tuple[FactorDataset, ...] = tuple(datasets)
        self.refrigerants = refrigerants
        self._by_key: dict[str, dict[int, Factor]] = {}
        # Later datasets win over earlier ones for the same key and year, so an
        # imported newer version replaces the shipped one.
        for dataset in self.datasets:
            for factor in dataset.factors:
                self._by_key.setdefault(factor.key, {})[factor.year] = factor
        self._activities = {a.key: a for a in activities}

    @property
    def years(self) -> list[int]:
        return sorted({d.year for d in self.datasets})

    def has_key(self, key: str) -> bool:
        return key in self._by_key or key in self._activities

    def factor(self, key: str, year: int) -> Factor:
        """The factor for ``key`` meant for ``year``, or the newest earlier one."""
        by_year = self._by_key.get(key)
        if by_year is None:
            raise FactorNotFound(message("unknown activity or factor key '%(key)s'", key=key))
        usable = [y for y in by_year if y <= year]
        if not usable:
            raise FactorNotFound(message(
                "no factor for '%(key)s' in %(year)s or earlier (first year: %(first)s)",
                key=key, year=year, first=min(by_year)))
        return by_year[max(usable)]

    def activity(self, key: str) -> Activity:
        """An explicit activity, or a single factor used as an activity."""
        if key in self._activities:
            return self._activities[key]
        by_year = self._by_key.get(key)
        if by_year is None:
            raise FactorNotFound(message("unknown activity '%(activity)s'", activity=key))
        newest = by_year[max(by_year)]
        return Activity(key=key, name=newest.name, name_nb=newest.name_nb, unit=newest.unit,
                        components=(key,))

    def activities(self) -> list[Activity]:
        """Every activity a user can pick: explicit ones and all factor keys not used only as components."""
        explicit = list(self._activities.values())
        component_keys = {c for a in explicit for c in a.components}
        implicit = [self.activity(k) for k in sorted(self._by_key)
                    if k not in self._activities and k not in component_keys]
        return sorted(explicit + implicit, key=lambda a: a.key)

    def factors(self, year: int | None = None) -> list[Factor]:
        """All factors (for one reporting year: the ones an account for that year would use)."""
        if year is None:
            return sorted((f for d in self.datasets for f in d.factors), key=lambda f: (f.key, f.year))
        out = []
        for key in sorted(self._by_key):
            try:
                out.append(self.factor(key, year))
            except FactorNotFound:
                continue
        return out

    def with_datasets(self, extra: Iterable[FactorDataset], activities: Iterable[Activity] = ()) -> Catalogue:
        """A new catalogue with ``extra`` datasets (imports, overrides) and ``activities`` layered on top."""
        return Catalogue((*self.datasets, *extra), (*self._activities.values(), *activities),
                         self.refrigerants)


def _float(value: str) -> float:
    return float(value) if value.strip() else 0.0


def read_factor_csv(path: Path | str, *, dataset_id: str = "", version: str = "") -> tuple[Factor, ...]:
    """Read a curated factor CSV (columns :data:`FACTOR_COLUMNS`)."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Factor(
            key=r["key"], name=r["name"], name_nb=r.get("name_nb", ""), unit=r["unit"],
            year=int(r["year"]),
            published_year=int(r["published_year"]) if r.get("published_year") else None,
            region=r["region"], scope=int(r["scope"]),
            category=int(r["category"]) if r.get("category") else None,
            basis=Basis(r.get("basis") or "both"),
            kg_co2e=float(r["kg_co2e"]), kg_co2=_float(r.get("kg_co2", "")),
            kg_ch4=_float(r.get("kg_ch4", "")), kg_n2o=_float(r.get("kg_n2o", "")),
            kg_other_co2e=_float(r.get("kg_other_co2e", "")), gwp_set=r.get("gwp_set") or "AR5",
            source=r["source"], source_ref=r["source_ref"], licence=r["licence"],
            notes=r.get("notes", ""), dataset_id=dataset_id, dataset_version=version,
            kg_co2_biogenic=_float(r.get("kg_co2_biogenic") or ""),
            biogenic_source_ref=r.get("biogenic_source_ref") or "",
        )
        for r in rows
    )


def read_activities_csv(path: Path | str) -> tuple[Activity, ...]:
    """Read ``activities.csv``: key, name, name_nb, unit, group, components (space-separated)."""
    with open(path, newline="", encoding="utf-8") as fh:
        return tuple(
            Activity(key=r["key"], name=r["name"], name_nb=r.get("name_nb", ""), unit=r["unit"],
                     group=r.get("group", ""), description=r.get("description", ""),
                     components=tuple(r["components"].split()))
            for r in csv.DictReader(fh)
        )


def data_dir() -> Path:
    # Relative to this file, not importlib.resources: ``klimabok`` has no __init__.py, and as a
    # namespace package under an editable install resources.files() cannot resolve it.
    return Path(__file__).resolve().parents[2] / "data" / "factors"


def shipped_version(publisher_version: str, data: bytes) -> str:
    """The version of a shipped dataset: the publisher's, plus a digest of the file's bytes.

    ``"1.1"`` and a CSV whose SHA-256 starts ``3fa2b9c0`` give ``"1.1+3fa2b9c0"``. A klimabok release
    that changes a shipped file (a fix, new keys) thereby gives it a new ref, so a closed account
    pinned to the old one never silently gets the new values; nobody has to remember to bump it.
    """
    return f"{publisher_version}+{hashlib.sha256(data).hexdigest()[:CONTENT_DIGEST_LENGTH]}"


def load_catalogue(directory: Path) -> Catalogue:
    """Load every dataset listed in ``directory/datasets.json``, its activities and refrigerants.

    Each dataset's version identifies its content (:func:`shipped_version`), and so does the
    refrigerant composition table's.
    """
    from klimabok.core.factors.refrigerants import BLENDS_FILE, load_blend_table

    meta = json.loads((directory / "datasets.json").read_text(encoding="utf-8"))
    datasets = []
    for d in meta["datasets"]:
        path = directory / d["file"]
        version = shipped_version(d["version"], path.read_bytes())
        datasets.append(FactorDataset(
            dataset_id=d["dataset_id"], version=version, year=d["year"], title=d["title"],
            source=d["source"], licence=d["licence"],
            factors=read_factor_csv(path, dataset_id=d["dataset_id"], version=version),
        ))
    activities_file = directory / "activities.csv"
    activities = read_activities_csv(activities_file) if activities_file.exists() else ()
    blends_file = directory / BLENDS_FILE
    return Catalogue(datasets, activities, load_blend_table(blends_file) if blends_file.exists() else None)


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The curated catalogue shipped with klimabok (cached; it never changes at run time)."""
    return load_catalogue(data_dir())
