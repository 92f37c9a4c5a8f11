"""An order no longer holds its block's lock while its COMMIT waits for the disk (issue 14).

Profiled at 32 clients (pgbench, synchronous commit), an order's turn on the hot block took ~4.5 ms of which
the function itself ran ~0.3–0.9 ms: the rest was its COMMIT waiting for the WAL flush (fdatasync) with the
block's lock held, since row locks are released only after the flush. A bare lock-and-update transaction
waits for the same flush but writes ~0.2 kB of WAL to the order's ~3.4 kB.

``credits_order(…, p_flush_later)``: when true (the call is its own transaction, see
:func:`klimabok.credits.services.order_in_one_call`) and the order has to queue for its block's lock (taken
``NOWAIT`` first, it was held: others queue too), the function sets ``synchronous_commit`` off for its own
transaction only and returns ``flush_pending``: the COMMIT writes its record and releases the
block's lock without waiting for the flush. The caller then commits one small transactional WAL record
synchronously (``pg_logical_emit_message``), whose flush covers every WAL record before it — the order's
commit included — and only then tells the client the order is placed. An order that did not queue commits
synchronously as before (one round trip: at one client the second statement would cost ~15–25 %).

WAL is flushed in order, so a crash before that flush loses this order and every later one that saw it,
together: never an answered order, never half of a cut; the database after recovery is a prefix of the
commits, as always. What changes is only that another session may see the order a few milliseconds before
it is durable (PostgreSQL's asynchronous commit; the serials it took are offered to no one else either way).

The default (false) is the previous behaviour: inside a caller's transaction the function changes
nothing about its commit. Reversible: backwards restores credits 0010's function.
"""

from __future__ import annotations

from importlib import import_module
from textwrap import indent

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

BEFORE = import_module("klimabok.credits.migrations.0010_order_function_lean_under_lock").ORDER

#: Credits 0010's statement that locks the candidate blocks, waiting for them.
LOCK = """    SELECT array_agg(s.id) INTO locked FROM (
        SELECT b.id FROM credits_creditblock b JOIN credits_creditproject p ON p.id = b.project_id
         WHERE p.owner_id = p_partner AND (p_project IS NULL OR b.project_id = p_project)
           AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL
           AND EXISTS (SELECT 1 FROM credits_creditrange a WHERE a.block_id = b.id AND a.status = 'available')
         ORDER BY b.id FOR UPDATE OF b) s;
"""
#: First without waiting (its own transaction only): a block held by another order means others queue too.
#: Then this COMMIT lets the next order in before its flush, and the caller waits for the flush (this
#: transaction's setting only). Taken at once, the COMMIT stays synchronous: one round trip, as before.
LOCK_OR_QUEUE = f"""    IF p_flush_later THEN
        BEGIN
{indent(LOCK.replace("FOR UPDATE OF b) s;", "FOR UPDATE OF b NOWAIT) s;"), " " * 8)}\
        EXCEPTION WHEN lock_not_available THEN
            flush_pending := true;
            PERFORM set_config('synchronous_commit', 'off', true);
        END;
    END IF;
    IF locked IS NULL THEN
{indent(LOCK, " " * 4)}\
    END IF;
"""

#: Credits 0010's function, changed where these texts are (each found once).
CHANGES = [
    ("p_client_slug varchar)",
     "p_client_slug varchar,\n" + " " * 41 + "p_flush_later boolean DEFAULT false)"),
    ("RETURNS TABLE (order_id bigint, price_total numeric)",
     "RETURNS TABLE (order_id bigint, price_total numeric, flush_pending boolean)"),
    ("BEGIN\n    -- Before any lock:", "BEGIN\n    flush_pending := false;\n    -- Before any lock:"),
    (LOCK, LOCK_OR_QUEUE),
]
ORDER = BEFORE
for before, after in CHANGES:
    assert ORDER.count(before) == 1, f"credits 0010's credits_order changed: {before!r}"
    ORDER = ORDER.replace(before, after)

OLD = ("credits_order(bigint, bigint, integer, bigint, bigint, varchar, varchar, bigint, varchar, "
       "timestamptz, text, varchar)")
NEW = OLD.replace("varchar)", "varchar, boolean)")


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION {OLD}")
        schema_editor.execute(ORDER, None)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION {NEW}")
        schema_editor.execute(BEFORE, None)


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0010_order_function_lean_under_lock'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
