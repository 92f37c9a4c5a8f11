"""``credits_order`` finds its candidate blocks once, before any lock, and locks them by key (issue 14).

It searched the partner's offered blocks twice: for the price written with the order row, then again to lock
them. Each search goes through ``credits_creditblock``'s ``project`` index, whose entries include every
version of every block of the project still on disk: a block row updated often (its price, its status, or
a benchmark's bare lock-and-update loop) leaves versions that each search visited until VACUUM. Now one
search returns the candidates (in primary-key order, for the lock) and the price of the first in the
order of taking; the lock query reads those blocks by primary key and re-checks that they are still offered
and priced (a block withdrawn while this waited is skipped, as before: ``FOR UPDATE`` re-evaluates the
conditions on the row's latest version). As before, a block that became available after the search is not
taken by this order.

Reversible: backwards restores credits 0011's function.
"""

from __future__ import annotations

import re
from importlib import import_module

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

BEFORE = import_module("klimabok.credits.migrations.0011_order_lock_released_before_flush").ORDER

ESTIMATE = """    SELECT round(b.price_per_tonne * p_tonnes, 2) INTO estimate
      FROM credits_creditblock b JOIN credits_creditproject p ON p.id = b.project_id
     WHERE p.owner_id = p_partner AND (p_project IS NULL OR b.project_id = p_project)
       AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL
       AND EXISTS (SELECT 1 FROM credits_creditrange a WHERE a.block_id = b.id AND a.status = 'available')
     ORDER BY b.vintage IS NULL, coalesce(b.vintage, 0), b.id
     LIMIT 1;
"""
CANDIDATES = """    SELECT array_agg(b.id ORDER BY b.id),
           (array_agg(round(b.price_per_tonne * p_tonnes, 2)
                      ORDER BY b.vintage IS NULL, coalesce(b.vintage, 0), b.id))[1]
      INTO candidates, estimate
      FROM credits_creditblock b JOIN credits_creditproject p ON p.id = b.project_id
     WHERE p.owner_id = p_partner AND (p_project IS NULL OR b.project_id = p_project)
       AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL
       AND EXISTS (SELECT 1 FROM credits_creditrange a WHERE a.block_id = b.id AND a.status = 'available');
"""
SEARCH_TO_LOCK = re.compile(
    r"SELECT b\.id FROM credits_creditblock b JOIN credits_creditproject p ON p\.id = b\.project_id\s+"
    r"WHERE p\.owner_id = p_partner AND \(p_project IS NULL OR b\.project_id = p_project\)\s+"
    r"AND b\.status = 'offered' AND b\.price_per_tonne IS NOT NULL\s+"
    r"AND EXISTS \(SELECT 1 FROM credits_creditrange a "
    r"WHERE a\.block_id = b\.id AND a\.status = 'available'\)"
    r"(\s+)ORDER BY b\.id FOR UPDATE OF b")
BY_KEY = (r"SELECT b.id FROM credits_creditblock b WHERE b.id = ANY(candidates)\1"
          r"  AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL\1ORDER BY b.id FOR UPDATE OF b")

assert BEFORE.count(ESTIMATE) == 1 and BEFORE.count("    locked bigint[];\n") == 1, "credits 0011 changed"
ORDER, locks = SEARCH_TO_LOCK.subn(BY_KEY, BEFORE.replace(ESTIMATE, CANDIDATES).replace(
    "    locked bigint[];\n", "    locked bigint[];\n    candidates bigint[];\n"))
assert locks == 2, "credits 0011's lock queries changed"
ORDER = ORDER.replace("(credits 0008).\n", "(credits 0008). The candidate blocks\n"
                      "    -- too, locked below by key.\n", 1)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ORDER, None)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BEFORE, None)


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0011_order_lock_released_before_flush'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
