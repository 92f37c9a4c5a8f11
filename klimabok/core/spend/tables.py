"""The shipped spend tables in ``klimabok/data/spend/`` (format in the README there), read once."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from klimabok.core.errors import FactorNotFound
from klimabok.core.messages import message
from klimabok.core.spend.model import ExclusionReason, SpendCategory

#: ``code`` of a rule that applies to every code of its grouping category.
ANY_CODE = "*"


def spend_data_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "data" / "spend"


@lru_cache(maxsize=1)
def tables_digest() -> str:
    """First 8 hex of the SHA-256 of the shipped category and factor tables: a release that changes
    them gives the spend dataset a new version, so a closed account pinned to the old one keeps it."""
    digest = hashlib.sha256()
    for name in ("categories.csv", "factors.csv"):
        digest.update((spend_data_dir() / name).read_bytes())
    return digest.hexdigest()[:8]


def _rows(name: str) -> list[dict[str, str]]:
    with (spend_data_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def _categories() -> dict[str, SpendCategory]:
    return {
        row["key"]: SpendCategory(
            key=row["key"], name=row["name"], name_nb=row["name_nb"], scope=int(row["scope"]),
            ghg_category=int(row["ghg_category"]) if row["ghg_category"] else None,
            ceda_sectors=tuple(row["ceda_sectors"].split()),
            covered_by_activity=tuple(row["covered_by_activity"].split()), rationale=row["rationale"])
        for row in _rows("categories.csv")
    }


def categories() -> tuple[SpendCategory, ...]:
    """Every spend category of ``categories.csv``, in file order."""
    return tuple(_categories().values())


def category(key: str) -> SpendCategory:
    """The spend category ``key``; an unknown key raises :class:`FactorNotFound`."""
    try:
        return _categories()[key]
    except KeyError:
        raise FactorNotFound(message("unknown spend category '%(key)s'", key=key)) from None


def covered_by_activity(key: str) -> tuple[str, ...]:
    """Activity groups (``electricity``, ``fuel``, ``flight``…) whose data covers spend category ``key``."""
    return category(key).covered_by_activity


@dataclass(frozen=True, slots=True)
class AccountRule:
    """One default rule of ``account_rules.csv``: a code → a spend category or an exclusion."""

    basis: str  #: "grouping" (1.30 næringsspesifikasjon) or "standard" (1.20 2-character standard account)
    grouping_category: str
    code: str
    category: str | None
    excluded: ExclusionReason | None
    text_nb: str
    text_en: str


@dataclass(frozen=True, slots=True)
class RuleTable:
    grouping: dict[tuple[str, str], AccountRule]
    grouping_by_code: dict[str, AccountRule]
    standard: dict[str, AccountRule]


@lru_cache(maxsize=1)
def rule_table() -> RuleTable:
    rules = [
        AccountRule(basis=row["basis"], grouping_category=row["grouping_category"], code=row["code"],
                    category=row["category"] or None,
                    excluded=ExclusionReason(row["excluded"]) if row["excluded"] else None,
                    text_nb=row["official_text_nb"], text_en=row["official_text_en"])
        for row in _rows("account_rules.csv")
    ]
    grouping = {(r.grouping_category, r.code): r for r in rules if r.basis == "grouping"}
    return RuleTable(
        grouping=grouping,
        grouping_by_code={code: r for (_, code), r in grouping.items() if code != ANY_CODE},
        standard={r.code: r for r in rules if r.basis == "standard"},
    )


@dataclass(frozen=True, slots=True)
class FactorRow:
    """One row of ``factors.csv`` (a category's CEDA-derived factor for one reporting year)."""

    category: str
    year: int
    kg_co2e_per_nok: Decimal
    kg_co2e_per_usd: Decimal
    sector_values: tuple[tuple[str, Decimal], ...]
    region: str
    base_year: int
    nok_per_usd: Decimal
    rate_year: int
    deflator: Decimal | None
    flags: tuple[str, ...]
    source: str
    source_ref: str
    licence: str


@lru_cache(maxsize=1)
def factor_rows() -> dict[str, dict[int, FactorRow]]:
    """Category → reporting year → factor row."""
    table: dict[str, dict[int, FactorRow]] = {}
    for row in _rows("factors.csv"):
        sectors = tuple(
            (code, Decimal(value))
            for code, value in (pair.split("=") for pair in row["ceda_kg_co2e_per_usd"].split()))
        table.setdefault(row["category"], {})[int(row["year"])] = FactorRow(
            category=row["category"], year=int(row["year"]), kg_co2e_per_nok=Decimal(row["kg_co2e_per_nok"]),
            kg_co2e_per_usd=Decimal(row["kg_co2e_per_usd"]), sector_values=sectors, region=row["region"],
            base_year=int(row["base_year"]), nok_per_usd=Decimal(row["nok_per_usd"]),
            rate_year=int(row["rate_year"]), deflator=Decimal(row["deflator"]) if row["deflator"] else None,
            flags=tuple(f for f in row["flags"].split(";") if f), source=row["source"],
            source_ref=row["source_ref"], licence=row["licence"])
    return table


@dataclass(frozen=True, slots=True)
class CedaSector:
    """One Open CEDA 2025 sector of ``ceda_sectors.csv``: Norway's kg CO2e per 2023 USD (producer price)."""

    code: str
    name: str
    region: str
    kg_co2e_per_usd: Decimal


@lru_cache(maxsize=1)
def ceda_sectors() -> dict[str, CedaSector]:
    """Sector code → sector, every one of the 400 CEDA sectors."""
    return {row["code"]: CedaSector(code=row["code"], name=row["name"], region=row["region"],
                                    kg_co2e_per_usd=Decimal(row["kg_co2e_per_usd"]))
            for row in _rows("ceda_sectors.csv")}


@dataclass(frozen=True, slots=True)
class CategoryMapping:
    """A spend category as the mapping table shows it: its CEDA sectors (name and the kg CO2e per 2023
    USD applied), its factor per reporting year (with exchange rate and deflator) and the default
    account rules that lead to it."""

    category: SpendCategory
    sectors: tuple[CedaSector, ...]
    factors: tuple[FactorRow, ...]
    rules: tuple[AccountRule, ...]


def category_mappings() -> tuple[CategoryMapping, ...]:
    """Every spend category with its sectors, factors and account rules, in ``categories.csv`` order."""
    names = ceda_sectors()
    rules = rule_table()
    all_rules = [*rules.grouping.values(), *rules.standard.values()]
    mappings = []
    for spend in categories():
        by_year = factor_rows().get(spend.key, {})
        factors = tuple(by_year[year] for year in sorted(by_year))
        values = dict(factors[0].sector_values) if factors else {}
        sectors = tuple(
            CedaSector(code=code, name=names[code].name if code in names else "",
                       region=factors[0].region if factors else "", kg_co2e_per_usd=values[code])
            for code in spend.ceda_sectors if code in values)
        mappings.append(CategoryMapping(
            category=spend, sectors=sectors, factors=factors,
            rules=tuple(r for r in all_rules if r.category == spend.key)))
    return tuple(mappings)


def excluded_rules() -> tuple[AccountRule, ...]:
    """The default rules that exclude spend (payroll, VAT, balance sheet…) or leave a code unmapped."""
    rules = rule_table()
    return tuple(r for r in (*rules.grouping.values(), *rules.standard.values()) if r.category is None)
