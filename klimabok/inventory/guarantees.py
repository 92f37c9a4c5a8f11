"""Guarantees of origin (opprinnelsesgarantier) on an electricity entry: the volume they cover.

An electricity entry records the kWh used and, in ``details``, the volume the guarantees cancelled
for the company cover (``goo_volume``, in the entry's unit), their production period
(``goo_period_start``/``goo_period_end``, ISO dates), the bidding zone or country of production
(``goo_zone``) and optionally the cancellation reference (``goo_reference``). The market-based
method gives the covered volume the certificates' rate (0 for renewable production) and only the
rest the residual mix (GHG Protocol Scope 2 Guidance, ch. 6); the location-based figure is the whole
quantity either way.

The entry's ``activity`` stays a catalogue key: ``electricity.<cc>.goo`` when the guarantees cover
it all (as entries made with the old yes/no box are: they count as covered whole),
``electricity.<cc>`` when they cover nothing or part; a part becomes two engine lines with the
entry's ref, the covered volume at ``electricity.<cc>.goo`` and the rest at ``electricity.<cc>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from klimabok.core.errors import FactorNotFound
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Factor

GOO_SUFFIX = ".goo"


def goo_volume(details: Mapping[str, Any]) -> Decimal | None:
    """The covered volume recorded in an entry's ``details`` (None when none was given)."""
    raw = details.get("goo_volume")
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if value > 0 else None


def split(activity: str, quantity: Decimal, details: Mapping[str, Any]) -> list[tuple[str, Decimal]]:
    """(activity, quantity) pairs an entry counts as: two when guarantees cover part of it."""
    volume = goo_volume(details)
    if (details.get("kind") != "electricity" or activity.endswith(GOO_SUFFIX) or volume is None
            or volume >= quantity):
        return [(activity, quantity)]
    return [(activity + GOO_SUFFIX, volume), (activity, quantity - volume)]


def residual_factor(catalogue: Catalogue, activity: str, year: int) -> Factor | None:
    """The residual-mix factor an electricity activity's uncovered kWh get in ``year`` (the newest
    published one up to ``year``), or None when the activity has none."""
    base = activity.removesuffix(GOO_SUFFIX)
    if not base.startswith("electricity."):
        return None
    try:
        return catalogue.factor(f"{base}.market.residual", year)
    except FactorNotFound:
        return None


@dataclass(frozen=True)
class Coverage:
    """What an electricity entry's market-based figure rests on, for the pages that show it."""

    quantity: Decimal
    covered: Decimal
    unit: str
    zone: str
    period_start: date | None
    period_end: date | None
    reference: str
    #: The residual-mix factor of the uncovered part and the year of its figure (None: no residual mix).
    residual: Factor | None
    year: int

    @property
    def rest(self) -> Decimal:
        return self.quantity - self.covered

    @property
    def residual_year(self) -> int | None:
        if self.residual is None:
            return None
        return self.residual.published_year or self.residual.year

    @property
    def residual_is_older(self) -> bool:
        """The reporting year's residual mix is not published (in the catalogue): an earlier one is used."""
        return self.residual_year is not None and self.residual_year < self.year


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def coverage(activity: str, quantity: Decimal, unit: str, details: Mapping[str, Any], *,
             catalogue: Catalogue, year: int) -> Coverage | None:
    """The guarantees-of-origin coverage of an electricity entry (None for anything else)."""
    if not activity.startswith("electricity."):
        return None
    volume = goo_volume(details)
    if activity.endswith(GOO_SUFFIX):
        covered = quantity if volume is None else min(volume, quantity)  # old yes/no entries: all of it
    else:
        covered = min(volume or Decimal(0), quantity)
    return Coverage(quantity=quantity, covered=covered, unit=unit, zone=str(details.get("goo_zone") or ""),
                    period_start=_date(details.get("goo_period_start")),
                    period_end=_date(details.get("goo_period_end")),
                    reference=str(details.get("goo_reference") or ""),
                    residual=residual_factor(catalogue, activity, year), year=year)


@dataclass(frozen=True)
class YearCoverage:
    """The year's electricity in kWh, the kWh guarantees of origin cover, and the residual-mix years."""

    total_kwh: Decimal
    covered_kwh: Decimal
    residual_years: tuple[int, ...]
    year: int

    @property
    def residual_is_older(self) -> bool:
        return any(y < self.year for y in self.residual_years)


_TO_KWH = {"kWh": Decimal(1), "MWh": Decimal(1000), "GWh": Decimal(1_000_000)}


def year_coverage(entries: Iterable[Any], *, catalogue: Catalogue, year: int) -> YearCoverage | None:
    """What the market-based electricity figure of a year rests on (None without electricity in kWh)."""
    total = covered = Decimal(0)
    years: set[int] = set()
    for entry in entries:
        cover = coverage(entry.activity, entry.quantity, entry.unit, entry.details, catalogue=catalogue,
                         year=year)
        if cover is None or entry.unit not in _TO_KWH:
            continue
        total += cover.quantity * _TO_KWH[entry.unit]
        covered += cover.covered * _TO_KWH[entry.unit]
        if cover.rest and cover.residual_year is not None:
            years.add(cover.residual_year)
    if not total:
        return None
    return YearCoverage(total_kwh=total, covered_kwh=covered, residual_years=tuple(sorted(years)), year=year)
