"""Rows ⇄ core types: a stored block as a ``SerialBlock``/``RegistryBlock``, its ranges as a ``Holding``.

The services and ``audit verify`` both read stored credits through these
functions, so the core makes every decision on exactly what is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from klimabok.core.credits.blocks import Holding, Status, SubRange
from klimabok.core.credits.registries import CreditKind, Project, RegistryBlock, Retirement
from klimabok.core.credits.screening import Policy
from klimabok.core.credits.serials import SerialBlock
from klimabok.credits.models import CreditBlock, CreditProject, CreditRange, PortfolioPolicy


def serial_block_of(block: CreditBlock) -> SerialBlock:
    """The stored block as the core's serial block (the stored fields, not a re-parse)."""
    return SerialBlock(
        registry=block.registry, identity=block.identity, start=block.serial_start, end=block.serial_end,
        raw=block.raw_serial, unit_type=block.unit_type, project_id=block.project.registry_project_id,
        country=block.serial_country, batch=block.batch, vintage_start=block.vintage_start,
        vintage_end=block.vintage_end, vintage_year=block.vintage)


def project_of(project: CreditProject) -> Project:
    return Project(registry=project.registry, project_id=project.registry_project_id, name=project.name,
                   country=project.country, methodology=project.methodology,
                   project_type=project.project_type, developer=project.developer, url=project.url)


def registry_block_of(block: CreditBlock) -> RegistryBlock:
    """The stored block as the core screens it; the project's kind, once recorded, wins over the export's."""
    retirement = None
    if block.registry_retirement:
        stored = block.registry_retirement
        retirement = Retirement(
            retired_on=date.fromisoformat(stored["retired_on"]) if stored.get("retired_on") else None,
            beneficiary=stored.get("beneficiary", ""), reason=stored.get("reason", ""),
            details=stored.get("details", ""), status=stored.get("status", "retired"))
    kind = block.project.kind if block.project.kind != CreditKind.UNKNOWN else block.kind
    return RegistryBlock(
        serial=serial_block_of(block), project=project_of(block.project), source="", row=block.source_row,
        product_type=block.product_type, labels=tuple(block.labels), kind=CreditKind(kind),
        issued_on=block.issued_on, article6=block.article6, total_credits=block.total_credits,
        buffer_credits=block.buffer_credits, retirement=retirement)


def holding_of(block: CreditBlock, ranges: Iterable[CreditRange]) -> Holding:
    """The block's holding from its range rows (ordered by start here, whatever order they came in)."""
    return Holding(serial_block_of(block), tuple(
        SubRange(r.start, r.end, Status(r.status),
                 str(r.order_id) if r.order_id is not None else None,
                 str(r.retirement_id) if r.retirement_id is not None else None)
        for r in sorted(ranges, key=lambda r: (r.start, r.end))))


def range_rows(block: CreditBlock, holding: Holding) -> list[CreditRange]:
    """Unsaved rows for every sub-range of ``holding``."""
    return [CreditRange(block=block, start=r.start, end=r.end, status=str(r.status),
                        order_id=int(r.order_id) if r.order_id is not None else None,
                        retirement_id=int(r.retirement_id) if r.retirement_id is not None else None)
            for r in holding.ranges]


def policy_of(stored: PortfolioPolicy | None) -> Policy:
    """The partner's stored policy as the core's ``Policy`` (no row = the default policy)."""
    if stored is None:
        return Policy()
    share = stored.min_removal_share
    return Policy(
        require_ccp=stored.require_ccp, min_vintage_year=stored.min_vintage_year,
        max_vintage_age_years=stored.max_vintage_age_years,
        # the core compares shares as floats (0…1); four decimals are stored, so this is exact enough
        min_removal_share=float(share) if share is not None else None,
        allowed_registries=frozenset(stored.allowed_registries) if stored.allowed_registries else None,
        inactive_methodologies=frozenset(stored.inactive_methodologies or ()),
        ex_post_only=stored.ex_post_only)


def price_of(quantity: int, price_per_tonne: Decimal) -> Decimal:
    """What ``quantity`` tonnes cost at ``price_per_tonne``, rounded to øre (the one rounding helper)."""
    return (price_per_tonne * quantity).quantize(Decimal("0.01"))


def oldest_first(block: CreditBlock) -> tuple[bool, int, int]:
    """The order in which an order takes credits: oldest vintage first (unknown last), then as added."""
    return block.vintage is None, block.vintage or 0, block.pk
