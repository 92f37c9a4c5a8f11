"""Reserve, release and retire through the services keep every block's invariants, on the database."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimabok.accounts.models import Organisation, User
from klimabok.core.credits.blocks import AlreadyRetired, CreditError, NotEnoughCredits
from klimabok.core.credits.registries import Project
from klimabok.credits import services, verification
from klimabok.credits.models import CompensationOrder, CreditBlock, CreditRange, Retirement

VERRA = "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"  # 425
GS = "GS1-1-KE-GS11603-16-2025-30256-110-5463"  # 5354


@pytest.fixture
def blocks(klimapartner: Organisation, petra: User) -> list[CreditBlock]:
    return [
        services.add_block(
            klimapartner,
            serial,
            quantity,
            Project(registry="", project_id="", name=name),
            user=petra,
            kind="removal",
            price=Decimal(price),
        )
        for serial, quantity, name, price in ((VERRA, 425, "Skog", "180.00"), (GS, 5354, "Ovner", "95.50"))
    ]


def order(client: Organisation, tonnes: int, key: str) -> CompensationOrder:
    assert client.partner is not None
    return CompensationOrder.objects.create(
        client=client, partner=client.partner, reporting_year=2025, tonnes=tonnes, idempotency_key=key
    )


def test_reserve_takes_lowest_serials_and_prices_them(
    blocks: list[CreditBlock], nordlys: Organisation
) -> None:
    first = order(nordlys, 430, "a")
    ranges = services.reserve(first, 430)
    assert [(r.block_id, r.start, r.end) for r in ranges] == [
        (blocks[0].pk, 941467007, 941467431),
        (blocks[1].pk, 110, 114),
    ]
    assert first.price_total == Decimal("425") * Decimal("180.00") + 5 * Decimal("95.50")  # 76 500 + 477.50
    # 425 + 5354 held − 430 reserved = 5349 left
    with pytest.raises(NotEnoughCredits, match=r"^6000 credits requested but only 5349 available$"):
        services.reserve(order(nordlys, 6000, "b"), 6000)


def test_reserving_and_releasing_is_in_the_operators_log(
    blocks: list[CreditBlock], nordlys: Organisation, caplog: pytest.LogCaptureFixture
) -> None:
    placed = order(nordlys, 430, "log")
    with caplog.at_level(logging.INFO, logger="klimabok.credits"):
        services.reserve(placed, 430)
        services.release(placed)
    # 425 forest credits at 180.00 + 5 stove credits at 95.50 = 76 500 + 477.50 NOK, from two blocks
    assert [r.getMessage() for r in caplog.records if r.name == "klimabok.credits.services"] == [
        f"order {placed.pk}: 430 credit(s) reserved in 2 range(s), 76977.50 NOK",
        f"order {placed.pk}: 430 credit(s) released",
    ]


def test_retire_then_release_is_refused(
    blocks: list[CreditBlock], nordlys: Organisation, petra: User
) -> None:
    placed = order(nordlys, 10, "a")
    services.reserve(placed, 10)
    retirement = Retirement.objects.create(
        order=placed,
        retired_on=datetime.date(2026, 1, 15),
        registry_reference="VCS-RET-1",
        beneficiary="Nordlys Kundesenter AS",
    )
    services.retire(placed, retirement, user=petra)
    assert CreditRange.objects.get(order=placed).status == "retired"
    with pytest.raises(AlreadyRetired,
                       match=f"^order {placed.pk} is already retired in .*; retired credits cannot be "):
        services.release(placed)
    with pytest.raises(AlreadyRetired,
                       match=f"^order {placed.pk} is already retired in .*; credits are retired only once$"):
        services.retire(placed, retirement)
    assert verification.verify().ok


class Rollback(Exception):
    pass


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(["reserve", "release", "retire"]), st.integers(1, 6000), st.integers(0, 4)),
        max_size=12,
    )
)
def test_any_sequence_keeps_the_invariants(
    blocks: list[CreditBlock], nordlys: Organisation, steps: list[tuple[str, int, int]]
) -> None:
    total = sum(b.quantity for b in blocks)
    try:
        with transaction.atomic():
            orders: list[CompensationOrder] = []
            for step, (action, tonnes, pick) in enumerate(steps):
                try:
                    if action == "reserve" or not orders:
                        placed = order(nordlys, tonnes, f"k{step}")
                        services.reserve(placed, tonnes)
                        orders.append(placed)
                    elif action == "release":
                        services.release(orders[pick % len(orders)])
                    else:
                        target = orders[pick % len(orders)]
                        services.retire(
                            target,
                            Retirement.objects.create(
                                order=target,
                                retired_on=datetime.date(2026, 1, 1),
                                registry_reference=f"r{step}",
                                beneficiary="Nordlys",
                            ),
                        )
                except CreditError:
                    pass  # refused as a whole (not enough, already retired, nothing reserved)
                rows = list(CreditRange.objects.all())
                assert sum(r.quantity for r in rows) == total
                result = verification.verify()
                assert result.ok, result.problems
            raise Rollback
    except Rollback:
        pass
