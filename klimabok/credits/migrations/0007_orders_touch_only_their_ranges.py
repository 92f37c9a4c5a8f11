"""An order touches only the range rows it needs (issue 14): an index on the available rows and, on
PostgreSQL, ``credits_reserve`` — a reservation in one round trip — and the foreign keys of orders and
ranges checked when written (``INITIALLY IMMEDIATE``) instead of at COMMIT, under the block's lock.

No data changes: the rows of every block already partition it in the normal form the new services keep
(``klimabok audit verify`` re-checks it), so existing holdings, orders and events stay valid and verifiable.

``credits_reserve(order, partner, project, quantity)`` is :func:`klimabok.credits.services.reserve`
on PostgreSQL. Under the lock of every candidate block (``FOR UPDATE``, primary-key order, as every
writer of blocks locks them), it reads their available rows afresh and cuts the lowest serials of the
oldest vintage first — the cut :func:`klimabok.core.credits.blocks.take_lowest` makes, which the
tests compare it with — shortening an available row and inserting the reserved one, or re-labelling
an available row taken whole; no other row is read or written. It sets the order's total price and
returns one row per reserved range with the block's serial facts (for the audit event), or, when
fewer credits are available than asked, one row with only ``available`` (nothing changed).
"""

from __future__ import annotations

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

RESERVE = """
CREATE OR REPLACE FUNCTION credits_reserve(p_order bigint, p_partner bigint, p_project bigint,
                                           p_quantity bigint)
RETURNS TABLE (block_id bigint, range_id bigint, range_start bigint, range_end bigint, price numeric,
               available numeric, registry varchar, identity varchar, serial_start bigint,
               serial_end bigint, raw_serial varchar, unit_type varchar, serial_country varchar,
               batch varchar, vintage integer, vintage_start date, vintage_end date,
               project_id varchar)
LANGUAGE plpgsql AS $$
DECLARE
    locked bigint[];
    held numeric;
    wanted bigint := p_quantity;
    total numeric := 0;
    cut bigint;
    r record;
BEGIN
    SELECT array_agg(s.id) INTO locked FROM (
        SELECT b.id FROM credits_creditblock b JOIN credits_creditproject p ON p.id = b.project_id
         WHERE p.owner_id = p_partner AND (p_project IS NULL OR b.project_id = p_project)
           AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL
           AND EXISTS (SELECT 1 FROM credits_creditrange a WHERE a.block_id = b.id AND a.status = 'available')
         ORDER BY b.id FOR UPDATE OF b) s;
    -- A new statement, a new snapshot: what the locked blocks hold now, re-checked (a block may have been
    -- withdrawn or emptied while this waited for its lock).
    SELECT coalesce(sum(a."end" - a.start + 1), 0) INTO held
      FROM credits_creditrange a JOIN credits_creditblock b ON b.id = a.block_id
     WHERE a.block_id = ANY(locked) AND a.status = 'available'
       AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL;
    IF held < p_quantity THEN
        available := held;
        RETURN NEXT;
        RETURN;
    END IF;
    FOR r IN SELECT a.id AS row_id, a.block_id AS row_block, a.start AS row_start, a."end" AS row_end,
                    b.price_per_tonne, b.registry AS b_registry, b.identity AS b_identity,
                    b.serial_start AS b_start, b.serial_end AS b_end, b.raw_serial AS b_raw,
                    b.unit_type AS b_unit, b.serial_country AS b_country, b.batch AS b_batch,
                    b.vintage AS b_vintage, b.vintage_start AS b_vstart, b.vintage_end AS b_vend,
                    p.registry_project_id AS b_project
               FROM credits_creditrange a JOIN credits_creditblock b ON b.id = a.block_id
               JOIN credits_creditproject p ON p.id = b.project_id
              WHERE a.block_id = ANY(locked) AND a.status = 'available'
                AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL
              ORDER BY b.vintage IS NULL, coalesce(b.vintage, 0), b.id, a.start LOOP
        EXIT WHEN wanted = 0;
        cut := least(wanted, r.row_end - r.row_start + 1);
        IF cut = r.row_end - r.row_start + 1 THEN
            UPDATE credits_creditrange SET status = 'reserved', order_id = p_order WHERE id = r.row_id;
            range_id := r.row_id;
        ELSE
            -- shorten first, then insert: the block's rows never overlap, not even between two statements
            UPDATE credits_creditrange SET start = r.row_start + cut WHERE id = r.row_id;
            INSERT INTO credits_creditrange (block_id, start, "end", status, order_id)
                 VALUES (r.row_block, r.row_start, r.row_start + cut - 1, 'reserved', p_order)
              RETURNING id INTO range_id;
        END IF;
        block_id := r.row_block; range_start := r.row_start; range_end := r.row_start + cut - 1;
        price := r.price_per_tonne; available := held; registry := r.b_registry; identity := r.b_identity;
        serial_start := r.b_start; serial_end := r.b_end; raw_serial := r.b_raw; unit_type := r.b_unit;
        serial_country := r.b_country; batch := r.b_batch; vintage := r.b_vintage;
        vintage_start := r.b_vstart; vintage_end := r.b_vend; project_id := r.b_project;
        total := total + r.price_per_tonne * cut;
        wanted := wanted - cut;
        RETURN NEXT;
    END LOOP;
    UPDATE credits_compensationorder SET price_total = total WHERE id = p_order;
END $$;
"""
DROP = "DROP FUNCTION IF EXISTS credits_reserve(bigint, bigint, bigint, bigint);"


#: Tables whose foreign keys an order writes: checked when the row is written, not at COMMIT.
CHECKED_AT_ONCE = ("credits_compensationorder", "credits_creditrange")


def _foreign_keys(schema_editor: BaseDatabaseSchemaEditor) -> list[tuple[str, str]]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT conrelid::regclass::text, conname FROM pg_constraint "
                       "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
                       [list(CHECKED_AT_ONCE)])
        return list(cursor.fetchall())


def _foreign_keys_checked(schema_editor: BaseDatabaseSchemaEditor, when: str) -> None:
    quote = schema_editor.quote_name
    for table, name in _foreign_keys(schema_editor):
        schema_editor.execute(f"ALTER TABLE {quote(table)} ALTER CONSTRAINT {quote(name)} "
                              f"DEFERRABLE INITIALLY {when}")


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESERVE)
        # Django declares foreign keys DEFERRABLE INITIALLY DEFERRED: an order's checks (its client, partner,
        # user; its ranges' block and order) would all run at COMMIT, while the order holds the block's
        # lock. Checked at once, the order's own run before it takes that lock. Still DEFERRABLE: a
        # transaction that needs it may SET CONSTRAINTS … DEFERRED.
        _foreign_keys_checked(schema_editor, "IMMEDIATE")


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        _foreign_keys_checked(schema_editor, "DEFERRED")
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0006_strict_default_policy'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='creditrange',
            index=models.Index(condition=models.Q(('status', 'available')), fields=['block', 'start'],
                               name='credits_range_available'),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
