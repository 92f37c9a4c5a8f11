"""The spend-based model: categories, classifications, factors and results (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from klimabok.core.messages import Message, message

#: Shown wherever a spend-based result appears (Open CEDA licence, CC BY-SA 4.0).
ATTRIBUTION = "CEDA by Watershed"
#: The method label of a spend-based line.
METHOD = "spend-based"
#: Data-quality tier of a spend-based line (klimabok.core.engine.inputs: 4 = extrapolated, spend-based).
DATA_QUALITY_TIER = 4


class ExclusionReason(StrEnum):
    """Why an account's spend is not turned into emissions (docs/domain.md: shown, never dropped)."""

    PAYROLL = "payroll"
    DEPRECIATION = "depreciation"
    WRITE_DOWN = "write_down"
    FINANCIAL = "financial"
    TAX = "tax"
    VAT = "vat"
    BALANCE_SHEET = "balance_sheet"
    REVENUE = "revenue"
    INTERNAL = "internal"


_EXCLUSION_MESSAGES = {
    ExclusionReason.PAYROLL: message(
        "payroll: wages, pensions and employer's contributions are not purchases"),
    ExclusionReason.DEPRECIATION: message(
        "depreciation: a purchase counts when it is bought, not when it is written off"),
    ExclusionReason.WRITE_DOWN: message("write-downs and losses: no purchase behind them"),
    ExclusionReason.FINANCIAL: message(
        "financial items: interest, currency and investments are not purchases"),
    ExclusionReason.TAX: message("taxes and duties are not purchases"),
    ExclusionReason.VAT: message("VAT: spend is counted without VAT"),
    ExclusionReason.BALANCE_SHEET: message("balance-sheet account (classes 1–2): not a cost of the year"),
    ExclusionReason.REVENUE: message("revenue (class 3): not a cost"),
    ExclusionReason.INTERNAL: message(
        "internal entry (accruals, stock changes, re-invoicing, transfers): no purchase behind it"),
}


def exclusion_message(reason: ExclusionReason) -> Message:
    """The user-facing text of a default exclusion."""
    return _EXCLUSION_MESSAGES[reason]


@dataclass(frozen=True, slots=True)
class SpendCategory:
    """One row of ``categories.csv``: a spend category and the CEDA sectors it maps to.

    ``ghg_category`` is the GHG Protocol scope 3 category (``None`` outside scope 3);
    ``covered_by_activity`` the activity groups (key prefixes of the factor catalogue, e.g.
    ``electricity``) whose data covers the same thing.
    """

    key: str
    name: str
    name_nb: str
    scope: int
    ghg_category: int | None
    ceda_sectors: tuple[str, ...]
    covered_by_activity: tuple[str, ...]
    rationale: str


@dataclass(frozen=True, slots=True)
class OwnFactor:
    """A factor the user gives (a supplier's own figure): kg CO2e per NOK and where it comes from."""

    kg_co2e_per_nok: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class Classification:
    """What an account (or a line after overrides) is: a spend category, excluded, or unmapped.

    ``rule`` says which rule matched ("grouping code 6340 Lys, varme"); ``own_factor`` is set
    by an override that gives the supplier's own kg CO2e/NOK.
    """

    category: str | None
    scope: int | None
    ghg_category: int | None
    excluded: Message | None
    rule: Message | None
    own_factor: OwnFactor | None = None

    @property
    def status(self) -> str:
        """``"excluded"``, ``"mapped"`` or ``"unmapped"`` (what coverage counts)."""
        if self.excluded is not None:
            return "excluded"
        return "mapped" if self.category is not None or self.own_factor is not None else "unmapped"


@dataclass(frozen=True, slots=True)
class SpendFactor:
    """kg CO2e per NOK of ``category`` for reporting ``year``, with how it was derived.

    ``kg_co2e_per_usd`` is the equal-weight mean of ``sector_values`` (CEDA sector code →
    kg CO2e per ``base_year`` USD, producer price) for ``region``; ``nok_per_usd`` the CEDA
    exchange rate of ``rate_year``; ``deflator`` the price-year index applied (``None``: none
    available, see ``flags``). ``published_year`` is the year the figures were built for
    (earlier than ``year`` when a later year is not built yet; then ``flags`` says so).
    """

    category: str
    year: int
    published_year: int
    kg_co2e_per_nok: Decimal
    kg_co2e_per_usd: Decimal
    sector_values: tuple[tuple[str, Decimal], ...]
    region: str
    base_year: int
    nok_per_usd: Decimal
    rate_year: int
    deflator: Decimal | None
    source: str
    source_ref: str
    licence: str
    flags: tuple[Message, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class SpendResult:
    """Emissions of ``amount_nok`` spent in ``category``: kg and tonnes CO2e (``Decimal``).

    ``factor`` is the CEDA-derived factor, or ``None`` when an ``own_factor`` was used.
    ``t_co2e`` is rounded to whole kg (3 decimals), as the engine rounds.
    """

    amount_nok: Decimal
    category: str | None
    year: int
    kg_co2e_per_nok: Decimal
    kg_co2e: Decimal
    t_co2e: Decimal
    factor: SpendFactor | None
    own_factor: OwnFactor | None
    flags: tuple[Message, ...]
    method: str = METHOD
    data_quality: int = DATA_QUALITY_TIER
    attribution: str = ATTRIBUTION
