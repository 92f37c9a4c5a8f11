"""What the partner's portfolio page shows, loaded in a fixed number of queries (no N+1)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from klimabok.accounts.models import Organisation
from klimabok.core.credits.screening import Check, Policy, screen_portfolio
from klimabok.core.messages import Message
from klimabok.credits.holdings import policy_of, registry_block_of
from klimabok.credits.models import CreditBlock, CreditProject, CreditRange, PortfolioPolicy, ScreeningCheck


@dataclass
class BlockRow:
    block: CreditBlock
    available: int = 0
    reserved: int = 0
    retired: int = 0
    checks: list[tuple[ScreeningCheck, Message]] = field(default_factory=list)

    @property
    def failed(self) -> list[tuple[ScreeningCheck, Message]]:
        return [(c, m) for c, m in self.checks if c.status == ScreeningCheck.Status.FAIL]


@dataclass
class ProjectRow:
    project: CreditProject
    blocks: list[BlockRow]

    @property
    def available(self) -> int:
        return sum(b.available for b in self.blocks if b.block.status == CreditBlock.Status.OFFERED)


@dataclass
class Portfolio:
    partner: Organisation
    projects: list[ProjectRow]
    policy: Policy
    policy_row: PortfolioPolicy | None
    removal_check: Check

    @property
    def totals(self) -> dict[str, int]:
        rows = [b for p in self.projects for b in p.blocks]
        return {"blocks": len(rows),
                "offered": sum(b.block.status == CreditBlock.Status.OFFERED for b in rows),
                "rejected": sum(b.block.status == CreditBlock.Status.REJECTED for b in rows),
                "available": sum(b.available for b in rows if b.block.status == CreditBlock.Status.OFFERED),
                "reserved": sum(b.reserved for b in rows), "retired": sum(b.retired for b in rows)}


def portfolio(partner: Organisation) -> Portfolio:
    """The partner's projects and blocks with quantities per state and screening checks."""
    blocks = CreditBlock.objects.order_by("vintage", "serial_start").prefetch_related(
        Prefetch("checks", queryset=ScreeningCheck.objects.order_by("position")))
    projects = list(CreditProject.objects.filter(owner=partner).prefetch_related(
        Prefetch("blocks", queryset=blocks)))
    amounts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for block_id, status, start, end in CreditRange.objects.filter(block__project__owner=partner).values_list(
            "block_id", "status", "start", "end"):
        amounts[block_id][status] += end - start + 1
    rows = []
    offered = []
    for project in projects:
        block_rows = []
        for block in project.blocks.all():
            block.project = project  # the prefetched parent, so nothing is loaded again
            amount = amounts[block.pk]
            block_rows.append(BlockRow(block, amount["available"], amount["reserved"], amount["retired"], [
                (c, c.text()) for c in block.checks.all()]))
            if block.status == CreditBlock.Status.OFFERED:
                offered.append(registry_block_of(block))
        rows.append(ProjectRow(project, block_rows))
    policy_row = PortfolioPolicy.objects.filter(partner=partner).first()
    policy = policy_of(policy_row)
    return Portfolio(partner, rows, policy, policy_row, screen_portfolio(offered, policy))
