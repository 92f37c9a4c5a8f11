"""What the compensate page and the partner's order list show, loaded in a fixed number of queries.

Residual emissions come from the year's climate account (market-based, as the
claim rules use them); what is already compensated is the tonnes of the year's
reserved and retired orders. The two are shown side by side: nothing here
subtracts credits from the account — the difference is only the suggestion of
how much more to order.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation
from klimabok.certificates.models import Certificate
from klimabok.core.credits.registries import CCP_LABEL
from klimabok.core.credits.serials import format_serial
from klimabok.core.engine import AccountResult
from klimabok.core.errors import KlimabokError
from klimabok.credits.holdings import oldest_first, price_of, serial_block_of
from klimabok.credits.models import CompensationOrder, CreditBlock, CreditKind, CreditProject, CreditRange
from klimabok.inventory.models import ReportingYear

#: Coverage key → (label, category keys of the account added up, market-based).
COVERAGE_CATEGORIES: dict[str, tuple[str | Promise, tuple[str, ...] | None]] = {
    "scope_1_2": (_("Scope 1 and 2"), ("scope_1", "scope_2_market")),
    "scope_1_2_travel": (_("Scope 1 and 2 and business travel (3.6)"), ("scope_1", "scope_2_market",
                                                                          "scope_3.6")),
    "all": (_("All scopes"), None),
}
DEFAULT_COVERAGE = "all"


@dataclass(frozen=True)
class Coverage:
    """Residual emissions of one coverage, what the year's orders already cover, and what to order."""

    key: str
    label: str
    residual_t: float
    compensated_t: int
    suggested_t: int


def residual_t(account: AccountResult, coverage: str) -> float:
    """The account's market-based emissions (t CO₂e) in ``coverage`` (see :data:`COVERAGE_CATEGORIES`)."""
    keys = COVERAGE_CATEGORIES[coverage][1]
    if keys is None:
        return account.totals.total_market
    by_category = account.by_category()
    return sum(by_category.get(key, 0.0) for key in keys)


def suggested_tonnes(residual: float, compensated: int, margin_percent: Decimal) -> int:
    """Whole credits still to order: ⌈residual × (1 + margin) − compensated⌉, never below zero.

    The residual is rounded to grams first, so a float's last digit never adds a tonne.
    """
    wanted = Decimal(str(round(residual, 6))) * (1 + margin_percent / 100) - compensated
    return max(0, math.ceil(wanted))


@dataclass(frozen=True)
class BlockOffer:
    block: CreditBlock
    available: int


@dataclass
class ProjectOffer:
    """A project of the partner's portfolio as a client sees it: offered, priced blocks with credits left."""

    project: CreditProject
    blocks: list[BlockOffer] = field(default_factory=list)

    @property
    def available(self) -> int:
        return sum(b.available for b in self.blocks)

    @property
    def vintages(self) -> list[int]:
        return sorted({b.block.vintage for b in self.blocks if b.block.vintage is not None})

    @property
    def prices(self) -> list[Decimal]:
        return sorted({b.block.price_per_tonne for b in self.blocks if b.block.price_per_tonne is not None})

    @property
    def kind(self) -> str:
        return kind_of(self.blocks[0].block) if self.blocks else self.project.kind

    @property
    def labels(self) -> list[str]:
        """The labels of the project and its blocks (CCB, CORSIA, SDG…), as the registry spells them."""
        labels = [*(self.project.labels or [])]
        labels += [label for b in self.blocks for label in (b.block.labels or [])]
        return list(dict.fromkeys(labels))

    @property
    def ccp(self) -> bool:
        return self.project.ccp_label or any(CCP_LABEL in (b.block.labels or []) for b in self.blocks)


def kind_of(block: CreditBlock) -> str:
    """Removal or reduction: the project's recorded kind wins over what the export said."""
    return block.project.kind if block.project.kind != CreditKind.UNKNOWN else block.kind


@dataclass
class Portfolio:
    offers: list[ProjectOffer]

    @property
    def available(self) -> int:
        return sum(o.available for o in self.offers)

    @property
    def removal_percent(self) -> float | None:
        """Percent of the available tonnes that are removals; None when nothing is available."""
        total = self.available
        if not total:
            return None
        removals = sum(b.available for o in self.offers for b in o.blocks
                       if kind_of(b.block) == CreditKind.REMOVAL)
        return 100 * removals / total

    def price(self, tonnes: int, project: CreditProject | None = None) -> Decimal | None:
        """What ``tonnes`` would cost, taken as an order takes them (oldest vintage first); None if short."""
        blocks = sorted((b for o in self.offers for b in o.blocks
                         if project is None or o.project.pk == project.pk),
                        key=lambda b: oldest_first(b.block))
        total, wanted = Decimal(0), tonnes
        for offer in blocks:
            cut = min(wanted, offer.available)
            if cut and offer.block.price_per_tonne is not None:
                total += price_of(cut, offer.block.price_per_tonne)
                wanted -= cut
        return total if wanted == 0 else None


def load_portfolio(partner: Organisation | None) -> Portfolio:
    """The partner's offered, priced blocks with credits available, by project (two queries)."""
    if partner is None:
        return Portfolio([])
    available = dict(CreditRange.objects.filter(
        block__project__owner=partner, block__status=CreditBlock.Status.OFFERED,
        status=CreditRange.Status.AVAILABLE).values("block_id").annotate(t=Sum(F("end") - F("start") + 1))
        .values_list("block_id", "t"))
    blocks = (CreditBlock.objects.filter(pk__in=available, price_per_tonne__isnull=False)
              .select_related("project").order_by("project__name", "project_id", "vintage", "pk"))
    offers: dict[int, ProjectOffer] = {}
    for block in blocks:
        offer = offers.setdefault(block.project_id, ProjectOffer(block.project))
        offer.blocks.append(BlockOffer(block, int(available[block.pk])))
    return Portfolio(list(offers.values()))


@dataclass(frozen=True)
class RangeRow:
    """One reserved or retired sub-range of an order, with its own serial number."""

    serial: str
    quantity: int
    status: str
    project: str
    block: CreditBlock
    start: int
    end: int


@dataclass
class OrderRow:
    order: CompensationOrder
    ranges: list[RangeRow]
    certificates: list[Certificate]


def order_rows(orders: list[CompensationOrder]) -> list[OrderRow]:
    """The orders with their serial ranges (formatted like the registry's own serials) and certificates."""
    by_order: dict[int, list[RangeRow]] = defaultdict(list)
    ranges = (CreditRange.objects.filter(order__in=orders).select_related("block__project")
              .order_by("block_id", "start"))
    for row in ranges:
        assert row.order_id is not None
        by_order[row.order_id].append(RangeRow(
            format_serial(serial_block_of(row.block), row.start, row.end), row.quantity, row.status,
            row.block.project.name, row.block, row.start, row.end))
    certificates: dict[int, list[Certificate]] = defaultdict(list)
    for certificate in Certificate.objects.filter(retirement__order__in=orders).select_related("retirement"):
        certificates[certificate.retirement.order_id].append(certificate)
    return [OrderRow(o, by_order[o.pk], certificates[o.pk]) for o in orders]


def orders_of_year(client: Organisation, year: int) -> list[CompensationOrder]:
    return list(CompensationOrder.objects.filter(client=client, reporting_year=year)
                .select_related("project", "created_by")
                .prefetch_related(Prefetch("retirements")).order_by("-created_at", "-pk"))


def compensated_tonnes(orders: list[CompensationOrder]) -> tuple[int, int]:
    """(reserved, retired) tonnes of the orders: what the year's compensation already covers."""
    reserved = sum(o.tonnes for o in orders if o.status == CompensationOrder.Status.RESERVED)
    retired = sum(o.tonnes for o in orders if o.status == CompensationOrder.Status.RETIRED)
    return reserved, retired


@dataclass
class CompensationPage:
    reporting_year: ReportingYear
    account: AccountResult | None
    problem: KlimabokError | None
    coverages: list[Coverage]
    reserved_t: int
    retired_t: int
    portfolio: Portfolio
    orders: list[OrderRow]

    def coverage(self, key: str) -> Coverage | None:
        return next((c for c in self.coverages if c.key == key), None)


def load_compensation_page(reporting_year: ReportingYear, margin_percent: Decimal = Decimal(0)
                           ) -> CompensationPage:
    """Everything the compensate page shows for one year (the account once, the orders once)."""
    client = reporting_year.organisation
    problem: KlimabokError | None = None
    try:
        account: AccountResult | None = load_account(reporting_year)
    except KlimabokError as exc:
        account, problem = None, exc
    orders = orders_of_year(client, reporting_year.year)
    reserved, retired = compensated_tonnes(orders)
    coverages = []
    if account is not None:
        for key, (label, _keys) in COVERAGE_CATEGORIES.items():
            residual = residual_t(account, key)
            coverages.append(Coverage(key, str(label), residual, reserved + retired,
                                      suggested_tonnes(residual, reserved + retired, margin_percent)))
    return CompensationPage(reporting_year, account, problem, coverages, reserved, retired,
                            load_portfolio(client.partner), order_rows(orders))


def retirement_queue(partners: list[Organisation]) -> list[CompensationOrder]:
    """The reserved orders these partners are to retire in the registry, the longest waiting first."""
    reserved = CompensationOrder.objects.filter(partner__in=partners,
                                                status=CompensationOrder.Status.RESERVED)
    return list(reserved.select_related("client", "project").order_by("created_at", "pk")[:500])


def partner_orders(partners: list[Organisation], status: str = "") -> list[OrderRow]:
    """Every order placed with these partners (newest first), optionally of one status."""
    query = CompensationOrder.objects.filter(partner__in=partners)
    if status:
        query = query.filter(Q(status=status))
    orders = list(query.select_related("client", "project").prefetch_related("retirements")
                  .order_by("-created_at", "-pk")[:500])
    return order_rows(orders)
