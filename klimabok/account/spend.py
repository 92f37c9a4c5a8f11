"""What the account page and the spend drill-down show of a year's spend-based lines.

:class:`SpendAccount` joins the year's :class:`~klimabok.ledger.read_models.SpendPart` (after
overrides and the double-counting rule) with the computed account: each counted part's kg CO2e
and factor come from the account's own result lines (``ref="spend:…"``), so every figure here
adds up to what the totals count, with a closed year's pinned factors. From that: the spend
categories (NOK, t CO2e, share), what is excluded and why (covered by activity data, by rule,
by hand), the coverage (:func:`~klimabok.core.spend.coverage`), and rows per account or supplier
for the drill-down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import numpy as np
from django.utils.translation import gettext as _

from klimabok.account.cache import once_per_account
from klimabok.core.engine import AccountResult
from klimabok.core.engine.result import View
from klimabok.core.errors import FactorNotFound
from klimabok.core.factors.model import Basis, Factor
from klimabok.core.messages import Message, message
from klimabok.core.spend import Coverage, CoverageEntry, RankedSpend, coverage, spend_factor
from klimabok.core.spend.double_counting import CoverBasis, Overlap
from klimabok.core.spend.factors import KEY_PREFIX
from klimabok.core.spend.overrides import activity_group_names
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.models import category_label
from klimabok.ledger.read_models import OWN_KEY_PREFIX, SPEND_REF_PREFIX, SpendPart, SpendParts


def spend_source_name(key: str) -> str | None:
    """The name of a spend-based source (``spend.<category>``, ``spend.own.…``), else None."""
    if key.startswith(OWN_KEY_PREFIX):
        return _("Own spend factor (override)")
    if key.startswith(KEY_PREFIX):
        return _("Spend: %(category)s") % {"category": category_label(key.removeprefix(KEY_PREFIX))}
    return None


@dataclass
class SpendRow:
    """The parts of one category, account or supplier added up."""

    key: str
    label: str
    detail: str = ""
    net_nok: Decimal = Decimal(0)
    counted_nok: Decimal = Decimal(0)
    kg_co2e: float = 0.0
    lines: int = 0
    factors: dict[str, Factor] = field(default_factory=dict)
    reasons: dict[Message, Decimal] = field(default_factory=dict)
    unmapped_nok: Decimal = Decimal(0)

    @property
    def t_co2e(self) -> float | None:
        return self.kg_co2e / 1000 if self.counted_nok else None

    @property
    def factor(self) -> Factor | None:
        """The one factor all counted parts use (None when none is, or several are)."""
        return next(iter(self.factors.values())) if len(self.factors) == 1 else None

    @property
    def kg_per_nok(self) -> float | None:
        """kg CO2e per counted NOK (the factor itself when there is one)."""
        return self.kg_co2e / float(self.counted_nok) if self.counted_nok else None


@dataclass(frozen=True)
class ExcludedRow:
    """Spend excluded for one reason: its NOK and the accounts it is on."""

    reason: Message
    kind: str  #: "covered" (activity data), "override" (by hand) or "rule" (payroll, VAT…)
    net_nok: Decimal
    accounts: tuple[tuple[str, str], ...]


class SpendAccount:
    """A year's spend parts with their share of the computed ``account``."""

    def __init__(self, reporting_year: ReportingYear, parts: SpendParts,
                 account: AccountResult, view: View = "location") -> None:
        self.reporting_year, self.parts, self.account = reporting_year, list(parts), account
        #: The spend categories the year's activity data also measures: how much of each it covers.
        self.overlaps = parts.overlaps
        self.view = view
        refs = account.columns.refs
        table = account.line_table
        factors = account.table.factors
        # spend-based electricity has a location- and a market-based component: count the one in view
        skip = Basis.MARKET if view == "location" else Basis.LOCATION
        in_view = np.array([factors[c].basis is not skip for c in table.component], dtype=np.float64)
        kg_per_line = np.bincount(table.line, weights=table.kg_co2e * in_view, minlength=len(refs))
        by_basis = {basis: np.bincount(table.line, weights=table.kg_co2e * np.array(
            [factors[c].basis is basis for c in table.component], dtype=np.float64), minlength=len(refs))
            for basis in (Basis.LOCATION, Basis.MARKET)}
        first_row = np.searchsorted(table.line, np.arange(len(refs)))
        wanted = {p.ref for p in self.parts if p.counted}
        self.kg: dict[str, float] = {}
        self.factor: dict[str, Factor] = {}
        #: kg of the spend lines whose scope 2 figure differs by basis: (location-based, market-based)
        self.split_kg = [0.0, 0.0]
        for index in range(len(refs)):
            ref = refs[index]
            if ref in wanted:
                self.kg[ref] = float(kg_per_line[index])
                self.factor[ref] = factors[table.component[first_row[index]]]
                self.split_kg[0] += float(by_basis[Basis.LOCATION][index])
                self.split_kg[1] += float(by_basis[Basis.MARKET][index])

    @property
    def electricity_split(self) -> tuple[float, float] | None:
        """Tonnes of spend-based electricity in the location- and the market-based scope 2 total (the
        market-based one scaled by residual mix / location factor), or None when none is split."""
        location, market = self.split_kg
        return (location / 1000, market / 1000) if location or market else None

    @property
    def counted(self) -> list[SpendPart]:
        return [p for p in self.parts if p.counted and p.ref in self.kg]

    @property
    def t_co2e(self) -> float:
        return sum(self.kg.values()) / 1000

    @property
    def counted_nok(self) -> Decimal:
        return sum((p.net_nok for p in self.counted), Decimal(0))

    def rows(self, key: Callable[[SpendPart], tuple[str, str, str]],
             parts: Iterable[SpendPart] | None = None) -> list[SpendRow]:
        """``parts`` (default: all) added up by ``key(part) → (key, label, detail)``, largest NOK first."""
        rows: dict[str, SpendRow] = {}
        for part in self.parts if parts is None else parts:
            row_key, label, detail = key(part)
            row = rows.get(row_key)
            if row is None:
                row = rows[row_key] = SpendRow(row_key, label, detail)
            row.net_nok += part.net_nok
            row.lines += part.lines
            if part.counted and part.ref in self.kg:
                row.counted_nok += part.net_nok
                row.kg_co2e += self.kg[part.ref]
                factor = self.factor[part.ref]
                row.factors[factor.key] = factor
            elif part.classification.excluded is not None:
                reason = part.classification.excluded
                row.reasons[reason] = row.reasons.get(reason, Decimal(0)) + part.net_nok
            elif part.net_nok:
                row.unmapped_nok += part.net_nok
        return sorted(rows.values(), key=lambda r: (-abs(r.net_nok), r.key))

    @cached_property
    def categories(self) -> list[SpendRow]:
        """The counted spend by category (largest tonnes first)."""
        rows = self.rows(lambda p: (p.group, category_label(p.group) if p.group != "own" else "", ""),
                         self.counted)
        return sorted(rows, key=lambda r: (-r.kg_co2e, r.key))

    def share(self, row: SpendRow, total_t: float) -> float | None:
        """A row's tonnes in percent of ``total_t``."""
        return 100 * (row.kg_co2e / 1000) / total_t if total_t and row.counted_nok else None

    @cached_property
    def excluded(self) -> list[ExcludedRow]:
        """Excluded spend by reason: double counting first (one row per category and how the activity
        data was matched; each part's own reason is in the drill-down), then by hand, then by rule."""
        by_reason: dict[Message, tuple[str, Decimal, dict[str, str]]] = {}
        groups = {o.category: o.groups for o in self.overlaps}
        for part in self.parts:
            reason = part.classification.excluded
            if reason is None or not part.net_nok:
                continue
            by_hand = reason.template.startswith("excluded by hand")
            kind = "covered" if part.covered else ("override" if by_hand else "rule")
            if part.covered:
                reason = covered_summary(part, groups.get(part.classification.category or "", ()))
            _kind, total, accounts = by_reason.get(reason, (kind, Decimal(0), {}))
            accounts.setdefault(part.line.account_id, part.line.account_description)
            by_reason[reason] = (kind, total + part.net_nok, accounts)
        order = {"covered": 0, "override": 1, "rule": 2}
        rows = [ExcludedRow(reason, kind, total, tuple(sorted(accounts.items())))
                for reason, (kind, total, accounts) in by_reason.items()]
        return sorted(rows, key=lambda r: (order[r.kind], -abs(r.net_nok)))

    @property
    def overlap_rows(self) -> list[tuple[Overlap, str, Message | str]]:
        """Each overlap with its category's name and the names of the activity groups that measure it."""
        return [(o, category_label(o.category), activity_group_names(o.groups)) for o in self.overlaps]

    @property
    def possible_double_counts(self) -> list[Overlap]:
        """The categories whose spend is still counted beside entries that matched nothing."""
        return [o for o in self.overlaps if o.possible_double_count]

    @cached_property
    def coverage(self) -> Coverage:
        """Cost spend mapped / excluded / unmapped after overrides and double counting."""
        return coverage(CoverageEntry(p.line.account_id, p.net_nok, p.classification, p.line.supplier_id,
                                      p.line.account_description) for p in self.parts)

    @property
    def coverage_rows(self) -> list[tuple[str, Decimal, float]]:
        """("mapped" | "excluded" | "unmapped", NOK, percent of the cost spend)."""
        c = self.coverage
        return [("mapped", c.mapped_nok, 100 * float(c.mapped_share)),
                ("excluded", c.excluded_nok, 100 * float(c.excluded_share)),
                ("unmapped", c.unmapped_nok, 100 * float(c.unmapped_share))]

    @property
    def unmapped_suppliers(self) -> list[tuple[RankedSpend, str]]:
        """The largest unmapped suppliers with their names."""
        names = {p.line.supplier_id: p.line.supplier_name for p in self.parts if p.line.supplier_id}
        return [(r, names.get(r.key, "")) for r in self.coverage.unmapped_suppliers]

    @cached_property
    def flags(self) -> list[Message]:
        """What the CEDA factors of the counted categories say about themselves (no deflator…), once."""
        seen: dict[Message, None] = {}
        for key in sorted({p.classification.category for p in self.counted
                           if p.classification.category and p.classification.own_factor is None}):
            try:
                seen.update(dict.fromkeys(spend_factor(key, self.reporting_year.year).flags))
            except FactorNotFound:
                continue
        return list(seen)


_COVERED_BY = {
    CoverBasis.VOUCHER: message("%(category)s: the vouchers named on the entries (%(groups)s)"),
    CoverBasis.SUPPLIER: message("%(category)s: the suppliers named on the entries (%(groups)s)"),
    CoverBasis.COST: message("%(category)s: the stated cost of the entries (%(groups)s)"),
    CoverBasis.RULE: message("%(category)s: the year's rule for the category (%(groups)s)"),
}


def covered_summary(part: SpendPart, groups: Iterable[str]) -> Message:
    """What the excluded table says of a covered part: its category, how it was matched and the activity
    ``groups`` (with data) that cover it."""
    category = part.classification.category or ""
    template = _COVERED_BY[CoverBasis(part.covered_by)]
    return Message(template.template, {"category": category_label(category),
                                       "groups": activity_group_names(groups)})


def spend_account(reporting_year: ReportingYear, parts: SpendParts,
                  account: AccountResult, view: View = "location") -> SpendAccount | None:
    """The year's spend ``parts`` (as :func:`~klimabok.ledger.read_models.spend_inputs` gave them to the
    computed ``account``) beside it, in the scope 2 ``view``; None when the year has no imported spend."""
    return SpendAccount(reporting_year, parts, account, view) if parts else None


@once_per_account
def spend_t_by_label(account: AccountResult) -> Mapping[str, float]:
    """Tonnes of the account's spend-based lines per row of the category table (``scope_3.1``,
    ``scope_3``, both scope 2 rows…), so each row can say how much of it is a spend estimate."""
    refs = account.columns.refs
    spend_line = np.fromiter((ref.startswith(SPEND_REF_PREFIX) for ref in refs), dtype=bool, count=len(refs))
    out: dict[str, float] = {}
    if not spend_line.any():
        return out
    table = account.line_table
    rows = spend_line[table.line]
    kg = np.bincount(table.component[rows], weights=table.kg_co2e[rows], minlength=len(account.table.factors))
    for component in np.flatnonzero(kg):
        label = account.table.factors[component].scope_label
        keys: tuple[str, ...] = ("scope_2_location", "scope_2_market") if label == "scope_2" else (label,)
        keys += ("scope_3",) if label.startswith("scope_3") else ()
        keys += ("total_location", "total_market")
        for key in keys:
            out[key] = out.get(key, 0.0) + float(kg[component]) / 1000
    return out


@once_per_account
def tiers_by_activity(account: AccountResult) -> Mapping[str, tuple[int, int]]:
    """The lowest and highest data-quality tier of each activity's input lines."""
    columns = account.columns
    n = len(columns.activity_keys)
    low, high = np.full(n, 99), np.full(n, -1)
    np.minimum.at(low, columns.activity_codes, columns.data_quality)
    np.maximum.at(high, columns.activity_codes, columns.data_quality)
    return {key: (int(low[i]), int(high[i])) for i, key in enumerate(columns.activity_keys) if high[i] >= 0}


def spend_category_rows(spend: SpendAccount, total_t: float) -> list[tuple[SpendRow, float | None]]:
    """The account page's spend categories with their share of the total in view."""
    return [(row, spend.share(row, total_t)) for row in spend.categories]
