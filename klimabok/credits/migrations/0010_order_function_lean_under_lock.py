"""``credits_order`` does less while it holds the block's lock (issue 14); what it writes is unchanged.

Profiled with a copy timing its steps (pgbench, synchronous_commit off, one client), on the indexes of
credits 0009:

- the loop's query (the block's available rows) was planned afresh on every call: PL/pgSQL's plan cache
  kept choosing a custom plan for ``block_id = ANY(locked)``, ~0.1–0.2 ms under the lock. The function now
  runs with ``plan_cache_mode = force_generic_plan``: its statements are planned once a connection;
- the shortened available row was found again by its primary key (``WHERE id = …``), which walks one index
  entry per earlier version of that row — one more with every order on the block until VACUUM. The loop
  already holds the row's current version (read under the lock, in a new snapshot): it is updated by
  ``ctid``, and the function raises if that version is gone (it cannot be while the lock is held, but a
  silent miss would reserve credits without shortening the available row).

Reversible: backwards restores credits 0008's function.
"""

from __future__ import annotations

from importlib import import_module

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

ORDER = r"""
CREATE OR REPLACE FUNCTION credits_order(p_client bigint, p_partner bigint, p_year integer, p_tonnes bigint,
                                         p_project bigint, p_coverage varchar, p_key varchar, p_user bigint,
                                         p_actor varchar, p_now timestamptz, p_created text,
                                         p_client_slug varchar)
RETURNS TABLE (order_id bigint, price_total numeric)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    new_order bigint;
    estimate numeric;
    locked bigint[];
    total numeric := 0;
    wanted bigint := p_tonnes;
    seen bigint := 0;
    cut bigint;
    current_block bigint;
    ranges text := '';
    r record;
BEGIN
    -- Before any lock: the price when the first block in the order of taking serves the whole order (the
    -- usual case), so the order row is written once (credits 0008).
    SELECT round(b.price_per_tonne * p_tonnes, 2) INTO estimate
      FROM credits_creditblock b JOIN credits_creditproject p ON p.id = b.project_id
     WHERE p.owner_id = p_partner AND (p_project IS NULL OR b.project_id = p_project)
       AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL
       AND EXISTS (SELECT 1 FROM credits_creditrange a WHERE a.block_id = b.id AND a.status = 'available')
     ORDER BY b.vintage IS NULL, coalesce(b.vintage, 0), b.id
     LIMIT 1;
    INSERT INTO credits_compensationorder (client_id, partner_id, reporting_year, tonnes, project_id,
                                           coverage, status, idempotency_key, price_total, currency,
                                           created_by_id, created_at, updated_at, cancelled_at)
    SELECT p_client, p_partner, p_year, p_tonnes, p_project, p_coverage, 'reserved', p_key,
           coalesce(estimate, 0), 'NOK', p_user, p_now, p_now, NULL
     WHERE EXISTS (SELECT 1 FROM inventory_reportingyear y
                    WHERE y.organisation_id = p_client AND y.year = p_year AND y.status = 'closed')
    ON CONFLICT DO NOTHING
    RETURNING id INTO new_order;
    IF new_order IS NULL THEN
        RETURN;
    END IF;
    SELECT array_agg(s.id) INTO locked FROM (
        SELECT b.id FROM credits_creditblock b JOIN credits_creditproject p ON p.id = b.project_id
         WHERE p.owner_id = p_partner AND (p_project IS NULL OR b.project_id = p_project)
           AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL
           AND EXISTS (SELECT 1 FROM credits_creditrange a WHERE a.block_id = b.id AND a.status = 'available')
         ORDER BY b.id FOR UPDATE OF b) s;
    -- Under the locks, in a new snapshot: the available rows' current versions (their ctid) and serial facts.
    FOR r IN SELECT a.ctid AS row_ctid, a.block_id AS row_block, a.start AS row_start, a."end" AS row_end,
                    b.price_per_tonne, b.registry AS b_registry, b.raw_serial AS b_raw, b.batch AS b_batch
               FROM credits_creditrange a JOIN credits_creditblock b ON b.id = a.block_id
              WHERE a.block_id = ANY(locked) AND a.status = 'available'
                AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL
              ORDER BY b.vintage IS NULL, coalesce(b.vintage, 0), b.id, a.start LOOP
        seen := seen + (r.row_end - r.row_start + 1);
        cut := least(wanted, r.row_end - r.row_start + 1);
        IF cut = r.row_end - r.row_start + 1 THEN
            UPDATE credits_creditrange SET status = 'reserved', order_id = new_order WHERE ctid = r.row_ctid;
        ELSE
            -- shorten first, then insert: the block's rows never overlap, not even between two statements
            UPDATE credits_creditrange SET start = r.row_start + cut WHERE ctid = r.row_ctid;
        END IF;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'credits_order: available range % to % of block % changed under the lock',
                r.row_start, r.row_end, r.row_block;
        END IF;
        IF cut < r.row_end - r.row_start + 1 THEN
            INSERT INTO credits_creditrange (block_id, start, "end", status, order_id)
                 VALUES (r.row_block, r.row_start, r.row_start + cut - 1, 'reserved', new_order);
        END IF;
        -- one event a block: the rows come oldest vintage first, a block's rows together
        IF current_block IS NOT NULL AND r.row_block <> current_block THEN
            PERFORM credits_reserved_event(current_block, new_order, p_partner, p_user, p_actor, p_now,
                                           p_created, p_client_slug, ranges);
            ranges := '';
        END IF;
        current_block := r.row_block;
        ranges := ranges || CASE WHEN ranges = '' THEN '' ELSE ',' END
                  || '{"end":' || (r.row_start + cut - 1) || ',"quantity":' || cut
                  || ',"serial":' || to_json(credits_serial(r.b_registry, r.b_raw, r.b_batch, r.row_start,
                                                            r.row_start + cut - 1))::text
                  || ',"start":' || r.row_start || ',"status":"reserved"}';
        total := total + round(r.price_per_tonne * cut, 2);
        wanted := wanted - cut;
        EXIT WHEN wanted = 0;
    END LOOP;
    IF wanted > 0 THEN  -- every available row was seen: undo it all (the order row too) and say how many
        RAISE EXCEPTION 'credits_order: not enough credits' USING ERRCODE = 'P0001', DETAIL = seen;
    END IF;
    PERFORM credits_reserved_event(current_block, new_order, p_partner, p_user, p_actor, p_now, p_created,
                                   p_client_slug, ranges);
    IF total IS DISTINCT FROM estimate THEN  -- the order took from more than one block
        UPDATE credits_compensationorder c SET price_total = total WHERE c.id = new_order;
    END IF;
    order_id := new_order;
    price_total := total;
    RETURN NEXT;
END $$;
"""


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ORDER, None)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # CREATE OR REPLACE keeps a function's SET clauses: drop it, then 0008 creates it as it was
        schema_editor.execute("DROP FUNCTION credits_order(bigint, bigint, integer, bigint, bigint, varchar, "
                              "varchar, bigint, varchar, timestamptz, text, varchar)")
        schema_editor.execute(import_module("klimabok.credits.migrations.0008_order_in_one_call").FUNCTIONS)


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0009_lean_hot_block'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
