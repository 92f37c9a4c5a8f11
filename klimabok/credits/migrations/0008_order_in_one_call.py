"""An order on PostgreSQL is one statement (issue 14): ``credits_order`` inserts the order row, reserves
(``credits_reserve``, migration 0007) and appends one ``reserved`` event a block, chained under the head's lock.

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
    total numeric := 0;
    current_block bigint;
    ranges text := '';
    r record;
BEGIN
    -- Foreign keys are checked here (INITIALLY IMMEDIATE, migration 0007), before any block is locked.
    INSERT INTO credits_compensationorder (client_id, partner_id, reporting_year, tonnes, project_id, coverage,
                                           status, idempotency_key, price_total, currency, created_by_id,
                                           created_at, updated_at, cancelled_at)
    SELECT p_client, p_partner, p_year, p_tonnes, p_project, p_coverage, 'reserved', p_key, 0, 'NOK', p_user,
           p_now, p_now, NULL
     WHERE EXISTS (SELECT 1 FROM inventory_reportingyear y
                    WHERE y.organisation_id = p_client AND y.year = p_year AND y.status = 'closed')
    ON CONFLICT DO NOTHING
    RETURNING id INTO new_order;
    IF new_order IS NULL THEN
        RETURN;
    END IF;
    -- The rows come oldest vintage first, a block's rows together: one event a block, as before.
    FOR r IN SELECT * FROM credits_reserve(new_order, p_partner, p_project, p_tonnes) LOOP
        IF r.block_id IS NULL THEN
            RAISE EXCEPTION 'credits_order: not enough credits' USING ERRCODE = 'P0001', DETAIL = r.available;
        END IF;
        IF current_block IS NOT NULL AND r.block_id <> current_block THEN
            PERFORM credits_reserved_event(current_block, new_order, p_partner, p_user, p_actor, p_now,
                                           p_created, p_client_slug, ranges);
            ranges := '';
        END IF;
        current_block := r.block_id;
        ranges := ranges || CASE WHEN ranges = '' THEN '' ELSE ',' END
                  || '{"end":' || r.range_end || ',"quantity":' || (r.range_end - r.range_start + 1)
                  || ',"serial":' || to_json(credits_serial(r.registry, r.raw_serial, r.batch, r.range_start,
                                                            r.range_end))::text
                  || ',"start":' || r.range_start || ',"status":"reserved"}';
        total := total + round(r.price * (r.range_end - r.range_start + 1), 2);
    END LOOP;
    PERFORM credits_reserved_event(current_block, new_order, p_partner, p_user, p_actor, p_now, p_created,
                                   p_client_slug, ranges);
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
