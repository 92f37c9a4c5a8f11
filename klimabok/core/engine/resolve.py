"""Resolve each distinct (activity, unit) pair once: factors, unit conversion, buckets.

The engine never looks a factor up per line. Lines are grouped by their
(activity key, unit) pair; each group is resolved here into its factor
*components* (diesel → combustion, scope 1 + well-to-tank, scope 3.3), each
with the multiplier from the line's unit to the factor's unit and the factor's
kg CO2e per factor unit under the account's GWP set. The result is a small
:class:`FactorTable` the engine applies to all lines with array operations.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

import numpy as np
from numpy.typing import NDArray

from klimabok.core.engine.scopes import BUCKETS, factor_buckets
from klimabok.core.errors import FactorNotFound, InputError, UnitError
from klimabok.core.factors import gwp, refrigerants
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Factor
from klimabok.core.messages import Message, message
from klimabok.core.units import conversion_factor, parse_unit

GWP_SETS = ("AR5", "AR6")
GASES = ("kg_co2", "kg_ch4", "kg_n2o", "kg_other_co2e")
_GAS_OF = attrgetter(*GASES)


def gwp_values(name: str) -> dict[str, float]:
    """100-year GWPs of a set the engine accepts ("AR5", "AR6"), kg CO2e per kg gas."""
    if name not in GWP_SETS:
        # The two sets spelled out in the text (not joined with an English "or"): GWP_SETS above.
        raise InputError(message("unknown GWP set '%(name)s' (use AR5 or AR6)", name=name), field="gwp_set")
    return gwp.gwp_set(name)


@dataclass(frozen=True, slots=True)
class Problem:
    """A reason one (activity, unit) group cannot be computed; ``field`` is the input column."""

    field: str
    message: Message


def factor_flags(factor: Factor, *, year: int, gwp_set: str,
                 blends: refrigerants.BlendTable | None = None) -> tuple[Message, ...]:
    """Data-quality flags a result line carries because of its factor."""
    flags = []
    figure_year = factor.published_year or factor.year
    if figure_year < year:
        flags.append(message("factor from %(figure_year)s: no %(year)s figure published",
                             figure_year=figure_year, year=year))
    if factor.gwp_set != gwp_set:
        from_components = refrigerants.component_co2e(factor, gwp_set, blends)
        if from_components is not None:
            flags.append(from_components[1])  # "AR6, from components: HFC-32 50 %, HFC-125 50 %"
        elif not factor.has_gas_split or factor.kg_other_co2e:
            flags.append(message(
                "CO2e only, published under %(published)s: no gas split to convert to %(wanted)s",
                published=factor.gwp_set, wanted=gwp_set))
    return tuple(flags)


def factor_co2e(factor: Factor, gwp_set: str, blends: refrigerants.BlendTable | None = None) -> float:
    """kg CO2e per factor unit under ``gwp_set``.

    The published total is the anchor (the per-gas figures are rounded in the
    publication, so re-adding them can miss the stated total in the 5th
    decimal). Under another GWP set only the CH4 and N2O terms change:
    ``kg_co2e + kg CH4 × ΔGWP(CH4) + kg N2O × ΔGWP(N2O)``. A refrigerant (published as CO2e
    only) is computed from its components' mass fractions in ``gwp_set``, given the catalogue's
    composition table ``blends`` (:mod:`klimabok.core.factors.refrigerants`); other CO2e-only
    figures cannot be converted.
    """
    if factor.gwp_set == gwp_set:
        return factor.kg_co2e
    from_components = refrigerants.component_co2e(factor, gwp_set, blends)
    if from_components is not None:
        return from_components[0]
    if not factor.has_gas_split:
        return factor.kg_co2e
    new, old = gwp_values(gwp_set), gwp.gwp_set(factor.gwp_set)
    return (factor.kg_co2e + factor.kg_ch4 * (new["CH4"] - old["CH4"])
            + factor.kg_n2o * (new["N2O"] - old["N2O"]))


@dataclass(frozen=True, slots=True)
class FactorTable:
    """The resolved factors of every group, as arrays over components.

    Component ``c`` belongs to group ``group[c]``; the components of group
    ``g`` are ``start[g]:start[g + 1]``. ``conversion`` turns a quantity in
    the line's unit into the factor's unit; ``gas`` holds kg of CO2, CH4,
    N2O and other-CO2e per factor unit; ``co2e`` kg CO2e per factor unit
    under the GWP set; ``buckets`` which of the 18 buckets a component counts
    in. ``per_unit`` (groups × buckets) is kg CO2e per *input* unit — all the
    totals need. Biogenic CO2 has its own arrays and never reaches a bucket.
    """

    activities: tuple[str, ...]
    units: tuple[str, ...]
    factors: tuple[Factor, ...]
    flags: tuple[tuple[Message, ...], ...]
    group: np.ndarray
    start: np.ndarray
    conversion: NDArray[np.float64]
    gas: NDArray[np.float64]
    co2e: NDArray[np.float64]
    buckets: np.ndarray
    per_unit: NDArray[np.float64]
    #: kg biogenic CO2 per factor unit of each component, and per *input* unit of each group: reported
    #: outside the scopes (GHG Protocol Corporate Standard ch. 4), never in ``per_unit``.
    biogenic: NDArray[np.float64]
    biogenic_per_unit: NDArray[np.float64]

    @property
    def datasets(self) -> tuple[str, ...]:
        """Sorted ``dataset_id@version`` refs of the factors used (factors without a dataset are skipped)."""
        return tuple(sorted({f"{f.dataset_id}@{f.dataset_version}" for f in self.factors if f.dataset_id}))


def resolve_group(activity_key: str, unit: str, *, catalogue: Catalogue, year: int,
                  ) -> tuple[list[tuple[Factor, float]], list[Problem]]:
    """Factors and unit multipliers of one (activity, unit) pair, or the problems preventing it."""
    if not activity_key.strip():
        return [], [Problem("activity", message("activity is missing"))]
    if not catalogue.has_key(activity_key):
        return [], [Problem("activity", message("unknown activity '%(activity)s'", activity=activity_key))]
    problems: list[Problem] = []
    if not unit.strip():
        problems.append(Problem("unit", message("unit is missing")))
    else:
        try:
            parse_unit(unit)
        except UnitError:
            problems.append(Problem("unit", message("unknown unit '%(unit)s'", unit=unit)))
    components = catalogue.activity(activity_key).components
    factors: list[Factor] = []
    missing: list[str] = []
    for component in components:
        try:
            factors.append(catalogue.factor(component, year))
        except FactorNotFound:
            missing.append(component)
    if missing:
        problems.append(Problem("activity", message(
            "no emission factor for '%(activity)s' in %(year)s or earlier", activity=activity_key, year=year)
            if len(missing) == len(components) else message(
            "no emission factor for '%(activity)s' (%(missing)s) in %(year)s or earlier",
            activity=activity_key, missing=", ".join(missing), year=year)))
    if problems:
        return [], problems
    resolved: list[tuple[Factor, float]] = []
    for factor in factors:
        try:
            resolved.append((factor, conversion_factor(unit, factor.unit)))
        except UnitError:
            problems.append(Problem("unit", message(
                "'%(unit)s' cannot be converted to '%(factor_unit)s', the unit of '%(activity)s'",
                unit=unit, factor_unit=factor.unit, activity=activity_key)))
    return resolved, list(dict.fromkeys(problems))


def build_table(activities: list[str], units: list[str], resolved: list[list[tuple[Factor, float]]],
                *, year: int, gwp_set: str, blends: refrigerants.BlendTable | None = None) -> FactorTable:
    """Assemble the arrays of :class:`FactorTable` from the resolved groups (``blends``: the
    catalogue's refrigerant compositions)."""
    factors = [f for group in resolved for f, _ in group]
    sizes = np.fromiter(map(len, resolved), dtype=np.intp, count=len(resolved))
    start = np.zeros(len(resolved) + 1, dtype=np.intp)
    np.cumsum(sizes, out=start[1:])
    group = np.repeat(np.arange(len(resolved), dtype=np.intp), sizes)
    conversion = np.array([c for g in resolved for _, c in g], dtype=np.float64)
    gas = np.array(list(map(_GAS_OF, factors)), dtype=np.float64).reshape(len(factors), len(GASES))
    co2e = np.array([factor_co2e(f, gwp_set, blends) for f in factors], dtype=np.float64)
    # A refrigerant computed from its components: its "other CO2e" is the figure under gwp_set.
    for c, factor in enumerate(factors):
        if factor.gwp_set != gwp_set and refrigerants.component_co2e(factor, gwp_set, blends) is not None:
            gas[c, GASES.index("kg_other_co2e")] = co2e[c]
    component_bucket = [(c, b) for c, f in enumerate(factors) for b in factor_buckets(f)]
    buckets = np.zeros((len(factors), len(BUCKETS)), dtype=bool)
    buckets[tuple(np.array(component_bucket, dtype=np.intp).reshape(-1, 2).T)] = True
    per_unit = np.zeros((len(resolved), len(BUCKETS)), dtype=np.float64)
    np.add.at(per_unit, group, buckets * (conversion * co2e)[:, None])
    biogenic = np.fromiter((f.kg_co2_biogenic for f in factors), dtype=np.float64, count=len(factors))
    biogenic_per_unit = np.zeros(len(resolved), dtype=np.float64)
    np.add.at(biogenic_per_unit, group, conversion * biogenic)
    return FactorTable(
        activities=tuple(activities), units=tuple(units), factors=tuple(factors),
        flags=tuple(factor_flags(f, year=year, gwp_set=gwp_set, blends=blends) for f in factors),
        group=group, start=start, conversion=conversion, gas=gas, co2e=co2e, buckets=buckets,
        per_unit=per_unit, biogenic=biogenic, biogenic_per_unit=biogenic_per_unit)
