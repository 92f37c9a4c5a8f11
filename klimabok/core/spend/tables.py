"""The shipped spend tables in ``klimabok/data/spend/`` (format in the README there), read once."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from klimabok.core.errors import FactorNotFound
from klimabok.core.messages import Message, message
from klimabok.core.spend.model import ExclusionReason, SpendCategory, SpendFactor, exclusion_message

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

    @property
    def exclusion(self) -> Message | None:
        """Why spend under this code is excluded (``None``: mapped, or left for the user to map)."""
        return exclusion_message(self.excluded) if self.excluded is not None else None


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


def _flag(key: str) -> Message:
    """The user-facing text of a ``flags`` entry of ``factors.csv``."""
    match key:
        case "no_deflator":
            return message("no price-year adjustment: deflator not available")
        case "producer_price":
            return message("producer-price factor applied to purchaser-price spend (no margin adjustment)")
        case _:
            return message("note: %(flag)s", flag=key)


@lru_cache(maxsize=1)
def factor_rows() -> dict[str, dict[int, SpendFactor]]:
    """Category → published year → the factor of ``factors.csv`` (``year`` = ``published_year``)."""
    table: dict[str, dict[int, SpendFactor]] = {}
    for row in _rows("factors.csv"):
        sectors = tuple(
            (code, Decimal(value))
            for code, value in (pair.split("=") for pair in row["ceda_kg_co2e_per_usd"].split()))
        year = int(row["year"])
        table.setdefault(row["category"], {})[year] = SpendFactor(
            category=row["category"], year=year, published_year=year,
            kg_co2e_per_nok=Decimal(row["kg_co2e_per_nok"]), kg_co2e_per_usd=Decimal(row["kg_co2e_per_usd"]),
            sector_values=sectors, region=row["region"], base_year=int(row["base_year"]),
            nok_per_usd=Decimal(row["nok_per_usd"]), rate_year=int(row["rate_year"]),
            deflator=Decimal(row["deflator"]) if row["deflator"] else None,
            flags=tuple(_flag(f) for f in row["flags"].split(";") if f), source=row["source"],
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
class PriceIndex:
    """One year of ``price_index.csv``: the US GDP implicit price deflator (2017 = 100) and its source."""

    year: int
    index: Decimal
    series: str
    source: str
    source_ref: str
    licence: str


@lru_cache(maxsize=1)
def price_index() -> tuple[PriceIndex, ...]:
    """The price index the factors are deflated with, by year."""
    return tuple(PriceIndex(year=int(row["year"]), index=Decimal(row["index"]), series=row["series"],
                            source=row["source"], source_ref=row["source_ref"], licence=row["licence"])
                 for row in _rows("price_index.csv"))


def rules_for(key: str) -> tuple[AccountRule, ...]:
    """The default rules that map a code to spend category ``key`` (1.30 grouping codes, then 1.20
    standard accounts, which also serve the account-number fallback)."""
    rules = rule_table()
    return tuple(r for r in (*rules.grouping.values(), *rules.standard.values()) if r.category == key)


def excluded_rules() -> tuple[AccountRule, ...]:
    """The default rules that exclude spend (payroll, VAT, balance sheet…) or leave a code unmapped."""
    rules = rule_table()
    return tuple(r for r in (*rules.grouping.values(), *rules.standard.values()) if r.category is None)
