"""Benchmark: compensation orders per second with N concurrent clients on PostgreSQL.

For N = 1, 4 and 16 clients (threads, each its own connection and its own
client organisation), all ordering 1 t at a time from the same offered block —
the hot row every order must lock:

- ``bare SQL transaction`` (baseline): ``BEGIN; SELECT … FROM credits_creditblock
  WHERE id = … FOR UPDATE; UPDATE credits_creditblock SET … WHERE id = …; COMMIT``
  — the same row lock with nothing else, the ceiling for any design that
  serialises on the block;
- ``create_order``: :func:`klimabok.compensation.services.create_order` — the
  order row, the block's row lock, the core's reserve, the block's range rows
  rewritten, the invariants, two audit events (hash chain, head row lock).

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
CLIENTS = (1, 4, 16)
ORDERS_PER_RUN = 160  #: orders per measurement, split over the clients
BARE_PER_RUN = 2000  #: bare transactions per measurement


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
    from klimabok.inventory.models import ReportingYear

    partner = Organisation.objects.create(slug="bench-partner", name="Bench Partner", kind="partner")
    user = User.objects.create_user("bench@partner.example", None)
    Membership.objects.create(user=user, organisation=partner, role=Role.PARTNER)
    organisations = []
    for index in range(clients):
        client = Organisation.objects.create(slug=f"bench-client-{index}", name=f"Client {index}",
                                             partner=partner)
        ReportingYear.objects.create(organisation=client, year=2025, status=ReportingYear.Status.CLOSED)
        organisations.append(client)
    return partner, organisations, user


def _in_threads(clients: int, work: Callable[[int], None]) -> float:
    """Run ``work(index)`` in ``clients`` threads started together; wall seconds."""
    from django.db import connections

    barrier = threading.Barrier(clients + 1)
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            barrier.wait()
            work(index)
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

    def work(_index: int) -> None:
        with psycopg.connect(host=HOST, port=PORT, user="postgres", dbname=BENCH_DB) as conn:
            for _ in range(each):
                with conn.transaction():
                    conn.execute("SELECT id FROM credits_creditblock WHERE id = %s FOR UPDATE", (block_id,))
                    conn.execute("UPDATE credits_creditblock SET currency = currency WHERE id = %s",
                                 (block_id,))

    seconds = _in_threads(clients, work)
    return Measurement(f"bare SQL transaction (lock + update), {clients} clients", each * clients, seconds,
                       0.0)


def _orders(clients: int, organisations: list[Organisation], user: User, run: int) -> Measurement:
    from klimabok.compensation.services import create_order

    each = ORDERS_PER_RUN // clients

    def work(index: int) -> None:
        client = organisations[index]
        for n in range(each):
            placed = create_order(client, 2025, 1, idempotency_key=f"bench-{run}-{index}-{n:06d}",
                                  user=user)
            assert placed.created

    seconds = _in_threads(clients, work)
    return Measurement(f"create_order (service), {clients} clients", each * clients, seconds, 0.0)


def _ranges_of(block_id: int) -> int:
    from klimabok.credits.models import CreditRange

    return CreditRange.objects.filter(block_id=block_id).count()


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
        for run_number, clients in enumerate(CLIENTS):
            block_id = _fresh_block(partner, user, run_number)
            bare = _bare(clients, block_id)
            orders = _orders(clients, organisations, user, run_number)
            sections.append(Section(
                f"orders per second, {clients} concurrent client(s), one hot block (a fresh block: "
                f"{_ranges_of(block_id)} range rows in it after the run)", [bare, orders]))
        from klimabok.credits import verification

        verified = verification.verify()
        print(f"\nbench_orders: audit verify after {len(CLIENTS) * ORDERS_PER_RUN} orders: "
              f"{'ok' if verified.ok else verified.problems[:3]}")
        connections.close_all()
        return sections
    finally:
        _admin_sql(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


if __name__ == "__main__":
    for section in run():
        print(section.title)
        for row in section.rows:
            print(f"  {row.path:<55}{row.lines:>7}{row.seconds:>9.3f} s{row.lines_per_second:>10,.0f}/s")
