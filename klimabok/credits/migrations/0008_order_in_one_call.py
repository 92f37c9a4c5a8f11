"""An order on PostgreSQL is one statement (issue 14): ``credits_order`` inserts the order row, reserves
(as ``credits_reserve``, migration 0007, does) and appends one ``reserved`` event a block, chained under the
head's lock.

Called outside a transaction it is its own transaction: the block's lock and the chain head's are held while
the server runs it and commits, never across a round trip to the client. No data changes.

The event is the one :func:`klimabok.audit.services.record_event` writes for a reservation
(:func:`klimabok.credits.services._reserve_in_database`): its payload ``{"block", "client", "order",
"ranges": [{"end", "quantity", "serial", "start", "status"}]}`` and its format-2 hash text
(:mod:`klimabok.audit.hashing`) are written here as canonical JSON — sorted keys, no spaces, strings through
``to_json`` (PostgreSQL escapes what Python's ``json.dumps(ensure_ascii=False)`` escapes) — so
``verify_chain`` recomputes the same SHA-256. ``credits_serial`` is
:func:`klimabok.core.credits.serials.format_serial` (a sub-range's serial, as its registry writes it);
``tests/web/test_orders_reservation.py`` compares both with the Python ones.

``credits_order`` returns the new order's id and total price, or no row when nothing was inserted (the
idempotency key was used, or the year is not closed: the caller says which). When fewer credits are
available than asked it raises ``P0001`` "credits_order: not enough credits" with the available quantity
as DETAIL: the statement, order row included, is undone.

The order row's columns are written out here: a later column of ``credits_compensationorder`` without a
database default needs this function replaced in its migration (the tests insert orders through it).
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION credits_digits(p_number bigint, p_like text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN length(p_like) > 1 AND left(p_like, 1) = '0'
                THEN lpad(p_number::text, greatest(length(p_like), length(p_number::text)), '0')
                ELSE p_number::text END
$$;

CREATE OR REPLACE FUNCTION credits_serial(p_registry varchar, p_raw varchar, p_batch varchar, p_start bigint,
                                          p_end bigint) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    parts text[];
    last text[];
    at integer;
BEGIN
    IF p_registry = 'isometric' THEN
        RETURN 'isometric:' || p_batch || ':' || p_start || '-' || p_end;
    END IF;
    IF p_registry = 'cdm' THEN
        parts := string_to_array(split_part(p_raw, ' - ', 1), '-');
        last := string_to_array(split_part(p_raw, ' - ', 2), '-');
        parts[3] := credits_digits(p_start, parts[3]);
        last[3] := credits_digits(p_end, last[3]);
        RETURN array_to_string(parts, '-') || ' - ' || array_to_string(last, '-');
    END IF;
    parts := string_to_array(p_raw, '-');
    at := CASE WHEN p_registry = 'verra' THEN 2 ELSE 8 END;
    parts[at] := credits_digits(p_start, parts[at]);
    parts[at + 1] := credits_digits(p_end, parts[at + 1]);
    RETURN array_to_string(parts, '-');
END $$;

CREATE OR REPLACE FUNCTION credits_reserved_event(p_block bigint, p_order bigint, p_partner bigint,
                                                  p_user bigint, p_actor varchar, p_now timestamptz,
                                                  p_created text, p_client_slug varchar, p_ranges text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    payload text := '{"block":' || p_block || ',"client":' || to_json(p_client_slug::text)::text
                    || ',"order":' || p_order || ',"ranges":[' || p_ranges || ']}';
    subject text := 'order:' || p_order;
    head varchar;
    body text;
    digest varchar;
BEGIN
    SELECT h.hash INTO head FROM audit_chainhead h WHERE h.id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO audit_chainhead (id, hash, length) VALUES (1, repeat('0', 64), 0) ON CONFLICT DO NOTHING;
        SELECT h.hash INTO head FROM audit_chainhead h WHERE h.id = 1 FOR UPDATE;
    END IF;
    body := '{"actor":' || to_json(p_actor::text)::text || ',"actor_id":' || coalesce(p_user::text, 'null')
            || ',"created_at":' || to_json(p_created)::text || ',"format":2,"kind":"reserved"'
            || ',"organisation_id":' || coalesce(p_partner::text, 'null') || ',"payload":' || payload
            || ',"previous_hash":' || to_json(head::text)::text || ',"subject":' || to_json(subject)::text
            || '}';
    digest := encode(sha256(convert_to(body, 'UTF8')), 'hex');
    INSERT INTO audit_event (kind, created_at, actor_id, actor_label, organisation_id, subject, payload,
                             previous_hash, hash, hash_format)
         VALUES ('reserved', p_now, p_user, p_actor, p_partner, subject, payload::jsonb, head, digest, 2);
    UPDATE audit_chainhead SET hash = digest, length = length + 1 WHERE id = 1;
END $$;

CREATE OR REPLACE FUNCTION credits_order(p_client bigint, p_partner bigint, p_year integer, p_tonnes bigint,
                                         p_project bigint, p_coverage varchar, p_key varchar, p_user bigint,
                                         p_actor varchar, p_now timestamptz, p_created text,
                                         p_client_slug varchar)
RETURNS TABLE (order_id bigint, price_total numeric)
LANGUAGE plpgsql AS $$
DECLARE
    new_order bigint;
    estimate numeric;
    locked bigint[];
    total numeric := 0;
    wanted bigint := p_tonnes;
    seen bigint := 0;
    cut bigint;
    taken_id bigint;
    current_block bigint;
    ranges text := '';
    r record;
BEGIN
    -- Before any lock: the price when the first block in the order of taking serves the whole order (the
    -- usual case), so the order row is written once. Updating it under the block's lock would re-run its
    -- foreign key checks (a row inserted by the same transaction is always re-checked).
    SELECT round(b.price_per_tonne * p_tonnes, 2) INTO estimate
      FROM credits_creditblock b JOIN credits_creditproject p ON p.id = b.project_id
     WHERE p.owner_id = p_partner AND (p_project IS NULL OR b.project_id = p_project)
       AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL
       AND EXISTS (SELECT 1 FROM credits_creditrange a WHERE a.block_id = b.id AND a.status = 'available')
     ORDER BY b.vintage IS NULL, coalesce(b.vintage, 0), b.id
     LIMIT 1;
    -- Foreign keys are checked here (INITIALLY IMMEDIATE, migration 0007), before any block is locked.
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
    -- From here as credits_reserve (migration 0007): lock the candidate blocks in primary-key order, then,
    -- in a new snapshot, cut their available rows, lowest serials of the oldest vintage first.
    SELECT array_agg(s.id) INTO locked FROM (
        SELECT b.id FROM credits_creditblock b JOIN credits_creditproject p ON p.id = b.project_id
         WHERE p.owner_id = p_partner AND (p_project IS NULL OR b.project_id = p_project)
           AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL
           AND EXISTS (SELECT 1 FROM credits_creditrange a WHERE a.block_id = b.id AND a.status = 'available')
         ORDER BY b.id FOR UPDATE OF b) s;
    FOR r IN SELECT a.id AS row_id, a.block_id AS row_block, a.start AS row_start, a."end" AS row_end,
                    b.price_per_tonne, b.registry AS b_registry, b.raw_serial AS b_raw, b.batch AS b_batch
               FROM credits_creditrange a JOIN credits_creditblock b ON b.id = a.block_id
              WHERE a.block_id = ANY(locked) AND a.status = 'available'
                AND b.status = 'offered' AND b.price_per_tonne IS NOT NULL
              ORDER BY b.vintage IS NULL, coalesce(b.vintage, 0), b.id, a.start LOOP
        seen := seen + (r.row_end - r.row_start + 1);
        cut := least(wanted, r.row_end - r.row_start + 1);
        IF cut = r.row_end - r.row_start + 1 THEN
            UPDATE credits_creditrange SET status = 'reserved', order_id = new_order WHERE id = r.row_id;
        ELSE
            -- shorten first, then insert: the block's rows never overlap, not even between two statements
            UPDATE credits_creditrange SET start = r.row_start + cut WHERE id = r.row_id;
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
DROP = """
DROP FUNCTION IF EXISTS credits_order(bigint, bigint, integer, bigint, bigint, varchar, varchar, bigint,
                                      varchar, timestamptz, text, varchar);
DROP FUNCTION IF EXISTS credits_reserved_event(bigint, bigint, bigint, bigint, varchar, timestamptz, text,
                                               varchar, text);
DROP FUNCTION IF EXISTS credits_serial(varchar, varchar, varchar, bigint, bigint);
DROP FUNCTION IF EXISTS credits_digits(bigint, text);
"""


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0007_orders_touch_only_their_ranges'),
        ('audit', '0001_initial'),
        ('inventory', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
