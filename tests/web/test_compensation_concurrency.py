"""Concurrent orders against one holding: exactly as many succeed as the credits allow, nothing oversold.

Each thread is its own database connection (Django's connections are per
thread) and places its order through the service at the same moment (a
barrier). On PostgreSQL the blocks' row locks serialise the reservations; on
SQLite the IMMEDIATE transactions do (one writer at a time, the others wait up
to the 20 s timeout) — tested on a database file in a child process (below).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection, connections

from klimabok.accounts.models import Organisation, User
from klimabok.compensation import services
from klimabok.core.credits.blocks import NotEnoughCredits, check_invariants
from klimabok.credits import verification
from klimabok.credits.holdings import holding_of
from klimabok.credits.models import CompensationOrder, CreditBlock, CreditRange
from tests.web.compensation_setup import closed_year, offered_block

TONNES_EACH = 7


def order_at_once(client: Organisation, user: User, threads: int) -> list[str]:
    """Start ``threads`` orders of 7 t together; the outcome of each ("ok" or the refusal's text)."""
    barrier = threading.Barrier(threads)
    outcomes: list[str] = [""] * threads

    def place(index: int) -> None:
        try:
            barrier.wait()
            services.create_order(client, 2025, TONNES_EACH, idempotency_key=f"concurrent-{index:04d}",
                                  user=user)
            outcomes[index] = "ok"
        except NotEnoughCredits as exc:
            outcomes[index] = str(exc)
        except Exception as exc:  # reported by the assertion on the outcomes, with its type
            outcomes[index] = f"{type(exc).__name__}: {exc}"
        finally:
            connections.close_all()  # this thread's connection

    workers = [threading.Thread(target=place, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return outcomes


def assert_nothing_oversold(block: CreditBlock, successes: int) -> None:
    reserved = sum(r.quantity for r in CreditRange.objects.filter(block=block, status="reserved"))
    assert reserved == successes * TONNES_EACH <= block.quantity
    assert CompensationOrder.objects.count() == successes
    assert check_invariants(holding_of(block, CreditRange.objects.filter(block=block))) == []
    assert verification.verify().ok, verification.verify().problems


def run(nordlys: Organisation, klimapartner: Organisation, alice: User, petra: User, threads: int,
        expected: Callable[[int], tuple[int, int]]) -> None:
    closed_year(nordlys, alice)
    block = offered_block(klimapartner, petra)  # 100 t
    outcomes = order_at_once(nordlys, alice, threads)
    counts = Counter("ok" if o == "ok" else "refused" if "only" in o else o for o in outcomes)
    successes, refused = expected(block.quantity)
    assert counts == Counter({"ok": successes, "refused": refused})
    refusals = {o for o in outcomes if o != "ok"}
    assert refusals <= {f"not enough credits: 7 t ordered, but only {left} t available" for left in range(7)}
    assert_nothing_oversold(block, successes)


@pytest.mark.django_db(transaction=True)
def test_32_orders_at_once_on_postgresql(nordlys: Organisation, klimapartner: Organisation, alice: User,
                                         petra: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency: run with DATABASE_URL=postgres://… (CI does)")
    # 100 t serve ⌊100 / 7⌋ = 14 orders (98 t); the other 32 − 14 = 18 are told only 2 t are left
    run(nordlys, klimapartner, alice, petra, 32, lambda quantity: (quantity // TONNES_EACH, 32 - 14))
    assert CreditRange.objects.filter(status="available").get().quantity == 2


#: The SQLite variant runs in a child process on a database file: pytest-django's in-memory SQLite test
#: database uses a shared cache, where a second writer gets "database table is locked" at once instead
#: of waiting for the lock as IMMEDIATE transactions on a file (how klimabok runs SQLite) do.
SQLITE_SCENARIO = """
import os, sys
from collections import Counter
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from klimabok.accounts.models import Membership, Organisation, User
from klimabok.credits import verification
from tests.web.compensation_setup import closed_year, offered_block
from tests.web.test_compensation_concurrency import order_at_once
partner = Organisation.objects.create(slug="klimapartner", name="Klimapartner AS", kind="partner")
from klimabok.credits.models import PortfolioPolicy
PortfolioPolicy.objects.create(partner=partner, require_ccp=False, max_vintage_age_years=None)
client = Organisation.objects.create(slug="nordlys", name="Nordlys Kundesenter AS", partner=partner)
alice = User.objects.create_user("alice@nordlys.example", "Fjellgrense-2024")
Membership.objects.create(user=alice, organisation=client, role="admin")
closed_year(client, alice)
block = offered_block(partner, None)
outcomes = Counter("ok" if o == "ok" else o for o in order_at_once(client, alice, int(sys.argv[1])))
reserved = sum(r.quantity for r in block.ranges.filter(status="reserved"))
print(sorted(outcomes.items()), reserved, verification.verify().ok)
"""


def test_16_orders_at_once_on_a_sqlite_file(tmp_path: Path) -> None:
    env = {**os.environ, "KLIMABOK_DEBUG": "true", "KLIMABOK_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "klimabok.settings", "PYTHONPATH": str(Path(__file__).parents[2])}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", SQLITE_SCENARIO, "16"], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    # 16 × 7 t = 112 t against 100 t: 14 served (98 t), 2 told that 2 t are left
    assert done.stdout.strip().splitlines()[-1] == (
        "[('not enough credits: 7 t ordered, but only 2 t available', 2), ('ok', 14)] 98 True")
