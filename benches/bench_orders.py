"""Benchmark: compensation orders per second with N concurrent clients on PostgreSQL (issue 14).

For N = 1, 8 and 32 clients (threads, each its own connection and its own
client organisation), all ordering 1 t at a time from the same offered block —
the hot row every order must lock:

- ``bare SQL transaction`` (baseline): ``BEGIN; SELECT … FROM credits_creditblock
  WHERE id = … FOR UPDATE; UPDATE credits_creditblock SET … WHERE id = …; COMMIT``
  — the same row lock with nothing else, the ceiling for any design that
  serialises on the block;
- ``create_order`` (the headline; goal ≥ :data:`GOAL` × the bare loop):
  :func:`klimabok.compensation.services.create_order` — on PostgreSQL one
  statement outside any transaction, ``credits_order`` (credits migration 0008):
  the order row (closed year, unused key), the block's row lock, the cut of the
  block's available rows (one shortened, one reserved row appended: no other
  range row is read or written), one audit event chained under the head lock. An order that had
  to queue for the block's lock committed without waiting for the disk (credits 0011) and sends a
  second, small statement whose synchronous commit covers it before it answers.

After every measured run: the oversell check (reserved = orders placed × 1 t,
no serial in two ranges, the block's ranges partition it) and the whole
``klimabok audit verify`` (chain and every holding) must pass, or the bench
stops. Each figure is the best of :data:`REPEATS` runs, each on a fresh block;
both rows of a section are measured in the same process, alternately.

"lines" in the table are orders (or bare transactions). Runs in a throwaway
database ``klimabok_bench`` (created, migrated, dropped at the end); never the
development database. Skipped, with the reason printed, when PostgreSQL at
127.0.0.1:5432 is unreachable.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from bench_engine import Measurement, Section

if TYPE_CHECKING:  # imported where used, after Django is set up
    from klimabok.accounts.models import Organisation, User

HOST, PORT = "127.0.0.1", 5432
BENCH_DB = "klimabok_bench"
CLIENTS = (1, 8, 32)
ORDERS_PER_RUN = 640  #: orders per measurement, split over the clients
BARE_PER_RUN = 1920  #: bare transactions per measurement
REPEATS = 3  #: runs of each row per client count; the best is reported
HEADLINE = "create_order"
GOAL = 0.5  #: issue 14: at least half the bare loop's rate at 1, 8 and 32 clients


def _admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(host=HOST, port=PORT, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(statement)


def _unreachable() -> str | None:
    try:
        socket.create_connection((HOST, PORT), timeout=3).close()
    except OSError as exc:
        return f"PostgreSQL at {HOST}:{PORT} is unreachable ({exc})"
    return None


def _setup_django() -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@{HOST}:{PORT}/{BENCH_DB}"
    os.environ.setdefault("KLIMABOK_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klimabok.settings")
    import django
    from django.conf import settings

    if settings.configured and settings.DATABASES["default"]["NAME"] != BENCH_DB:
        raise RuntimeError("Django is already set up with another database; run the bench in its own process")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fresh_block(partner: Organisation, user: User, number: int) -> int:
    """A new offered 1 000 000 t block; the ones before it are withdrawn, so each run starts alike."""
    from decimal import Decimal

    from klimabok.core.credits.registries import Project
    from klimabok.credits import services as credits
    from klimabok.credits.models import CreditBlock

    CreditBlock.objects.filter(project__owner=partner).update(status=CreditBlock.Status.REJECTED)
    first = 1 + number * 1_000_000
    block = credits.add_block(
        partner, f"19385-{first}-{first + 999_999}-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1",
        1_000_000, Project(registry="", project_id="", name="Bench forest"), user=user,
        kind="removal", price=Decimal("200.00"))
    return block.pk


def _fixture(clients: int) -> tuple[Organisation, list[Organisation], User]:
    """A partner and ``clients`` clients with a closed 2025 account."""
    from klimabok.accounts.models import Membership, Organisation, User
    from klimabok.accounts.roles import Role
    from klimabok.credits.models import PortfolioPolicy
    from klimabok.inventory.models import ReportingYear

    partner = Organisation.objects.create(slug="bench-partner", name="Bench Partner", kind="partner")
    # The bench's 2020 Verra block has no CCP label: a policy that offers it (the strict default would not).
    PortfolioPolicy.objects.create(partner=partner, require_ccp=False, max_vintage_age_years=None)
    user = User.objects.create_user("bench@partner.example", None)
    Membership.objects.create(user=user, organisation=partner, role=Role.PARTNER)
    organisations = []
    for index in range(clients):
        client = Organisation.objects.create(slug=f"bench-client-{index}", name=f"Client {index}",
                                             partner=partner)
        ReportingYear.objects.create(organisation=client, year=2025, status=ReportingYear.Status.CLOSED)
        organisations.append(client)
    return partner, organisations, user


def _in_threads(clients: int, prepare: Callable[[int], Callable[[], None]]) -> float:
    """Run ``prepare(index)`` in ``clients`` threads (untimed: connecting), then the jobs it returned
    started together; the jobs' wall seconds."""
    from django.db import connections

    barrier = threading.Barrier(clients + 1)
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        job = None
        try:
            job = prepare(index)
        except BaseException as exc:
            errors.append(exc)
        try:
            barrier.wait()
            if job is not None:
                job()
        except BaseException as exc:  # a failed run must not print a rate
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    if errors:
        raise errors[0]
    return seconds


def _bare(clients: int, block_id: int) -> Measurement:
    import psycopg

    each = BARE_PER_RUN // clients

    def prepare(_index: int) -> Callable[[], None]:
        conn = psycopg.connect(host=HOST, port=PORT, user="postgres", dbname=BENCH_DB)

        def job() -> None:
            with conn:
                for _ in range(each):
                    with conn.transaction():
                        conn.execute("SELECT id FROM credits_creditblock WHERE id = %s FOR UPDATE",
                                     (block_id,))
                        conn.execute("UPDATE credits_creditblock SET currency = currency WHERE id = %s",
                                     (block_id,))
        return job

    seconds = _in_threads(clients, prepare)
    return Measurement(f"bare SQL transaction (lock + update), {clients} clients", each * clients, seconds,
                       0.0)


def _orders(clients: int, organisations: list[Organisation], user: User, run: int) -> Measurement:
    """``ORDERS_PER_RUN`` orders of 1 t (timed), after one untimed order per client (its connection)."""
    from klimabok.compensation.services import create_order

    each = ORDERS_PER_RUN // clients

    def prepare(index: int) -> Callable[[], None]:
        client = organisations[index]
        create_order(client, 2025, 1, idempotency_key=f"bench-{run}-{index}-warm", user=user)

        def job() -> None:
            for n in range(each):
                placed = create_order(client, 2025, 1, idempotency_key=f"bench-{run}-{index}-{n:06d}",
                                      user=user)
                assert placed.created
        return job

    seconds = _in_threads(clients, prepare)
    return Measurement(f"create_order (service), {clients} clients", each * clients, seconds, 0.0)


def _check(block_id: int, orders: int) -> str:
    """The oversell check and the whole verification after a run; raises when either fails."""
    from klimabok.core.credits.blocks import check_invariants
    from klimabok.credits import verification
    from klimabok.credits.holdings import holding_of
    from klimabok.credits.models import CreditBlock, CreditRange

    block = CreditBlock.objects.select_related("project").get(pk=block_id)
    rows = list(CreditRange.objects.filter(block=block))
    reserved = sum(r.quantity for r in rows if r.status == CreditRange.Status.RESERVED)
    problems = [str(p) for p in check_invariants(holding_of(block, rows))]
    if reserved != orders:
        problems.append(f"{reserved} t reserved for {orders} orders of 1 t")
    verified = verification.verify()
    problems += verified.problems
    if problems:
        raise AssertionError(f"after {orders} orders on block {block_id}: {problems[:3]}")
    return f"{len(rows)} range rows, {reserved} t reserved, none oversold; audit verify ok"


def run() -> list[Section]:
    reason = _unreachable()
    if reason:
        print(f"\nbench_orders: skipped — {reason}")
        return []
    _admin_sql(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    _admin_sql(f"CREATE DATABASE {BENCH_DB}")
    try:
        _setup_django()
        from django.db import connections

        partner, organisations, user = _fixture(max(CLIENTS))
        sections = []
        fresh = 0
        for clients in CLIENTS:
            bare: list[Measurement] = []
            orders: list[Measurement] = []
            checked = ""
            for _ in range(REPEATS):
                block_id = _fresh_block(partner, user, fresh)
                bare.append(_bare(clients, block_id))
                orders.append(_orders(clients, organisations, user, fresh))
                fresh += 1
                checked = _check(block_id, orders[-1].lines + clients)  # and one untimed order a client
                rates = f"{orders[-1].lines_per_second:,.0f} orders/s, bare {bare[-1].lines_per_second:,.0f}"
                print(f"bench_orders: {clients} client(s), run {len(orders)}: {rates}; {checked}")
            sections.append(Section(
                f"orders per second, {clients} concurrent client(s), one hot block, best of {REPEATS} "
                f"(after each run: {checked})",
                [max(bare, key=lambda m: m.lines_per_second), max(orders, key=lambda m: m.lines_per_second)]))
        connections.close_all()
        return sections
    finally:
        _admin_sql(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


if __name__ == "__main__":
    for section in run():
        print(section.title)
        for row in section.rows:
            print(f"  {row.path:<55}{row.lines:>7}{row.seconds:>9.3f} s{row.lines_per_second:>10,.0f}/s")
