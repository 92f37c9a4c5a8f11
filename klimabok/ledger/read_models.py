"""A year's imported spend lines as engine input, beside its activity entries.

Each :class:`~klimabok.ledger.models.SpendLine` becomes one or more :class:`SpendPart`: the line
itself, less the transactions (vouchers) that have their own override, and one part per such
transaction (its postings' sum). A part's classification is the import's (a spend category, a
default exclusion, or unmapped) after the year's overrides
(:func:`~klimabok.core.spend.apply_overrides`: transaction > supplier > account) and after the
double-counting rule: a spend category that the year's activity data already covers (electricity
kWh vs the electricity account, fuel litres vs the fuel account, flights vs travel) is excluded
(:func:`~klimabok.core.spend.exclude_covered`) and says so.

A counted part (mapped, non-zero) becomes a tier-4 engine line with ``ref="spend:<id>"`` (or
``"spend:<id>/<transaction>"``): the spend factors ``spend.<category>``
(:func:`~klimabok.core.spend.spend_factor_dataset`, "CEDA by Watershed"), or an own factor from an
override (``spend.own.<digest>`` in the dataset ``spend-own``, :func:`own_factor_dataset`), which
a closed year pins and archives like every other factor dataset it uses.

Queries: spend lines, overrides, and the postings of overridden transactions (only when there are any).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Count, Sum

from klimabok.core.engine import ActivityLine
from klimabok.core.errors import KlimabokError
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Factor, FactorDataset
from klimabok.core.messages import Message
from klimabok.core.spend import (
    DATA_QUALITY_TIER,
    Classification,
    ExclusionReason,
    Override,
    OverrideTarget,
    apply_overrides,
    categories,
    exclude_covered,
    exclusion_message,
    spend_activity_line,
    spend_factor_dataset,
)
from klimabok.core.spend.classify import with_category
from klimabok.core.spend.factors import KEY_PREFIX, SPEND_DATASET_ID
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.mapping_services import sector_choice
from klimabok.ledger.models import Posting, SpendLine, SpendOverride

SPEND_REF_PREFIX = "spend:"
OWN_DATASET_ID = "spend-own"
OWN_KEY_PREFIX = f"{KEY_PREFIX}own."
#: The template :func:`~klimabok.core.spend.exclude_covered` excludes with.
COVERED_TEMPLATE = "covered by activity data (%(groups)s): not counted twice"
#: Default exclusions by their stored (English) text, so they show in the user's language.
_DEFAULT_EXCLUSIONS = {str(m): m for m in map(exclusion_message, ExclusionReason)}


def activity_groups(catalogue: Catalogue, activities: Iterable[str]) -> set[str]:
    """The activity groups (``electricity``, ``fuel``, ``flight``…) of the year's activity keys.

    An activity's ``group`` in the catalogue, and its key prefix (``electricity.no`` → ``electricity``).
    """
    groups: set[str] = set()
    for key in set(activities):
        groups.add(key.split(".", 1)[0])
        try:
            group = catalogue.activity(key).group
        except KlimabokError:
            continue
        if group:
            groups.add(group)
    return groups


def load_spend_lines(reporting_year: ReportingYear) -> list[SpendLine]:
    """Every spend line of the year's confirmed imports, in import and account order (one query)."""
    return list(SpendLine.objects.filter(ledger_import__reporting_year=reporting_year,
                                         ledger_import__status="confirmed")
                .order_by("ledger_import_id", "id"))


def load_overrides(reporting_year: ReportingYear) -> list[SpendOverride]:
    """The year's overrides (one query)."""
    return list(SpendOverride.objects.filter(reporting_year=reporting_year).select_related("created_by"))


def core_override(stored: SpendOverride) -> Override:
    """A stored override as the core's (which checks it says exactly one thing)."""
    return Override(target=OverrideTarget(stored.target), key=stored.key, category=stored.category or None,
                    kg_co2e_per_nok=stored.kg_co2e_per_nok, source=stored.source,
                    excluded_reason=stored.excluded_reason or None)


def stored_classification(line: SpendLine) -> Classification:
    """The line as the import classified it: its category, its default exclusion, or unmapped."""
    rule = Message("%(rule)s", {"rule": line.rule}) if line.rule else None
    if line.excluded:
        reason = _DEFAULT_EXCLUSIONS.get(line.excluded) or Message("%(reason)s", {"reason": line.excluded})
        return Classification(None, None, None, excluded=reason, rule=rule)
    if line.category and line.category in _category_keys():
        return with_category(line.category, rule)
    return Classification(None, None, None, excluded=None, rule=rule)


def _category_keys() -> set[str]:
    return {c.key for c in categories()}


@dataclass(frozen=True)
class SpendPart:
    """A spend line (less its overridden transactions), or one overridden transaction of it."""

    line: SpendLine
    transaction_id: str
    net_nok: Decimal
    classification: Classification
    #: How many ledger lines it adds up.
    lines: int

    @property
    def ref(self) -> str:
        suffix = f"/{self.transaction_id}" if self.transaction_id else ""
        return f"{SPEND_REF_PREFIX}{self.line.pk}{suffix}"

    @property
    def counted(self) -> bool:
        """Joins the account: mapped (a category or an own factor), not excluded, non-zero."""
        return self.classification.status == "mapped" and bool(self.net_nok)

    @property
    def covered(self) -> bool:
        """Excluded because the year's activity data covers it (double counting)."""
        excluded = self.classification.excluded
        return excluded is not None and excluded.template == COVERED_TEMPLATE

    @property
    def group(self) -> str:
        """The spend category it is shown under (``"own"``: an own factor on an unmapped account)."""
        return self.classification.category or ("own" if self.classification.own_factor else "")

    @property
    def activity(self) -> str:
        """The engine's factor key: ``spend.<category>``, or ``spend.own.<digest>`` for an own factor."""
        if self.classification.own_factor is not None:
            return _own_key(self.classification)
        return KEY_PREFIX + (self.classification.category or "")


def _own_key(classification: Classification) -> str:
    own = classification.own_factor
    assert own is not None
    text = "|".join(map(str, (own.kg_co2e_per_nok.normalize(), own.source, classification.scope,
                              classification.ghg_category)))
    return OWN_KEY_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def transaction_sums(reporting_year: ReportingYear,
                     transactions: Iterable[str]) -> dict[int, dict[str, tuple[Decimal, int]]]:
    """Spend line id → transaction → the sum and number of its postings, for the given transactions
    (one query)."""
    sums: dict[int, dict[str, tuple[Decimal, int]]] = defaultdict(dict)
    wanted = sorted(set(transactions))
    if not wanted:
        return sums
    rows = (Posting.objects.filter(spend_line__ledger_import__reporting_year=reporting_year,
                                   spend_line__ledger_import__status="confirmed", transaction_id__in=wanted)
            .values("spend_line_id", "transaction_id").annotate(total=Sum("amount"), count=Count("id"))
            .order_by())
    for row in rows:
        sums[row["spend_line_id"]][row["transaction_id"]] = (row["total"], row["count"])
    return sums


def spend_parts(lines: Sequence[SpendLine], overrides: Sequence[Override], groups: Iterable[str],
                transactions: dict[int, dict[str, tuple[Decimal, int]]]) -> list[SpendPart]:
    """Every line's parts with their final classification (overrides, then double counting)."""
    groups = set(groups)
    parts = []
    for line in lines:
        default = stored_classification(line)
        split = transactions.get(line.pk, {})
        rest = (line.net_nok - sum((net for net, _n in split.values()), Decimal(0)),
                line.lines - sum(n for _net, n in split.values()))
        # A supplier's or voucher's override is about its cost lines, not its payable, VAT or bank lines
        # (excluded by rule; counting them would net the supplier's spend to zero or below).
        by_rule = default.excluded is not None
        for transaction_id, (net, count) in [("", rest), *sorted(split.items())]:
            found = apply_overrides(default, overrides, account_id=line.account_id,
                                    supplier_id="" if by_rule else line.supplier_id,
                                    transaction_id="" if by_rule else transaction_id)
            parts.append(SpendPart(line, transaction_id, net, exclude_covered(found, groups), count))
    return parts


def load_spend_parts(reporting_year: ReportingYear, catalogue: Catalogue,
                     activities: Iterable[str]) -> list[SpendPart]:
    """The year's spend parts, given its entries' activity keys (one query, three with spend lines)."""
    lines = load_spend_lines(reporting_year)
    if not lines:
        return []
    groups = activity_groups(catalogue, activities)
    overrides = [core_override(o) for o in load_overrides(reporting_year)]
    transactions = transaction_sums(reporting_year, (o.key for o in overrides
                                                     if o.target is OverrideTarget.TRANSACTION))
    return spend_parts(lines, overrides, groups, transactions)


def own_factor_dataset(parts: Iterable[SpendPart], year: int) -> FactorDataset | None:
    """The own factors (kg CO2e per NOK) the counted parts use, as a dataset (None without any).

    Its version follows its content, so a closed year pins exactly the own factors it was closed with.
    """
    factors: dict[str, Factor] = {}
    for part in parts:
        own = part.classification.own_factor
        if own is None or not part.counted:
            continue
        key = part.activity
        factors[key] = Factor(
            key=key, name=f"Own factor: {own.source}"[:300], name_nb=f"Egen faktor: {own.source}"[:300],
            unit="NOK", year=year, published_year=year, region="", scope=part.classification.scope or 3,
            category=part.classification.ghg_category, kg_co2e=float(own.kg_co2e_per_nok), source=own.source,
            source_ref=str(part.classification.rule or ""), licence="", dataset_id=OWN_DATASET_ID)
    if not factors:
        return None
    digest = hashlib.sha256("\n".join(f"{f.key}={f.kg_co2e}" for f in sorted(
        factors.values(), key=lambda f: f.key)).encode("utf-8")).hexdigest()[:8]
    version = f"1+{digest}"
    stamped = tuple(replace(f, dataset_version=version) for f in factors.values())
    return FactorDataset(dataset_id=OWN_DATASET_ID, version=version, year=year,
                         title="Own spend factors (overrides: a supplier's kg CO2e per NOK)",
                         source="Set by the organisation with their sources", licence="", factors=stamped)


def spend_engine_line(part: SpendPart) -> ActivityLine:
    """A counted part as the engine's input line (tier 4, ``ref="spend:<id>"``)."""
    line = part.line
    who = line.supplier_name or line.supplier_id
    description = (f"{line.account_id} {line.account_description}" + (f" — {who}" if who else "")
                   + (f" · {part.transaction_id}" if part.transaction_id else ""))
    if part.classification.own_factor is not None:
        return ActivityLine(activity=part.activity, quantity=float(part.net_nok), unit="NOK",
                            description=description[:300], data_quality=DATA_QUALITY_TIER, ref=part.ref)
    return spend_activity_line(part.net_nok, part.classification.category or "", ref=part.ref,
                               description=description[:300])


def spend_inputs(reporting_year: ReportingYear, catalogue: Catalogue,
                 activities: Iterable[str]) -> tuple[list[ActivityLine], Catalogue, list[SpendPart]]:
    """The engine lines of the year's counted spend parts, ``catalogue`` with the spend factors and own
    factors they need (unless it holds them already: a closed year's pinned ones), and every part,
    counted or not (what the account page's spend section shows, so it needs no second load)."""
    every = load_spend_parts(reporting_year, catalogue, activities)
    parts = [p for p in every if p.counted]
    if not parts:
        return [], catalogue, every
    have = {d.dataset_id for d in catalogue.datasets}
    extra = []
    if SPEND_DATASET_ID not in have:
        # the climate partner's choice of CEDA sectors (its mapping table) is part of the dataset
        extra.append(spend_factor_dataset(reporting_year.year,
                                          sector_choice(reporting_year.organisation.partner)))
    own = own_factor_dataset(parts, reporting_year.year) if OWN_DATASET_ID not in have else None
    if own is not None:
        extra.append(own)
    valued = catalogue.with_datasets(extra) if extra else catalogue
    return [spend_engine_line(p) for p in parts], valued, every


def spend_line_id_of(ref: str) -> int | None:
    """The spend line id in a result line's ``ref`` (``"spend:42"``, ``"spend:42/T7"`` → 42), else None."""
    if not ref.startswith(SPEND_REF_PREFIX):
        return None
    number = ref[len(SPEND_REF_PREFIX):].split("/", 1)[0]
    return int(number) if number.isdigit() else None
