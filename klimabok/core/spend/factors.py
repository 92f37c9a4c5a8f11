"""Spend factors (kg CO2e per NOK) and spend-based emissions, and their bridge to the engine.

The factors are derived from Open CEDA 2025 by ``scripts/build_spend_factors.py``: Norway's kg
CO2e per 2023 USD (producer price) of each category's CEDA sectors, their equal-weight mean,
divided by the price-year deflator P(year) / P(2023) of the US GDP implicit price deflator (BEA
NIPA Table 1.1.9 line 1; ``price_index.csv``) and by the CEDA workbook's NOK per USD of the
reporting year. A year without a published index has no deflator and carries that flag.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from klimabok.core.engine.inputs import ActivityLine
from klimabok.core.errors import FactorNotFound
from klimabok.core.factors.model import Activity, Basis, Factor, FactorDataset
from klimabok.core.messages import Message, message
from klimabok.core.spend.model import (
    ATTRIBUTION,
    DATA_QUALITY_TIER,
    Classification,
    OwnFactor,
    SpendCategory,
    SpendFactor,
    SpendResult,
)
from klimabok.core.spend.tables import (
    AccountRule,
    CedaSector,
    categories,
    category,
    ceda_sectors,
    factor_rows,
    price_index,
    rules_for,
    tables_digest,
)

_KG_PER_TONNE = Decimal(1000)
_WHOLE_KG = Decimal("0.001")
_PER_NOK_PLACES = Decimal("1e-9")
#: Factor keys in the engine's catalogue: ``spend.<category>``.
KEY_PREFIX = "spend."


#: A climate partner's choice of CEDA sectors: spend category key → sector codes (replacing
#: ``categories.csv``'s for that partner's clients).
SectorChoice = Mapping[str, tuple[str, ...]]


def price_deflator(index: Mapping[int, Decimal], year: int, base_year: int) -> Decimal | None:
    """P(year) ÷ P(base_year) of a price index: spend of ``year`` in base-year dollars is the spend
    divided by it. ``None`` when the index lacks either year."""
    if year not in index or base_year not in index:
        return None
    return index[year] / index[base_year]


def kg_co2e_per_nok(kg_per_usd: Decimal, deflator: Decimal | None, nok_per_usd: Decimal) -> Decimal:
    """kg CO2e per base-year USD → kg CO2e per NOK of the reporting year, 9 decimals:
    ÷ the deflator (none: not adjusted) ÷ the year's NOK per USD."""
    per_usd = kg_per_usd if deflator is None else kg_per_usd / deflator
    return (per_usd / nok_per_usd).quantize(_PER_NOK_PLACES)


#: A factor's source reference is archived with a closed year in a column of this width.
MAX_SOURCE_REF = 200
#: At most this many CEDA sectors per category (their codes are part of the source reference).
MAX_SECTORS = 10


def check_sectors(codes: Sequence[str]) -> None:
    """Raise :class:`FactorNotFound` naming the first code that is not an Open CEDA 2025 sector."""
    if not codes:
        raise FactorNotFound(message("choose at least one CEDA sector"))
    if len(codes) > MAX_SECTORS:
        raise FactorNotFound(message("choose at most %(max)s CEDA sectors", max=MAX_SECTORS))
    for code in codes:
        if code not in ceda_sectors():
            raise FactorNotFound(message("'%(code)s' is not an Open CEDA 2025 sector code", code=code))


def spend_factor(key: str, year: int, *, sectors: tuple[str, ...] | None = None) -> SpendFactor:
    """kg CO2e per NOK of spend category ``key`` for reporting ``year``.

    The newest built year up to ``year`` is used; an earlier one is flagged. A year before
    the first built one raises :class:`FactorNotFound`. ``sectors`` (a partner's choice of CEDA
    sectors for the category) replaces the shipped mapping: the factor is their equal-weight mean
    from ``ceda_sectors.csv``, deflated and converted as the shipped ones, and flagged.
    """
    spend = category(key)
    by_year = factor_rows().get(key, {})
    usable = [y for y in by_year if y <= year]
    if not usable:
        raise FactorNotFound(message("no spend factor for '%(key)s' in %(year)s or earlier",
                                     key=key, year=year))
    published = by_year[max(usable)]
    flags = published.flags
    if published.year < year:
        flags += (message("factor from %(published)s: none built for %(year)s yet", published=published.year,
                          year=year),)
    factor = replace(published, year=year, flags=flags)
    if sectors is None or tuple(sectors) == spend.ceda_sectors:
        return factor
    return _chosen_sectors(factor, tuple(sectors), spend.ceda_sectors)


def _chosen_sectors(factor: SpendFactor, sectors: tuple[str, ...], default: tuple[str, ...]) -> SpendFactor:
    check_sectors(sectors)
    table = ceda_sectors()
    values = tuple((code, table[code].kg_co2e_per_usd) for code in sectors)
    per_usd = sum((v for _, v in values), Decimal(0)) / len(values)
    index = {p.year: p.index for p in price_index()}
    deflator = price_deflator(index, factor.published_year, factor.base_year)
    chosen = message("CEDA sectors chosen by the climate partner: %(sectors)s (default %(default)s)",
                     sectors=" ".join(sectors), default=" ".join(default))
    return replace(
        factor, kg_co2e_per_nok=kg_co2e_per_nok(per_usd, deflator, factor.nok_per_usd),
        kg_co2e_per_usd=per_usd.quantize(_PER_NOK_PLACES).normalize(), sector_values=values,
        region=table[sectors[0]].region,
        source_ref=(f"ceda_sectors.csv[{' '.join(sectors)}] (partner's choice); "
                    + factor.source_ref.split("; ", 1)[1]),
        flags=(chosen, *factor.flags))


def spend_emissions(amount_nok: Decimal, key: str | None, year: int, *,
                    own_factor: OwnFactor | None = None,
                    sectors: tuple[str, ...] | None = None) -> SpendResult:
    """Emissions of ``amount_nok`` (NOK excl. VAT, debit − credit) spent in category ``key``.

    ``own_factor`` (from an override: a supplier's own kg CO2e/NOK) replaces the CEDA factor;
    ``sectors`` (a climate partner's CEDA sectors for ``key``) the shipped mapping (:func:`spend_factor`).
    kg = amount × kg/NOK; tonnes rounded half up to whole kg.
    """
    amount = Decimal(amount_nok)
    flags: tuple[Message, ...] = ()
    if own_factor is not None:
        factor = None
        per_nok, attribution = own_factor.kg_co2e_per_nok, ""
    elif key is not None:
        factor = spend_factor(key, year, sectors=sectors)
        per_nok, flags, attribution = factor.kg_co2e_per_nok, factor.flags, ATTRIBUTION
    else:
        raise FactorNotFound(message("no spend category and no own factor: the spend cannot be converted"))
    kg = amount * per_nok
    return SpendResult(
        amount_nok=amount, category=key, year=year, kg_co2e_per_nok=per_nok, kg_co2e=kg,
        t_co2e=(kg / _KG_PER_TONNE).quantize(_WHOLE_KG, rounding=ROUND_HALF_UP), factor=factor,
        own_factor=own_factor, flags=flags, attribution=attribution)


#: The dataset id of the spend factors in an account's catalogue (its version follows the tables' content).
SPEND_DATASET_ID = "open-ceda-2025-spend"


#: The spend category whose CEDA figure is scope 2 electricity (Scope 2 Guidance: dual reporting).
ELECTRICITY_CATEGORY = "electricity_heat"
#: The market-based part of spend-based electricity: ``spend.electricity_heat.market``.
MARKET_SUFFIX = ".market"
#: The shipped Norwegian grid rows the market-based part is scaled by: residual mix (AIB) / location (NVE).
GRID_LOCATION_KEY = "electricity.no.location"
GRID_RESIDUAL_KEY = "electricity.no.market.residual"


def market_scaling(location: Factor, residual: Factor) -> tuple[Decimal, str]:
    """The ratio residual mix / location factor and the note that cites both rows."""
    ratio = Decimal(str(residual.kg_co2e)) / Decimal(str(location.kg_co2e))
    note = (f"market-based = CEDA kg/NOK (a grid-average, location-based figure) × Norwegian residual mix "
            f"{residual.kg_co2e} kg/kWh ({residual.key} {residual.year}, {residual.source_ref}) / location "
            f"factor {location.kg_co2e} kg/kWh ({location.key} {location.year}, {location.source_ref}) "
            f"= × {ratio.quantize(Decimal('0.0001'))}: no contractual instruments known, so the residual "
            "mix applies (GHG Protocol Scope 2 Guidance, ch. 6)")
    return ratio, note


def spend_electricity_activity(catalogue_keys: Callable[[str], bool]) -> Activity | None:
    """The activity ``spend.electricity_heat`` expanding into its location- and market-based factors, when
    the catalogue (``has_key``) holds the market-based one (a closed year pinned before it has not)."""
    key = KEY_PREFIX + ELECTRICITY_CATEGORY
    if not catalogue_keys(key + MARKET_SUFFIX):
        return None
    return Activity(key=key, name="Spend: electricity and heating", name_nb="Kostnad: strøm og oppvarming",
                    unit="NOK", components=(key, key + MARKET_SUFFIX))


def spend_factor_dataset(year: int, chosen: SectorChoice | None = None, *,
                         grid: tuple[Factor, Factor] | None = None) -> FactorDataset:
    """Every category's spend factor for ``year`` as engine factors ``spend.<category>`` per NOK.

    Add it to a catalogue (``catalogue.with_datasets([...])``) and compute
    :func:`spend_activity_line` lines beside activity lines. ``chosen``: the climate partner's CEDA
    sectors for some categories; they change the factors, so they are part of the version (a
    closed year pinned to another version keeps it).

    ``grid``: the catalogue's Norwegian (location, residual-mix) electricity rows for ``year``. With
    them, ``spend.electricity_heat`` is the location-based figure (CEDA's kg/NOK) and
    ``spend.electricity_heat.market`` the market-based one, CEDA × residual / location
    (:func:`market_scaling`; the activity :func:`spend_electricity_activity` joins them). Without
    them the one CEDA figure counts in both scope 2 totals.
    """
    shipped = {spend.key: spend.ceda_sectors for spend in categories()}
    # a choice for a category a release has dropped has nothing to apply to
    chosen = {key: tuple(codes) for key, codes in (chosen or {}).items()
              if key in shipped and tuple(codes) != shipped[key]}
    factors = []
    for spend in categories():
        sf = spend_factor(spend.key, year, sectors=chosen.get(spend.key))
        factors.append(Factor(
            key=KEY_PREFIX + spend.key, name=f"Spend: {spend.name}", name_nb=f"Kostnad: {spend.name_nb}",
            unit="NOK", year=year, published_year=sf.published_year, region=sf.region, scope=spend.scope,
            category=spend.ghg_category, kg_co2e=float(sf.kg_co2e_per_nok),
            source=sf.source, source_ref=sf.source_ref, licence=sf.licence,
            notes="; ".join(str(f) for f in sf.flags)))
        if spend.key == ELECTRICITY_CATEGORY and spend.scope == 2 and grid is not None:
            ratio, note = market_scaling(*grid)
            cited = "; ".join(n for n in (factors[-1].notes, "location-based: CEDA as is") if n)
            location = replace(factors[-1], basis=Basis.LOCATION, notes=cited,
                               name=f"Spend: {spend.name} (location-based)",
                               name_nb=f"Kostnad: {spend.name_nb} (lokasjonsbasert)")
            market = replace(location, key=location.key + MARKET_SUFFIX, basis=Basis.MARKET,
                             name=f"Spend: {spend.name} (market-based)",
                             name_nb=f"Kostnad: {spend.name_nb} (markedsbasert)",
                             kg_co2e=float(sf.kg_co2e_per_nok * ratio),
                             source_ref=f"{sf.source_ref}; {grid[1].source_ref} / {grid[0].source_ref}",
                             notes="; ".join(n for n in (factors[-1].notes, note) if n))
            factors[-1:] = [location, market]
    first = spend_factor(categories()[0].key, year)
    version = f"2025+{tables_digest()}"
    if grid is not None:
        rows = ";".join(f"{f.key}@{f.year}={f.kg_co2e}" for f in grid)
        version += f"+m{hashlib.sha256(rows.encode()).hexdigest()[:8]}"
    if chosen:
        choice = ";".join(f"{key}={' '.join(codes)}" for key, codes in sorted(chosen.items()))
        version += f"+p{hashlib.sha256(choice.encode()).hexdigest()[:8]}"
    # Stamped like the shipped datasets' factors, so an account lists (and a closed one pins) it.
    stamped = tuple(replace(f, dataset_id=SPEND_DATASET_ID, dataset_version=version) for f in factors)
    return FactorDataset(dataset_id=SPEND_DATASET_ID, version=version, year=year,
                         title="Spend-based factors (kg CO2e per NOK) from Open CEDA 2025",
                         source=first.source, licence=first.licence, factors=stamped)


def spend_activity_line(amount_nok: Decimal, key: str, *, ref: str = "", site: str = "",
                        description: str = "") -> ActivityLine:
    """An engine line for ``amount_nok`` of spend category ``key`` (data-quality tier 4)."""
    return ActivityLine(activity=KEY_PREFIX + key, quantity=float(amount_nok), unit="NOK", site=site,
                        description=description, data_quality=DATA_QUALITY_TIER, ref=ref)


def account_emissions(classification: Classification, amount_nok: Decimal, year: int,
                      chosen: SectorChoice | None = None) -> SpendResult | None:
    """Spend-based emissions of an account's (or line's) net ``amount_nok`` as classified; ``None``
    when it is excluded or unmapped. A net credit (refunds above purchases) gives negative tonnes,
    so an account's lines and its net agree. ``chosen``: the climate partner's CEDA sectors by
    category, as :func:`spend_factor_dataset` applies them to the account."""
    if classification.excluded is not None or classification.status != "mapped":
        return None
    sectors = (chosen or {}).get(classification.category or "")
    return spend_emissions(amount_nok, classification.category, year, own_factor=classification.own_factor,
                           sectors=sectors)


@dataclass(frozen=True, slots=True)
class CategoryMapping:
    """A spend category as the partner's mapping table shows it: its CEDA sectors (name and the kg CO2e
    per 2023 USD applied), its factor for every built year (exchange rate, deflator, flags) and the
    default account rules that lead to it."""

    category: SpendCategory
    sectors: tuple[CedaSector, ...]
    factors: tuple[SpendFactor, ...]
    rules: tuple[AccountRule, ...]

    @property
    def changed(self) -> bool:
        """The climate partner chose other sectors than ``categories.csv``."""
        return tuple(s.code for s in self.sectors) != self.category.ceda_sectors


def category_mappings(chosen: SectorChoice | None = None) -> tuple[CategoryMapping, ...]:
    """Every spend category with its sectors, factors and account rules, in ``categories.csv`` order
    (with the climate partner's ``chosen`` sectors where it changed them)."""
    names = ceda_sectors()
    mappings = []
    for spend in categories():
        sectors_chosen = (chosen or {}).get(spend.key)
        factors = tuple(spend_factor(spend.key, year, sectors=sectors_chosen)
                        for year in sorted(factor_rows().get(spend.key, {})))
        sectors = tuple(
            CedaSector(code=code, name=names[code].name if code in names else "", region=factors[0].region,
                       kg_co2e_per_usd=value)
            for code, value in (factors[0].sector_values if factors else ()))
        mappings.append(CategoryMapping(category=spend, sectors=sectors, factors=factors,
                                        rules=rules_for(spend.key)))
    return tuple(mappings)
