"""Refrigerants under any GWP set: their GWP from their components' mass fractions.

DESNZ publishes the refrigerant blends (R-410A, R-404A, …) and the single HFCs R-134a and R-32 as
kg CO2e per kg under AR5 only, with no gas split (``kg_other_co2e``), so a change of GWP set could
not convert them. A refrigerant's GWP is the mass-weighted sum of its components' GWPs
(GWP = Σ wᵢ·GWPᵢ, the rule DESNZ and the US EPA use for their blend figures): R-410A is HFC-32 and
HFC-125, 50/50 by mass, so under AR6 0.5 × 771 + 0.5 × 3,740 = 2,255.5 kg CO2e per kg (IPCC AR6
WG1 Table 7.SM.7, through the ``globalwarmingpotentials`` package).

The compositions are a declarative table with its source on every row,
``klimabok/data/factors/refrigerant-blends.csv`` (the US EPA GHG Emission Factors Hub 2025,
Table 12, which takes them from ASHRAE Standard 34; see the README there). Hydrocarbon components
(butane, isobutane) are not Kyoto gases and count 0, as in DESNZ ("Emissions including only Kyoto
products") and the EPA table ("based only on their HFC and PFC constituents").

Under the set the publication used, its figure stays: component-weighted AR5 reproduces every
DESNZ blend to its whole-kg rounding (R-410A 1,923.5 against the published 1,924), and the
published number is the anchor. A factor under such a key whose published value the composition
does not reproduce (a figure of another origin) is not converted; the engine flags it instead.

The table is part of the catalogue (:attr:`Catalogue.refrigerants`, a :class:`BlendTable` with a
content-versioned ref ``"refrigerant-blends@2025+<digest>"``) and a closed year pins it with its
factor datasets (:mod:`klimabok.inventory.catalogues`): a catalogue without a table (a year closed
before there was one) keeps the published figure and flags it, as before the table existed.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from klimabok.core.errors import KlimabokError
from klimabok.core.factors import gwp
from klimabok.core.factors.catalogue import data_dir, shipped_version
from klimabok.core.factors.model import Factor
from klimabok.core.messages import Message, message
from klimabok.core.units import conversion_factor

BLENDS_FILE = "refrigerant-blends.csv"
#: The table's id and publisher version in its ref (the EPA GHG Emission Factors Hub 2025).
BLENDS_ID, BLENDS_VERSION = "refrigerant-blends", "2025"
#: How far the published figure may lie from the component-weighted one under the publication's
#: set (DESNZ rounds to whole kg CO2e: R-410A 1,923.5 → 1,924 is 0.026 %).
PUBLISHED_TOLERANCE = 5e-4


@dataclass(frozen=True, slots=True)
class Component:
    """One component of a refrigerant: its name, its GWP gas (``""``: not a Kyoto gas), % by mass."""

    name: str
    gas: str
    mass_percent: float


@dataclass(frozen=True, slots=True)
class Refrigerant:
    """A refrigerant (ASHRAE designation), the factor key it is published under, and its components."""

    designation: str
    factor_key: str
    components: tuple[Component, ...]
    source: str
    source_ref: str

    def gwp(self, gwp_set: str) -> float:
        """kg CO2e per kg of the refrigerant under ``gwp_set``: Σ mass fraction × GWP (Kyoto gases)."""
        values = gwp.gwp_set(gwp_set)
        return sum(c.mass_percent / 100 * values[c.gas] for c in self.components if c.gas)

    def note(self, gwp_set: str) -> Message:
        """What a result line says: "AR6, from components: HFC-32 50 %, HFC-125 50 %"."""
        counted = ", ".join(f"{c.name} {c.mass_percent:g} %" for c in self.components if c.gas)
        rest = ", ".join(f"{c.name} {c.mass_percent:g} %" for c in self.components if not c.gas)
        if not rest:
            return message("%(gwp_set)s, from components: %(components)s", gwp_set=gwp_set,
                           components=counted)
        return message("%(gwp_set)s, from components: %(components)s; %(rest)s not counted "
                       "(not a Kyoto gas, as in DESNZ)", gwp_set=gwp_set, components=counted, rest=rest)


def read_blends(path: Path) -> dict[str, Refrigerant]:
    """The composition table, by factor key; a share not summing to 100 % or an unknown gas raises."""
    rows: dict[str, list[dict[str, str]]] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.setdefault(row["factor_key"], []).append(row)
    known = set(gwp.gwp_set("AR5")) & set(gwp.gwp_set("AR6"))
    table = {}
    for key, parts in rows.items():
        components = tuple(Component(r["component"], r["gas"], float(r["mass_percent"])) for r in parts)
        unknown = [c.gas for c in components if c.gas and c.gas not in known]
        total = sum(c.mass_percent for c in components)
        if unknown or not math.isclose(total, 100, abs_tol=1e-9):
            raise ValueError(f"{path.name}: {key}: components sum to {total} % or unknown gas {unknown}")
        first = parts[0]
        table[key] = Refrigerant(first["refrigerant"], key, components, first["source"], first["source_ref"])
    return table


@dataclass(frozen=True, slots=True)
class BlendTable:
    """A version of the composition table: ``version`` ("2025+<digest of the CSV>") and its rows by key."""

    version: str
    blends: Mapping[str, Refrigerant]

    @property
    def ref(self) -> str:
        return f"{BLENDS_ID}@{self.version}"

    def to_json(self, keys: Iterable[str] | None = None) -> dict[str, Any]:
        """The table (only ``keys`` of it, if given) as JSON a closed year pins: its ref and rows."""
        wanted = sorted(self.blends if keys is None else set(keys) & set(self.blends))
        return {"ref": self.ref, "refrigerants": {
            key: {"designation": r.designation, "source": r.source, "source_ref": r.source_ref,
                  "components": [[c.name, c.gas, c.mass_percent] for c in r.components]}
            for key in wanted for r in (self.blends[key],)}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BlendTable:
        """The table :meth:`to_json` gave (what a closed year pinned)."""
        rows: Mapping[str, Any] = data["refrigerants"]
        return cls(str(data["ref"]).split("@", 1)[1], {
            key: Refrigerant(row["designation"], key,
                             tuple(Component(n, g, float(p)) for n, g, p in row["components"]),
                             row["source"], row["source_ref"])
            for key, row in rows.items()})


def load_blend_table(path: Path) -> BlendTable:
    """The composition table in ``path``, versioned by its content (:func:`shipped_version`)."""
    return BlendTable(shipped_version(BLENDS_VERSION, path.read_bytes()), read_blends(path))


@lru_cache(maxsize=1)
def shipped_blends() -> dict[str, Refrigerant]:
    """The shipped composition table (``klimabok/data/factors/refrigerant-blends.csv``)."""
    return read_blends(data_dir() / BLENDS_FILE)


def component_co2e(factor: Factor, gwp_set: str, blends: BlendTable | None) -> tuple[float, Message] | None:
    """kg CO2e per factor unit of a refrigerant factor under ``gwp_set``, from its components in
    ``blends`` (the catalogue's table), and the note its lines carry; ``None`` when there is no table,
    the factor is published under ``gwp_set`` (its figure stays), is no refrigerant of the table, or
    is one whose published figure the composition does not give.
    """
    refrigerant = blends.blends.get(factor.key) if blends is not None else None
    if refrigerant is None or factor.gwp_set == gwp_set or factor.kg_co2 or factor.kg_ch4 or factor.kg_n2o:
        return None
    try:
        kg_per_unit = conversion_factor(factor.unit, "kg")
        published = kg_per_unit * refrigerant.gwp(factor.gwp_set)
    except KlimabokError:  # a unit that is no mass, a GWP set the package does not know
        return None
    if not math.isclose(factor.kg_co2e, published, rel_tol=PUBLISHED_TOLERANCE):
        return None
    return kg_per_unit * refrigerant.gwp(gwp_set), refrigerant.note(gwp_set)
