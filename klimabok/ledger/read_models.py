"""A year's imported spend lines as engine input, beside its activity entries.

Each :class:`~klimabok.ledger.models.SpendLine` becomes one or more :class:`SpendPart`: the line
itself, less the transactions (vouchers) that have their own override, and one part per such
transaction (its postings' sum). A part's classification is the import's (a spend category, a
default exclusion, or unmapped) after the year's overrides
(:func:`~klimabok.core.spend.apply_overrides`: transaction > supplier > account) and after the
double-counting rule (:mod:`klimabok.core.spend.double_counting`): of a spend category that the
year's activity data also measures (electricity kWh vs the electricity account, fuel litres vs the
fuel account, flights vs air travel), only what the entries cover is excluded — the vouchers and
suppliers they name, then the category's rule (all, a share) or the entries' stated cost — as a
covered part of its own that says why; the rest still counts.

A counted part (mapped, non-zero) becomes a tier-4 engine line with ``ref="spend:<id>"`` (or
``"spend:<id>/<transaction>"``): the spend factors ``spend.<category>``
(:func:`~klimabok.core.spend.spend_factor_dataset`, "CEDA by Watershed"), or an own factor from an
override (``spend.own.<digest>`` in the dataset ``spend-own``, :func:`own_factor_dataset`), which
a closed year pins and archives like every other factor dataset it uses.

Queries: spend lines, overrides, and the postings of overridden transactions (only when there are any).

The ledger pages' own reads are here too: an import's summary (:func:`import_summary`), the
confirmed imports a ledger would overlap (:func:`counted_overlapping`), the names on the overrides
list (:func:`override_names`) and the climate partner's CEDA sectors (:func:`sector_choice`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from klimabok.accounts.models import Organisation
from klimabok.core.engine import ActivityLine
from klimabok.core.errors import FactorNotFound, KlimabokError
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Factor, FactorDataset
from klimabok.core.messages import Message
from klimabok.core.spend import (
    ATTRIBUTION,
    DATA_QUALITY_TIER,
    Classification,
    ExclusionReason,
    Override,
    OverrideTarget,
    apply_overrides,
    categories,
    covered_by_activity,
    exclusion_message,
    spend_activity_line,
    spend_factor_dataset,
)
from klimabok.core.spend.classify import with_category
from klimabok.core.spend.double_counting import (
    COVERING_GROUPS,
    ActivityClaim,
    CoverageMode,
    CoverageRule,
    Overlap,
    SpendItem,
    allocate,
    split_suppliers,
    split_vouchers,
)
from klimabok.core.spend.factors import (
    GRID_LOCATION_KEY,
    GRID_RESIDUAL_KEY,
    KEY_PREFIX,
    SPEND_DATASET_ID,
    SectorChoice,
    spend_electricity_activity,
)
from klimabok.inventory.entry_kinds import BY_SLUG
from klimabok.inventory.models import ReportingYear
from klimabok.inventory.read_models import EntryLike, catalogue_for
from klimabok.inventory.templatetags.account_format import grouped, localized_name
from klimabok.ledger.messages import message_from_json
from klimabok.ledger.models import (
    LedgerImport,
    Posting,
    SpendCoverageRule,
    SpendLine,
    SpendOverride,
    SpendSectorChoice,
)

SPEND_REF_PREFIX = "spend:"
OWN_DATASET_ID = "spend-own"
OWN_KEY_PREFIX = f"{KEY_PREFIX}own."
#: Default exclusions by their stored (English) text, so they show in the user's language.
_DEFAULT_EXCLUSIONS = {str(m): m for m in map(exclusion_message, ExclusionReason)}


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
    #: The piece of a part that activity data covers: how it was found (a :class:`CoverBasis`), else "".
    covered_by: str = ""

    @property
    def ref(self) -> str:
        suffix = f"/{self.transaction_id}" if self.transaction_id else ""
        return f"{SPEND_REF_PREFIX}{self.line.pk}{suffix}" + ("#covered" if self.covered_by else "")

    @property
    def counted(self) -> bool:
        """Joins the account: mapped (a category or an own factor), not excluded, non-zero."""
        return self.classification.status == "mapped" and bool(self.net_nok)

    @property
    def covered(self) -> bool:
        """Excluded because the year's activity data covers it (double counting)."""
        return bool(self.covered_by)

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


class SpendParts(list[SpendPart]):
    """The year's spend parts (a covered piece of a part is a part of its own, excluded and marked
    ``covered_by``), with the :class:`~klimabok.core.spend.double_counting.Overlap` of each spend
    category that the year's activity data also measures."""

    def __init__(self, parts: Iterable[SpendPart] = (), overlaps: Iterable[Overlap] = ()) -> None:
        super().__init__(parts)
        self.overlaps = list(overlaps)


def spend_parts(lines: Sequence[SpendLine], overrides: Sequence[Override], claims: Sequence[ActivityClaim],
                transactions: dict[int, dict[str, tuple[Decimal, int]]],
                rules: dict[str, CoverageRule] | None = None) -> SpendParts:
    """Every line's parts with their final classification: the overrides, then what the activity
    ``claims`` cover (:func:`~klimabok.core.spend.double_counting.allocate`: voucher, supplier, the
    category's rule or the entries' stated cost), split off as a covered part."""
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
            parts.append(SpendPart(line, transaction_id, net, found, count))
    items = [SpendItem(key=str(index), category=p.classification.category, net_nok=p.net_nok,
                       supplier_id=p.line.supplier_id, supplier_org_number=p.line.supplier_org_number,
                       supplier_name=p.line.supplier_name, transaction_id=p.transaction_id)
             for index, p in enumerate(parts)
             if p.classification.category and p.classification.status == "mapped"
             and p.classification.own_factor is None and p.net_nok > 0]
    covers, overlaps = allocate(items, claims, rules)
    by_index = {int(c.key): c for c in covers}
    final: list[SpendPart] = []
    for index, part in enumerate(parts):
        cover = by_index.get(index)
        if cover is None:
            final.append(part)
            continue
        covered = SpendPart(part.line, part.transaction_id, cover.covered_nok,
                            replace(part.classification, excluded=cover.reason), 0,
                            covered_by=cover.basis.value)
        left = part.net_nok - cover.covered_nok
        final.extend([covered, replace(part, net_nok=left)] if left else [replace(covered, lines=part.lines)])
    return SpendParts(final, overlaps)


def entry_claims(catalogue: Catalogue, entries: Iterable[EntryLike]) -> list[ActivityClaim]:
    """What each entry says about the ledger (its group, supplier, vouchers and stated cost) for the
    double-counting rule; an entry's group is its catalogue group, or its key's first part."""
    claims = []
    for entry in entries:
        prefix = entry.activity.split(".", 1)[0]
        try:
            group = catalogue.activity(entry.activity).group or prefix
        except KlimabokError:
            group = prefix
        if group not in COVERING_GROUPS and prefix in COVERING_GROUPS:
            group = prefix
        details = entry.details or {}
        cost = details.get("cost_nok")
        label = entry.description or f"{entry.activity} {entry.quantity.normalize():f} {entry.unit}"
        claims.append(ActivityClaim(
            ref=entry.ref, group=group, label=label[:80],
            suppliers=split_suppliers(str(details.get("supplier") or "")),
            vouchers=split_vouchers(str(details.get("vouchers") or "")),
            cost_nok=Decimal(str(cost)) if cost not in (None, "") else None))
    return claims


def load_coverage_rules(reporting_year: ReportingYear) -> dict[str, CoverageRule]:
    """The year's double-counting rules by spend category (one query)."""
    return {r.category: CoverageRule(r.category, CoverageMode(r.mode), r.share_percent, r.note)
            for r in SpendCoverageRule.objects.filter(reporting_year=reporting_year)}


def load_spend_parts(reporting_year: ReportingYear, catalogue: Catalogue,
                     entries: Sequence[EntryLike]) -> SpendParts:
    """The year's spend parts, given its entries (no query without spend lines, four with)."""
    lines = load_spend_lines(reporting_year)
    if not lines:
        return SpendParts()
    claims = entry_claims(catalogue, entries)
    overrides = [core_override(o) for o in load_overrides(reporting_year)]
    vouchers = {v for c in claims if c.group in COVERING_GROUPS for v in c.vouchers}
    transactions = transaction_sums(reporting_year, [*(o.key for o in overrides
                                                       if o.target is OverrideTarget.TRANSACTION), *vouchers])
    return spend_parts(lines, overrides, claims, transactions, load_coverage_rules(reporting_year))


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
                 entries: Sequence[EntryLike]) -> tuple[list[ActivityLine], Catalogue, SpendParts]:
    """The engine lines of the year's counted spend parts, ``catalogue`` with the spend factors and own
    factors they need (unless it holds them already: a closed year's pinned ones), and every part,
    counted or not (what the account page's spend section shows, so it needs no second load)."""
    every = load_spend_parts(reporting_year, catalogue, entries)
    parts = [p for p in every if p.counted]
    if not parts:
        return [], catalogue, every
    have = {d.dataset_id for d in catalogue.datasets}
    extra = []
    if SPEND_DATASET_ID not in have:
        # the climate partner's choice of CEDA sectors (its mapping table) is part of the dataset
        extra.append(spend_factor_dataset(reporting_year.year,
                                          sector_choice(reporting_year.organisation.partner),
                                          grid=grid_rows(catalogue, reporting_year.year)))
    own = own_factor_dataset(parts, reporting_year.year) if OWN_DATASET_ID not in have else None
    if own is not None:
        extra.append(own)
    valued = catalogue.with_datasets(extra) if extra else catalogue
    # spend-based electricity: location- and market-based factor (a closed year pinned before: one factor)
    electricity = spend_electricity_activity(valued.has_key)
    if electricity is not None:
        valued = valued.with_datasets((), (electricity,))
    return [spend_engine_line(p) for p in parts], valued, every


def grid_rows(catalogue: Catalogue, year: int) -> tuple[Factor, Factor] | None:
    """The catalogue's Norwegian location (NVE) and residual-mix (AIB) electricity rows for ``year``
    (the newest earlier ones when none is published for it), or None without both."""
    try:
        location = catalogue.factor(GRID_LOCATION_KEY, year)
        residual = catalogue.factor(GRID_RESIDUAL_KEY, year)
    except FactorNotFound:
        return None
    return (location, residual) if location.kg_co2e > 0 else None


def spend_line_id_of(ref: str) -> int | None:
    """The spend line id in a result line's ``ref`` (``"spend:42"``, ``"spend:42/T7"`` → 42), else None."""
    if not ref.startswith(SPEND_REF_PREFIX):
        return None
    number = ref[len(SPEND_REF_PREFIX):].split("/", 1)[0]
    return int(number) if number.isdigit() else None


# --- The climate partner's CEDA sectors ------------------------------------------------------------

def partner_choices(partner: Organisation) -> dict[str, SpendSectorChoice]:
    """The partner's chosen sectors by spend category key."""
    return {c.category: c for c in SpendSectorChoice.objects.filter(partner=partner)}


def sector_choice(partner: Organisation | None) -> SectorChoice:
    """Spend category key → the CEDA sector codes the partner chose (empty without a partner)."""
    if partner is None:
        return {}
    return {c.category: tuple(c.ceda_sectors.split()) for c in partner_choices(partner).values()}


# --- The import pages ------------------------------------------------------------------------------

def counted_overlapping(reporting_year: ReportingYear, start: date | None, end: date | None,
                        other_than: int | None = None) -> list[LedgerImport]:
    """The year's confirmed imports whose period overlaps ``start``–``end`` (an unknown period overlaps
    everything): a second ledger of the same months (a SAF-T file and a CSV export of the same
    books) would count the same costs twice."""
    counted = LedgerImport.objects.filter(reporting_year=reporting_year, status=LedgerImport.Status.CONFIRMED)
    if other_than is not None:
        counted = counted.exclude(pk=other_than)
    return [other for other in counted if _periods_overlap(start, end, other.period_start, other.period_end)]


def _periods_overlap(start: date | None, end: date | None, other_start: date | None,
                     other_end: date | None) -> bool:
    """Whether two periods share a day; a period with an unknown end overlaps everything."""
    if start is None or end is None or other_start is None or other_end is None:
        return True
    return other_start <= end and start <= other_end


#: The guided form that replaces a spend estimate with activity data, per activity group of
#: ``categories.csv``'s ``covered_by_activity``, and what it asks for.
ACTIVITY_FORMS: dict[str, tuple[str, Promise]] = {
    "electricity": ("electricity", _("the kWh")), "district_heating": ("district_heating", _("the kWh")),
    "fuel": ("company_cars", _("the litres or km")), "car": ("company_cars", _("the km or litres")),
    "van": ("company_cars", _("the km or litres")), "flight": ("flight", _("the flights")),
    "hotel": ("hotel", _("the hotel nights")), "travel": ("transport", _("the km travelled")),
}


@dataclass(frozen=True)
class ActivityPointer:
    """A spend category of a ledger import that activity data would measure better: where to enter it."""

    category: str
    name: str
    nok: float
    what: str
    kinds: tuple[tuple[str, str], ...]  #: (slug, title) of the entry kinds (klimabok.inventory.entry_kinds)

    def message(self) -> str:
        return str(_("You have %(nok)s NOK of %(category)s in the ledger: enter %(what)s instead, and that "
                     "spend is no longer estimated from the amount.")
                   % {"nok": grouped(self.nok, 0), "category": self.name.lower(), "what": self.what})


def activity_pointers(imported: LedgerImport, spend: Iterable[tuple[str, Decimal | None]]
                      ) -> list[ActivityPointer]:
    """The import's spend categories whose activity data has a form, when the year has none of that data
    yet (with it, the double-counting rule already leaves the spend out): "you have 84,000 NOK of
    electricity: enter the kWh"."""
    catalogue = catalogue_for(imported.reporting_year)
    have = {claim.group for claim in entry_claims(catalogue, imported.reporting_year.entries.all())}
    table = {c.key: c for c in categories()}
    pointers = []
    for key, nok in spend:
        groups = covered_by_activity(key) if key in table else ()
        forms = [ACTIVITY_FORMS[g] for g in groups if g in ACTIVITY_FORMS]
        if not forms or have.intersection(groups) or not nok or nok <= 0:
            continue
        slugs = dict.fromkeys(slug for slug, _what in forms)
        kinds = tuple((slug, str(BY_SLUG[slug].title)) for slug in slugs)
        pointers.append(ActivityPointer(key, localized_name(table[key]), float(nok), str(forms[0][1]), kinds))
    return pointers


def import_summary(imported: LedgerImport) -> dict[str, Any]:
    """What an import's summary shows beside its own fields: shares, categories, messages."""
    cover = imported.coverage or {}
    own = imported.reporting_year.organisation.org_number.replace(" ", "")
    theirs = imported.org_number.replace(" ", "")
    lines = imported.spend_lines.aggregate(
        total=Count("id"), mapped=Count("id", filter=Q(excluded="") & ~Q(category="")),
        excluded=Count("id", filter=~Q(excluded="")))
    table = {c.key: c for c in categories()}
    by_category = list(imported.spend_lines.filter(excluded="").exclude(category="").values("category")
                       .annotate(nok=Sum("net_nok"), t_co2e=Sum("t_co2e")).order_by("-t_co2e"))
    return {
        "org_number_differs": bool(own and theirs and theirs != own),
        "overlapping": counted_overlapping(imported.reporting_year, imported.period_start,
                                           imported.period_end, other_than=imported.pk)
        if imported.status == LedgerImport.Status.READY else [],
        "shares": {key: 100 * float(cover.get(f"{key}_share", 0))
                   for key in ("mapped", "excluded", "unmapped")},
        "cover": cover,
        "spend_line_counts": lines,
        "categories": [{"spend": table.get(c["category"]), "key": c["category"], "nok": float(c["nok"] or 0),
                        "t_co2e": float(c["t_co2e"] or Decimal(0))} for c in by_category],
        "warnings": [message_from_json(w) for w in imported.warnings],
        "notes": [message_from_json(n) for n in imported.notes],
        "attribution": ATTRIBUTION,
        "pointers": activity_pointers(imported, [(c["category"], c["nok"]) for c in by_category]),
    }


def override_names(reporting_year: ReportingYear) -> dict[tuple[str, str], str]:
    """(target, key) → the account's description or the supplier's name, for the overrides list."""
    out: dict[tuple[str, str], str] = {}
    for account_id, description, supplier_id, supplier_name in SpendLine.objects.filter(
            ledger_import__reporting_year=reporting_year, ledger_import__status="confirmed").values_list(
            "account_id", "account_description", "supplier_id", "supplier_name").distinct():
        out[("account", account_id)] = description
        if supplier_id:
            out[("supplier", supplier_id)] = supplier_name
    return out
