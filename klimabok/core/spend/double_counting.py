"""Double counting between activity data and ledger spend, excluding only what the activity data covers.

A spend category (``categories.csv``) names the activity groups that measure the same thing
(``electricity_heat`` ← ``electricity district_heating``, ``travel_air`` ← ``flight``…). When a year
has both, the GHG Protocol Corporate Standard (ch. 4 and 6: no emissions counted twice within the
inventory; ch. 7 on completeness) asks for the overlap, and only the overlap, to be removed. What the
activity data covers is decided per piece of spend, most specific evidence first:

1. **voucher** — an entry names the voucher (bilag) or invoice number of a ledger transaction:
   that transaction's spend is covered;
2. **supplier** — an entry names the supplier (org.nr, the ledger's supplier id, or its name): the
   supplier's spend in the covered categories is covered;
3. what is left of the category, by the year's **rule** for it (:class:`CoverageMode`):

   - ``matched`` (the default): the stated cost (NOK excl. VAT) of the entries that matched
     nothing by voucher or supplier is covered, spread over the rest of the spend of the categories
     the entries' group covers in proportion to NOK, never more than there is. Entries with neither a
     match nor a cost cover nothing: the spend is counted and the category is flagged as a possible
     double count, for the user to match it or set another rule;
   - ``all``: the activity data covers all of the category's spend (kWh metered for every site);
   - ``share``: it covers this share (per cent) of it.

Pure functions over plain values (:class:`SpendItem`, :class:`ActivityClaim`): the ledger app builds
them from its spend parts and the year's entries and rules. Every covered amount says why
(:class:`Cover.reason`) and each category where the two meet has a row (:class:`Overlap`) for the page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from klimabok.core.errors import KlimabokError
from klimabok.core.messages import Message, message
from klimabok.core.spend.tables import categories, covered_by_activity

CENT = Decimal("0.01")
#: The activity groups that measure what some spend category buys (``categories.csv``).
COVERING_GROUPS = frozenset(g for c in categories() for g in c.covered_by_activity)
HUNDRED = Decimal(100)


class CoverageMode(StrEnum):
    """What the activity data covers of a category's spend beyond the voucher and supplier matches."""

    MATCHED = "matched"
    ALL = "all"
    SHARE = "share"


class CoverBasis(StrEnum):
    """How a covered amount was found (most specific first)."""

    VOUCHER = "voucher"
    SUPPLIER = "supplier"
    COST = "cost"
    RULE = "rule"


@dataclass(frozen=True, slots=True)
class CoverageRule:
    """The year's rule for one spend category: ``mode`` and, for ``share``, the per cent covered."""

    category: str
    mode: CoverageMode = CoverageMode.MATCHED
    share_percent: Decimal | None = None
    #: Why (the user's words; shown beside the rule).
    note: str = ""

    def __post_init__(self) -> None:
        if self.mode is CoverageMode.SHARE:
            if self.share_percent is None or not Decimal(0) <= self.share_percent <= HUNDRED:
                raise KlimabokError(message("a share covered by activity data is between 0 and 100 per cent"))
        elif self.share_percent is not None:
            raise KlimabokError(message("only the rule 'a share' takes a per cent"))

    @property
    def fraction(self) -> Decimal:
        """The share of the unmatched spend covered: 0 (matched only), 1 (all) or the per cent / 100."""
        if self.mode is CoverageMode.ALL:
            return Decimal(1)
        if self.mode is CoverageMode.SHARE:
            assert self.share_percent is not None
            return self.share_percent / HUNDRED
        return Decimal(0)


@dataclass(frozen=True, slots=True)
class SpendItem:
    """A piece of counted spend: its category, its supplier (id, org.nr, name), its voucher (when the
    piece is one transaction) and its NOK. ``key`` identifies it to the caller."""

    key: str
    category: str
    net_nok: Decimal
    supplier_id: str = ""
    supplier_org_number: str = ""
    supplier_name: str = ""
    transaction_id: str = ""

    @property
    def supplier_keys(self) -> frozenset[str]:
        return frozenset(k for k in (supplier_key(self.supplier_id), supplier_key(self.supplier_org_number),
                                     supplier_key(self.supplier_name)) if k)


@dataclass(frozen=True, slots=True)
class ActivityClaim:
    """What one activity entry says about the ledger: its group (``flight``…), the suppliers and
    vouchers it was bought under, and what it cost (NOK excl. VAT), each optional."""

    ref: str
    group: str
    label: str = ""
    suppliers: tuple[str, ...] = ()
    vouchers: tuple[str, ...] = ()
    cost_nok: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Cover:
    """``covered_nok`` of spend item ``key`` is covered by activity data, found by ``basis``."""

    key: str
    covered_nok: Decimal
    basis: CoverBasis
    reason: Message


@dataclass
class Overlap:
    """One spend category where activity data and spend meet: how much spend, how it was covered, what
    is still counted, and the entries that matched nothing."""

    category: str
    groups: tuple[str, ...]
    rule: CoverageRule
    entries: int = 0
    spend_nok: Decimal = Decimal(0)
    covered: dict[CoverBasis, Decimal] = field(default_factory=lambda: dict.fromkeys(CoverBasis, Decimal(0)))
    unmatched_entries: list[ActivityClaim] = field(default_factory=list)

    @property
    def covered_nok(self) -> Decimal:
        return sum(self.covered.values(), Decimal(0))

    @property
    def counted_nok(self) -> Decimal:
        return self.spend_nok - self.covered_nok

    @property
    def possible_double_count(self) -> bool:
        """Spend is still counted beside entries that matched nothing and stated no cost, under the
        default rule: the user should match them, or say what the activity data covers."""
        return (self.rule.mode is CoverageMode.MATCHED and self.counted_nok > 0
                and bool(self.unmatched_entries))


_LEGAL_FORM = re.compile(r"\b(as|asa|ab|sa|ltd|limited|gmbh|inc|llc|ans|da|ba|sf|nuf)\b")


def supplier_key(text: str) -> str:
    """A supplier name, id or org.nr as compared: an org.nr by its nine digits ("NO 912 345 678 MVA" →
    "912345678"), else lower case without punctuation, legal form and extra spaces."""
    text = (text or "").strip()
    if not text:
        return ""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 9 and re.fullmatch(r"(?i)\s*(no)?[\d\s.]+(mva)?\s*", text):
        return digits
    words = re.sub(r"[^\w\s]", " ", text.casefold())
    return " ".join(_LEGAL_FORM.sub(" ", words).split())


def voucher_key(text: str) -> str:
    """A voucher or invoice number as compared (case and surrounding spaces ignored)."""
    return (text or "").strip().casefold()


def split_vouchers(text: str) -> tuple[str, ...]:
    """Voucher numbers typed in one field, separated by commas, semicolons or spaces."""
    return tuple(v for v in re.split(r"[,;\s]+", text or "") if v)


def split_suppliers(text: str) -> tuple[str, ...]:
    """Suppliers typed in one field, separated by semicolons ("Ladenett Norge AS; 912 345 678")."""
    return tuple(s.strip() for s in (text or "").split(";") if s.strip())


def allocate(items: Sequence[SpendItem], claims: Sequence[ActivityClaim],
             rules: Mapping[str, CoverageRule] | None = None) -> tuple[list[Cover], list[Overlap]]:
    """What of ``items`` the activity ``claims`` cover (:class:`Cover`, at most one per item and never
    more than its NOK), and one :class:`Overlap` per category that has both, by the year's ``rules``."""
    rules = rules or {}
    groups = {c.group for c in claims}
    covering = {item.category: tuple(g for g in covered_by_activity(item.category) if g in groups)
                for item in items}
    covered_items = [item for item in items if covering[item.category] and item.net_nok > 0]
    overlaps: dict[str, Overlap] = {}
    for item in covered_items:
        overlap = overlaps.get(item.category)
        if overlap is None:
            cat_groups = covering[item.category]
            overlap = overlaps[item.category] = Overlap(
                item.category, cat_groups, rules.get(item.category) or CoverageRule(item.category),
                entries=sum(1 for c in claims if c.group in cat_groups))
        overlap.spend_nok += item.net_nok

    covers: dict[str, Cover] = {}
    matched_claims: set[str] = set()
    by_voucher = _index(claims, lambda c: [voucher_key(v) for v in c.vouchers])
    by_supplier = _index(claims, lambda c: [supplier_key(s) for s in c.suppliers])
    for item in covered_items:
        wanted = set(covering[item.category])
        found = [c for c in by_voucher.get(voucher_key(item.transaction_id), ()) if c.group in wanted] \
            if item.transaction_id else []
        basis = CoverBasis.VOUCHER
        if not found:
            found = list({c.ref: c for key in sorted(item.supplier_keys) for c in by_supplier.get(key, ())
                          if c.group in wanted}.values())
            basis = CoverBasis.SUPPLIER
        if found:
            matched_claims.update(c.ref for c in found)
            covers[item.key] = Cover(item.key, item.net_nok, basis, _reason(basis, found, item))

    rest = [item for item in covered_items if item.key not in covers]
    # the rule of the category, for what no voucher or supplier matched
    by_rule = [item for item in rest if overlaps[item.category].rule.mode is not CoverageMode.MATCHED]
    for item in by_rule:
        rule = overlaps[item.category].rule
        amount = (item.net_nok * rule.fraction).quantize(CENT, ROUND_HALF_UP)
        if amount:
            covers[item.key] = Cover(item.key, amount, CoverBasis.RULE, _rule_reason(rule))
    # the stated cost of the entries that matched nothing, spread over what is left in their groups'
    # categories under the default rule
    open_items = [item for item in rest if overlaps[item.category].rule.mode is CoverageMode.MATCHED]
    unmatched = [c for c in claims if c.ref not in matched_claims]
    for group in sorted({c.group for c in unmatched}):
        costs = [c for c in unmatched if c.group == group and c.cost_nok]
        stated = sum((c.cost_nok or Decimal(0) for c in costs), Decimal(0))
        pool = [item for item in open_items if group in covering[item.category] and item.key not in covers]
        total = sum((item.net_nok for item in pool), Decimal(0))
        if stated <= 0 or total <= 0:
            continue
        fraction = min(stated / total, Decimal(1))
        for item in pool:
            amount = (item.net_nok * fraction).quantize(CENT, ROUND_HALF_UP)
            if amount:
                covers[item.key] = Cover(item.key, min(amount, item.net_nok), CoverBasis.COST,
                                         _cost_reason(costs, stated))
    category_of = {item.key: item.category for item in covered_items}
    for cover in covers.values():
        overlaps[category_of[cover.key]].covered[cover.basis] += cover.covered_nok
    for overlap in overlaps.values():
        overlap.unmatched_entries = [c for c in unmatched if c.group in overlap.groups and not c.cost_nok]
    return list(covers.values()), sorted(overlaps.values(), key=lambda o: (-o.spend_nok, o.category))


def _index(claims: Iterable[ActivityClaim],
           keys: Callable[[ActivityClaim], list[str]]) -> dict[str, list[ActivityClaim]]:
    index: dict[str, list[ActivityClaim]] = defaultdict(list)
    for claim in claims:
        for key in keys(claim):
            if key:
                index[key].append(claim)
    return index


def _entries(found: Sequence[ActivityClaim]) -> Message | str:
    labels = sorted({c.label or c.ref for c in found})
    shown = ", ".join(labels[:3])
    if len(labels) <= 3:
        return shown
    return message("%(first)s and %(more)s more", first=shown, more=len(labels) - 3)


def _reason(basis: CoverBasis, found: Sequence[ActivityClaim], item: SpendItem) -> Message:
    if basis is CoverBasis.VOUCHER:
        return message("covered by activity data: voucher %(voucher)s is the entry %(entries)s",
                       voucher=item.transaction_id, entries=_entries(found))
    supplier = item.supplier_name or item.supplier_org_number or item.supplier_id
    return message("covered by activity data: supplier %(supplier)s is named on the entry %(entries)s",
                   supplier=supplier, entries=_entries(found))


def _rule_reason(rule: CoverageRule) -> Message:
    if rule.mode is CoverageMode.ALL:
        return message("covered by activity data: the rule for this category says the activity data covers "
                       "all of it")
    return message("covered by activity data: the rule for this category says the activity data covers "
                   "%(share)s %% of it", share=f"{rule.share_percent:f}".rstrip("0").rstrip("."))


def _cost_reason(costs: Sequence[ActivityClaim], stated: Decimal) -> Message:
    return message("covered by activity data: the stated cost of %(entries)s, NOK %(nok)s, spread over "
                   "the unmatched spend", entries=_entries(costs), nok=nok_text(stated))


def nok_text(amount: Decimal) -> str:
    """Whole NOK with a space between thousands ("12 345"), as both languages read it."""
    return f"{amount.quantize(Decimal(1), ROUND_HALF_UP):,}".replace(",", "\u00a0")
