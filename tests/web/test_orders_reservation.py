"""An order touches only the ranges it needs (issue 14): no serial twice, idempotent, exact releases, a chain
that verifies, and a fixed number of statements however many orders the block already served.

The block (``offered_block``): Verra 941467007–941467106, 100 t at 200 NOK. On PostgreSQL the reservation
is the database function ``credits_reserve`` (credits migration 0007); elsewhere the Python path. Both are
compared here with the core's own arithmetic on a whole holding (:mod:`klimabok.core.credits.blocks`).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from decimal import Decimal
from itertools import pairwise

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from klimabok.accounts.models import Organisation, User
from klimabok.audit.hashing import hash_of
from klimabok.audit.models import Event
from klimabok.compensation import services
from klimabok.core.credits.blocks import (
    Holding,
    NotEnoughCredits,
    SubRange,
    check_invariants,
    release,
    reserve,
)
from klimabok.core.credits.serials import EXAMPLES, format_serial, parse_serial
from klimabok.credits import verification
from klimabok.credits.holdings import holding_of, serial_block_of
from klimabok.credits.models import CompensationOrder, CreditBlock, CreditRange
from klimabok.inventory.models import ReportingYear
from tests.web.compensation_setup import FIRST_SERIAL, closed_year, offered_block


@pytest.fixture
def year(nordlys: Organisation, alice: User) -> ReportingYear:
    return closed_year(nordlys, alice)


@pytest.fixture
def block(klimapartner: Organisation, petra: User) -> CreditBlock:
    return offered_block(klimapartner, petra)


def order(client: Organisation, user: User, tonnes: int, key: str) -> CompensationOrder:
    return services.create_order(client, 2025, tonnes, idempotency_key=key, user=user).order


def rows(block: CreditBlock) -> list[tuple[int, int, str, int | None]]:
    return [(r.start - FIRST_SERIAL, r.end - FIRST_SERIAL, r.status, r.order_id)
            for r in CreditRange.objects.filter(block=block).order_by("start")]


def statements(captured: CaptureQueriesContext) -> list[str]:
    """What one call sent, without the savepoints of the test's own transaction."""
    return [q["sql"] for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


#: Statements of one order: PostgreSQL — one call of ``credits_order`` (the order row, the reservation, the
#: event: credits migration 0008); SQLite — the order's INSERT, the blocks, their available rows,
#: the available row shortened, the reserved row, the chain's head, the event, the head moved,
#: the order's price.
STATEMENTS = {"postgresql": 1, "sqlite": 9}


def test_one_order_is_a_fixed_few_statements_however_many_the_block_served(
        year: ReportingYear, block: CreditBlock, nordlys: Organisation, alice: User) -> None:
    counts = []
    for served in (0, 40):
        for n in range(served):
            order(nordlys, alice, 1, f"before-{served}-{n:04d}")
        with CaptureQueriesContext(connection) as captured:
            order(nordlys, alice, 1, f"counted-{served:04d}")
        counts.append(len(statements(captured)))
    assert counts == [STATEMENTS[connection.vendor]] * 2
    # 42 orders of 1 t, each its own reserved row, and the untouched tail: 43 rows, none rewritten
    assert rows(block)[-1] == (42, 99, "available", None)
    assert len(rows(block)) == 43


def test_orders_and_cancellations_cut_exactly_what_the_core_cuts(
        year: ReportingYear, block: CreditBlock, nordlys: Organisation, alice: User) -> None:
    """Random orders and cancellations: the stored ranges are the core's holding, step by step."""
    chance = random.Random(14)
    holding = Holding.of(serial_block_of(block))
    placed: list[CompensationOrder] = []
    for step in range(60):
        cancellable = [o for o in placed if o.status == CompensationOrder.Status.RESERVED]
        if cancellable and chance.random() < 0.35:
            gone = chance.choice(cancellable)
            services.cancel_order(gone, alice)
            gone.status = CompensationOrder.Status.CANCELLED
            holding = release(holding, str(gone.pk))
        else:
            tonnes = chance.randint(1, 9)
            if tonnes > holding.available:
                continue
            new = order(nordlys, alice, tonnes, f"step-{step:04d}")
            placed.append(new)
            holding, _ = reserve(holding, tonnes, str(new.pk))
        stored = holding_of(block, CreditRange.objects.filter(block=block))
        assert stored == holding, f"step {step}"
        assert check_invariants(stored) == []
    assert verification.verify().ok, verification.verify().problems


def test_a_cancellation_releases_exactly_its_range_and_the_next_order_takes_it(
        year: ReportingYear, block: CreditBlock, nordlys: Organisation, alice: User) -> None:
    a, b, c = (order(nordlys, alice, tonnes, f"order-{key}") for tonnes, key in ((5, "a000"), (7, "b000"),
                                                                                 (3, "c000")))
    services.cancel_order(b, alice)
    # b's 7 serials (5–11) are available again between a and c; nothing else moved
    assert rows(block) == [(0, 4, "reserved", a.pk), (5, 11, "available", None), (12, 14, "reserved", c.pk),
                           (15, 99, "available", None)]
    # the lowest serials first: 4 t from b's gap, then 6 t: 3 left in the gap and 3 from the tail
    d = order(nordlys, alice, 4, "order-d000")
    e = order(nordlys, alice, 6, "order-e000")
    assert rows(block) == [(0, 4, "reserved", a.pk), (5, 8, "reserved", d.pk), (9, 11, "reserved", e.pk),
                           (12, 14, "reserved", c.pk), (15, 17, "reserved", e.pk),
                           (18, 99, "available", None)]
    # cancelling c joins nothing (its neighbours are reserved); cancelling e then joins c's gap with both
    # of its own ranges and the tail: 9–99, one row
    services.cancel_order(c, alice)
    services.cancel_order(e, alice)
    assert rows(block) == [(0, 4, "reserved", a.pk), (5, 8, "reserved", d.pk), (9, 99, "available", None)]
    released = Event.objects.filter(kind="released").order_by("pk")
    assert [(ev.payload["order"], ev.payload["quantity"]) for ev in released] == [
        (b.pk, 7), (c.pk, 3), (e.pk, 6)]
    assert verification.verify().ok, verification.verify().problems


def test_a_retry_with_the_same_key_reserves_nothing_more_even_after_cancelling(
        year: ReportingYear, block: CreditBlock, nordlys: Organisation, alice: User) -> None:
    first = order(nordlys, alice, 10, "retry-0001")
    events = Event.objects.count()
    again = services.create_order(nordlys, 2025, 10, idempotency_key="retry-0001", user=alice)
    assert (again.created, again.order.pk, again.order.price_total) == (False, first.pk, Decimal("2000.00"))
    services.cancel_order(first, alice)
    after_cancel = services.create_order(nordlys, 2025, 10, idempotency_key="retry-0001", user=alice)
    assert (after_cancel.created, after_cancel.order.status) == (False, "cancelled")
    assert rows(block) == [(0, 99, "available", None)]
    assert Event.objects.count() == events + 1  # the release; the retries wrote nothing
    assert CompensationOrder.objects.count() == 1


def test_every_order_event_is_chained_and_its_hash_recomputes(
        year: ReportingYear, block: CreditBlock, nordlys: Organisation, alice: User) -> None:
    placed = [order(nordlys, alice, 2, f"chain-{n:04d}") for n in range(5)]
    services.cancel_order(placed[2], alice)
    events = list(Event.objects.order_by("pk"))
    for previous, event in pairwise(events):
        assert event.previous_hash == previous.hash
    for event in events:
        assert hash_of(event) == event.hash, event
    reserved = [e for e in events if e.kind == "reserved"]
    assert [(e.payload["order"], e.payload["ranges"][0]["start"] - FIRST_SERIAL,
             e.payload["ranges"][0]["quantity"]) for e in reserved] == [
        (o.pk, 2 * n, 2) for n, o in enumerate(placed)]
    assert reserved[0].payload["ranges"][0]["serial"] == (
        "19385-941467007-941467008-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1")
    result = verification.verify()
    assert result.ok, result.problems
    assert result.checked[0].startswith(f"hash chain: {len(events)} events")


def test_an_open_year_stores_no_order_even_through_the_one_statement_insert(
        block: CreditBlock, nordlys: Organisation, alice: User) -> None:
    ReportingYear.objects.create(organisation=nordlys, year=2025)  # open
    with pytest.raises(services.YearNotClosed, match="still open"):
        order(nordlys, alice, 1, "open-0001")
    assert not CompensationOrder.objects.exists()
    assert rows(block) == [(0, 99, "available", None)]


@pytest.mark.django_db(transaction=True)
def test_orders_and_cancellations_at_once_never_oversell_on_postgresql(
        nordlys: Organisation, klimapartner: Organisation, alice: User, petra: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency: run with DATABASE_URL=postgres://… (CI does)")
    closed_year(nordlys, alice)
    block = offered_block(klimapartner, petra)  # 100 t
    first = [order(nordlys, alice, 5, f"first-{n:04d}") for n in range(10)]  # 50 t, half to be cancelled
    barrier = threading.Barrier(24)
    outcomes: list[str] = [""] * 24

    def act(index: int) -> None:
        try:
            barrier.wait()
            if index < 5:
                services.cancel_order(first[index], alice)
                outcomes[index] = "cancelled"
            else:
                order(nordlys, alice, 5, f"late-{index:04d}")
                outcomes[index] = "ok"
        except Exception as exc:
            outcomes[index] = type(exc).__name__
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    counts = Counter(outcomes)
    # 5 cancellations free 25 t: 50 + 25 = 75 t for 19 orders of 5 t, so 15 of them fit, whatever the order of
    # events; an order that came before the cancellations it needed is told no
    assert counts["cancelled"] == 5
    assert counts["ok"] + counts["NotEnoughCredits"] == 19 and 10 <= counts["ok"] <= 15
    holding = holding_of(block, CreditRange.objects.filter(block=block))
    assert check_invariants(holding) == []
    live = CompensationOrder.objects.filter(status="reserved").count()
    assert holding.reserved == 5 * live == 5 * (5 + counts["ok"]) <= 100
    assert all(isinstance(r, SubRange) for r in holding.ranges)
    assert verification.verify().ok, verification.verify().problems


# --- the one-statement order on PostgreSQL (credits migration 0008): what the database writes is what Python
# would have written, and its hashes recompute ---------------------------------------------------------------

def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("credits_order is PostgreSQL's: run with DATABASE_URL=postgres://… (CI does)")


@pytest.mark.parametrize("serial", [*EXAMPLES.values(),
                                    "RW-5-0001000-2-2-0-7014 - RW-5-0001099-2-2-0-7014",
                                    "19385-000941467-000941566-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"])
def test_the_database_writes_a_sub_range_serial_as_format_serial_does(serial: str, db: None) -> None:
    postgresql_only()
    block = parse_serial(serial)
    cuts = [(block.start, block.start), (block.start, block.end), (block.end, block.end),
            (block.start + 1, block.end - 1), (block.start + 7, block.start + 1234)]
    with connection.cursor() as cursor:
        for start, end in cuts:
            if not block.start <= start <= end <= block.end:
                continue
            cursor.execute("SELECT credits_serial(%s, %s, %s, %s, %s)",
                           [block.registry, block.raw, block.batch, start, end])
            assert cursor.fetchone() == (format_serial(block, start, end),), (serial, start, end)


def test_one_order_is_one_call_of_credits_order_on_postgresql(
        year: ReportingYear, block: CreditBlock, nordlys: Organisation, alice: User) -> None:
    postgresql_only()
    with CaptureQueriesContext(connection) as captured:
        placed = order(nordlys, alice, 3, "one-call-0001")
    assert [sql.split("(")[0] for sql in statements(captured)] == ["SELECT * FROM credits_order"]
    assert (placed.price_total, placed.status, placed.coverage) == (Decimal("600.00"), "reserved", "")
    stored = CompensationOrder.objects.get(pk=placed.pk)
    assert (stored.price_total, stored.tonnes, stored.reporting_year, stored.partner_id, stored.created_by_id,
            stored.currency, stored.created_at) == (Decimal("600.00"), 3, 2025, block.project.owner_id,
                                                    alice.pk, "NOK", placed.created_at)
    assert rows(block) == [(0, 2, "reserved", placed.pk), (3, 99, "available", None)]


def test_an_order_over_two_blocks_writes_one_chained_event_a_block_whose_hashes_recompute(
        year: ReportingYear, block: CreditBlock, klimapartner: Organisation, petra: User,
        nordlys: Organisation) -> None:
    second = offered_block(klimapartner, petra, "19385-941467200-941467209-VCS-VCU-1507-VER-ET-14-1340-"
                           "01012020-31122020-1", 10, price="250.00")
    # an actor label that JSON must escape: quotes, a backslash, a tab, letters beyond ASCII
    buyer = User.objects.create_user('Åse "Ø" \\ \t@nordlys.example', None)
    events = Event.objects.count()
    placed = services.create_order(nordlys, 2025, 105, idempotency_key="two-blocks-1", user=buyer).order
    assert placed.price_total == Decimal("21250.00")  # 100 × 200 + 5 × 250
    written = list(Event.objects.order_by("pk"))[events:]
    assert [(e.kind, e.subject, e.payload["block"], e.actor_label) for e in written] == [
        ("reserved", f"order:{placed.pk}", block.pk, buyer.email),
        ("reserved", f"order:{placed.pk}", second.pk, buyer.email)]
    assert written[1].payload == {"block": second.pk, "client": "nordlys", "order": placed.pk, "ranges": [
        {"serial": "19385-941467200-941467204-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1",
         "start": 941467200, "end": 941467204, "quantity": 5, "status": "reserved"}]}
    assert written[0].payload["ranges"][0]["quantity"] == 100
    assert written[1].previous_hash == written[0].hash
    for event in written:
        assert hash_of(event) == event.hash, event
    result = verification.verify()
    assert result.ok, result.problems


def test_an_order_over_what_is_left_writes_nothing_on_postgresql(
        year: ReportingYear, block: CreditBlock, nordlys: Organisation, alice: User) -> None:
    postgresql_only()
    order(nordlys, alice, 98, "most-0001")
    events, orders = Event.objects.count(), CompensationOrder.objects.count()
    with pytest.raises(NotEnoughCredits, match="3 t ordered, but only 2 t available"):
        order(nordlys, alice, 3, "too-many-01")
    assert (Event.objects.count(), CompensationOrder.objects.count()) == (events, orders)
    assert rows(block)[-1] == (98, 99, "available", None)
    # the refusal ended nothing: the same transaction goes on and the next order fits
    assert order(nordlys, alice, 2, "the-rest-01").price_total == Decimal("400.00")


# --- an order that queued for its block lets the next one in before its COMMIT's flush (credits 0011), and
# is answered only once on disk ----------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_an_order_that_queued_for_its_block_is_answered_once_durable_and_an_unqueued_one_as_before(
        year: ReportingYear, block: CreditBlock, nordlys: Organisation, alice: User) -> None:
    postgresql_only()
    sent: dict[str, list[str]] = {}

    def place(key: str) -> None:
        try:
            with CaptureQueriesContext(connection) as captured:
                order(nordlys, alice, 1, key)
            with connection.cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                setting = cursor.fetchone()[0]
            sent[key] = [q["sql"].split("(")[0] for q in captured.captured_queries] + [setting]
        finally:
            connections.close_all()

    place("nobody-waits-0001")  # alone: one statement, committed synchronously
    with transaction.atomic():  # another writer holds the block: the next order queues behind it
        CreditBlock.objects.select_for_update().get(pk=block.pk)
        queued = threading.Thread(target=place, args=("queued-000001",))
        queued.start()
        time.sleep(0.3)
    queued.join(timeout=30)
    assert sent == {
        "nobody-waits-0001": ["SELECT * FROM credits_order", "on"],
        # its COMMIT did not wait for the disk; the durable record after it did; the session is as it was
        "queued-000001": ["SELECT * FROM credits_order", "SELECT pg_logical_emit_message", "on"]}
    placed = CompensationOrder.objects.get(idempotency_key="queued-000001")
    assert rows(block)[:3] == [(0, 0, "reserved", CompensationOrder.objects.get(
        idempotency_key="nobody-waits-0001").pk), (1, 1, "reserved", placed.pk), (2, 99, "available", None)]
    assert verification.verify().ok
