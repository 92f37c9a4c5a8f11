"""What the database itself enforces beyond Django's constraints, per backend (see models' docstring).

PostgreSQL: btree_gist exclusion constraints (no overlapping blocks in one numbering space, no
overlapping ranges in one block), a trigger keeping ranges inside their block, and a trigger
refusing UPDATE/DELETE of ledger events. SQLite: triggers refusing overlapping blocks and ranges,
ranges outside their block, and UPDATE of ledger events (DELETE stays possible on SQLite only so
the test suite can flush tables; the service never deletes and ``ledger verify`` sees a gap).
The migration state is untouched, so ``makemigrations --check`` stays clean on both.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POSTGRES = [
    ("CREATE EXTENSION IF NOT EXISTS btree_gist", "SELECT 1"),
    ("""ALTER TABLE credits_creditblock ADD CONSTRAINT credits_block_no_overlap EXCLUDE USING gist
        (registry WITH =, identity WITH =, int8range(serial_start, serial_end, '[]') WITH &&)""",
     "ALTER TABLE credits_creditblock DROP CONSTRAINT credits_block_no_overlap"),
    ("""ALTER TABLE credits_creditrange ADD CONSTRAINT credits_range_no_overlap EXCLUDE USING gist
        (block_id WITH =, int8range(start, "end", '[]') WITH &&)""",
     "ALTER TABLE credits_creditrange DROP CONSTRAINT credits_range_no_overlap"),
    ("""CREATE FUNCTION credits_range_within_block() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM credits_creditblock b WHERE b.id = NEW.block_id
                         AND NEW.start >= b.serial_start AND NEW."end" <= b.serial_end) THEN
            RAISE EXCEPTION 'credit range % to % lies outside block %', NEW.start, NEW."end", NEW.block_id
              USING ERRCODE = 'check_violation';
          END IF;
          RETURN NEW;
        END $$""",
     "DROP FUNCTION credits_range_within_block()"),
    ("""CREATE TRIGGER credits_range_within_block BEFORE INSERT OR UPDATE ON credits_creditrange
        FOR EACH ROW EXECUTE FUNCTION credits_range_within_block()""",
     "DROP TRIGGER credits_range_within_block ON credits_creditrange"),
    ("""CREATE FUNCTION credits_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'ledger events are append-only: % refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
        END $$""",
     "DROP FUNCTION credits_ledger_append_only()"),
    ("""CREATE TRIGGER credits_ledger_append_only BEFORE UPDATE OR DELETE ON credits_ledgerevent
        FOR EACH ROW EXECUTE FUNCTION credits_ledger_append_only()""",
     "DROP TRIGGER credits_ledger_append_only ON credits_ledgerevent"),
]

_BLOCK_CLASH = """EXISTS (SELECT 1 FROM credits_creditblock b WHERE b.registry = NEW.registry
    AND b.identity = NEW.identity AND b.serial_start <= NEW.serial_end AND NEW.serial_start <= b.serial_end
    AND b.id IS NOT NEW.id)"""
_RANGE_CLASH = """EXISTS (SELECT 1 FROM credits_creditrange r WHERE r.block_id = NEW.block_id
    AND r.start <= NEW."end" AND NEW.start <= r."end" AND r.id IS NOT NEW.id)
    OR NOT EXISTS (SELECT 1 FROM credits_creditblock b WHERE b.id = NEW.block_id
    AND NEW.start >= b.serial_start AND NEW."end" <= b.serial_end)"""

SQLITE = [
    (f"""CREATE TRIGGER credits_block_no_overlap_{when} BEFORE {event} ON credits_creditblock
         WHEN {_BLOCK_CLASH}
         BEGIN SELECT RAISE(ABORT, 'credits_block_no_overlap: the block overlaps a block already held'); END""",
     f"DROP TRIGGER credits_block_no_overlap_{when}")
    for when, event in (("insert", "INSERT"), ("update", "UPDATE"))
] + [
    (f"""CREATE TRIGGER credits_range_no_overlap_{when} BEFORE {event} ON credits_creditrange
         WHEN {_RANGE_CLASH}
         BEGIN SELECT RAISE(ABORT, 'credits_range_no_overlap: the range overlaps another or leaves its block');
         END""",
     f"DROP TRIGGER credits_range_no_overlap_{when}")
    for when, event in (("insert", "INSERT"), ("update", "UPDATE"))
] + [
    ("""CREATE TRIGGER credits_ledger_append_only BEFORE UPDATE ON credits_ledgerevent
        BEGIN SELECT RAISE(ABORT, 'ledger events are append-only: UPDATE refused'); END""",
     "DROP TRIGGER credits_ledger_append_only"),
]

STATEMENTS = {"postgresql": POSTGRES, "sqlite": SQLITE}


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for create, _drop in STATEMENTS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(create, None)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for _create, drop in reversed(STATEMENTS.get(schema_editor.connection.vendor, [])):
        schema_editor.execute(drop, None)


class Migration(migrations.Migration):

    dependencies = [("credits", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
