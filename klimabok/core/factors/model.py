"""The emission-factor model.

A :class:`Factor` is one published number: kilograms of each gas emitted per
unit of activity, with the publication and row it comes from. Factors live in
a :class:`FactorDataset` (a publisher's set for one year, in a numbered
version); an account pins the ``(dataset_id, version)`` pairs it used. A shipped
dataset's version ends in a digest of its file (``"1.1+3fa2b9c0"``), so changed
shipped data is a new version.

An :class:`Activity` is what a user enters ("diesel in litres",
"electricity in Norway with guarantees of origin"). It expands into one or
more factor *components*: diesel gives a scope 1 combustion line and a
scope 3.3 well-to-tank line; electricity gives a location-based and a
market-based scope 2 line. Every factor is also usable as an activity on
its own (one component).

Per-gas values are stored as **mass of that gas** (kg CH4, kg N2O), so the
account can be computed under any GWP set. Gases the publication reports
only as CO2e (HFC blends, "other") go to ``kg_other_co2e``. ``kg_co2e`` is
the total the publication states, kept to show and to check against.

``kg_co2_biogenic`` is the biogenic CO2 per unit that burning the fuel releases
(DESNZ "Outside of scopes", e.g. the bio share of forecourt diesel), with the
row it comes from in ``biogenic_source_ref``. It is reported apart from the
scopes (GHG Protocol Corporate Standard ch. 4) and never enters ``co2e``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

# Shipped datasets carry "<publisher's version>+<first hex digits of the file's SHA-256>".
CONTENT_DIGEST_LENGTH = 8
_CONTENT_VERSION = re.compile(rf"^(?P<publisher>.+)\+(?P<digest>[0-9a-f]{{{CONTENT_DIGEST_LENGTH}}})$")


def split_version(version: str) -> tuple[str, str]:
    """``"1.1+3fa2b9c0"`` → ``("1.1", "3fa2b9c0")``; a version without a digest → ``(version, "")``."""
    match = _CONTENT_VERSION.match(version)
    return (match["publisher"], match["digest"]) if match else (version, "")


class Basis(StrEnum):
    """Which scope 2 total a factor counts in. Everything outside scope 2 is ``BOTH``."""

    BOTH = "both"
    LOCATION = "location"
    MARKET = "market"


@dataclass(frozen=True, slots=True)
class Factor:
    """One emission factor: per-gas kg per ``unit`` of activity, with its provenance.

    ``scope`` is 1, 2 or 3; ``category`` is the GHG Protocol scope 3 category
    (1–15) or ``None`` for scopes 1 and 2. ``year`` is the reporting year the
    factor is meant for; ``published_year`` is the year of the figure itself
    (older when a newer one is not published — the engine flags that).
    """

    key: str
    name: str
    unit: str
    year: int
    region: str
    scope: int
    category: int | None
    kg_co2e: float
    source: str
    source_ref: str
    licence: str
    kg_co2: float = 0.0
    kg_ch4: float = 0.0
    kg_n2o: float = 0.0
    kg_other_co2e: float = 0.0
    basis: Basis = Basis.BOTH
    published_year: int | None = None
    gwp_set: str = "AR5"
    name_nb: str = ""
    notes: str = ""
    dataset_id: str = ""
    dataset_version: str = ""
    kg_co2_biogenic: float = 0.0
    biogenic_source_ref: str = ""

    @property
    def has_gas_split(self) -> bool:
        """True when the per-gas masses are known (else only ``kg_co2e`` is)."""
        return bool(self.kg_co2 or self.kg_ch4 or self.kg_n2o or self.kg_other_co2e)

    def co2e(self, gwp: dict[str, float]) -> float:
        """kg CO2e per unit under a GWP set ({"CH4": 28, "N2O": 265}).

        Without a gas split the published total is all there is.
        """
        if not self.has_gas_split:
            return self.kg_co2e
        return (self.kg_co2 + self.kg_ch4 * gwp["CH4"] + self.kg_n2o * gwp["N2O"]
                + self.kg_other_co2e)

    @property
    def scope_label(self) -> str:
        """``scope_1``, ``scope_2`` or ``scope_3.6`` — the key used in totals."""
        if self.scope == 3 and self.category:
            return f"scope_3.{self.category}"
        return f"scope_{self.scope}"


@dataclass(frozen=True, slots=True)
class Activity:
    """What a user enters: a key, a unit, and the factor keys it expands into."""

    key: str
    name: str
    unit: str
    components: tuple[str, ...]
    name_nb: str = ""
    group: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class FactorDataset:
    """A versioned set of factors from one publisher for one reporting year."""

    dataset_id: str
    version: str
    year: int
    title: str
    source: str
    licence: str
    factors: tuple[Factor, ...] = field(default=())

    @property
    def ref(self) -> str:
        return f"{self.dataset_id}@{self.version}"

    @property
    def publisher_version(self) -> str:
        """The version as the publisher numbers it (``"1.1"`` of ``"1.1+3fa2b9c0"``)."""
        return split_version(self.version)[0]

    @property
    def content_digest(self) -> str:
        """The digest a shipped version carries (``"3fa2b9c0"``), else ``""``."""
        return split_version(self.version)[1]
