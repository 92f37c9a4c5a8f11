"""Less work under a hot block's lock (issue 14): what an order's cut of the block writes is checked and
indexed only where it guards something.

An order shortens the block's available row and inserts its reserved row, both under the block's lock, which
is held until COMMIT. Before this migration each of the two writes went through the exclusion constraint, the
range trigger and seven indexes; the profile of ``credits_order`` (pgbench, synchronous_commit off, one
client) put ~0.5–0.6 ms of its ~1 ms under the lock into that cut and ~0.2 ms into finding the available row,
whose index grew by one dead entry an order (a shortened row's new ``start`` is a new key).

- ``credits_range_no_overlap`` (exclusion, PostgreSQL) and ``credits_range_once`` (unique) now cover the rows
  that are reserved or retired: a serial can still never be reserved or retired twice, whatever the services
  do; available rows are kept apart by the services under the block's lock and re-checked by
  ``klimabok audit verify`` (a block's rows must partition it). An available row overlapping a sold one can
  never be sold: the reserved row cut from it would overlap. SQLite's triggers still refuse any overlap.
- ``credits_range_available`` is keyed by ``(block, end)``: the cut keeps ``end``, so the new version has the
  old key and the index stays one entry a row instead of growing with every order.
- ``order`` and ``retirement`` are indexed where set only; an available row is in neither index.
- The range trigger (PostgreSQL) runs on INSERT and on an UPDATE that moves a row or makes it larger: a row
  that was inside its block and shrinks stays inside (an order's cut, a retirement).
- Altering the two foreign keys makes Django re-create their constraints ``INITIALLY DEFERRED``; they are set
  back to ``IMMEDIATE`` (credits 0007: checked when written, not at COMMIT under the block's lock), both ways.
  On SQLite the same operations rebuild the table, which drops its triggers: credits 0002's range triggers
  are created again, both ways.

Reversible: backwards restores the constraint on every row (refused if available rows overlap by then), the
one trigger and the indexes as before.
"""

from __future__ import annotations

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

EXCLUSION = """ALTER TABLE credits_creditrange DROP CONSTRAINT credits_range_no_overlap;
ALTER TABLE credits_creditrange ADD CONSTRAINT credits_range_no_overlap EXCLUDE USING gist
    (block_id WITH =, int8range(start, "end", '[]') WITH &&){where};"""

TRIGGERS = """DROP TRIGGER credits_range_within_block ON credits_creditrange;
CREATE TRIGGER credits_range_within_block BEFORE INSERT ON credits_creditrange
    FOR EACH ROW EXECUTE FUNCTION credits_range_within_block();
CREATE TRIGGER credits_range_within_block_grown BEFORE UPDATE ON credits_creditrange
    FOR EACH ROW WHEN (NEW.block_id <> OLD.block_id OR NEW.start < OLD.start OR NEW."end" > OLD."end")
    EXECUTE FUNCTION credits_range_within_block();"""

ONE_TRIGGER = """DROP TRIGGER credits_range_within_block_grown ON credits_creditrange;
DROP TRIGGER credits_range_within_block ON credits_creditrange;
CREATE TRIGGER credits_range_within_block BEFORE INSERT OR UPDATE ON credits_creditrange
    FOR EACH ROW EXECUTE FUNCTION credits_range_within_block();"""


def _sqlite_range_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Credits 0002's triggers on ``credits_creditrange``, gone with the table SQLite rebuilt."""
    integrity = import_module("klimabok.credits.migrations.0002_database_integrity")
    for create, _drop in integrity.SQLITE:
        if "ON credits_creditrange" in create:
            schema_editor.execute(create.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


def _foreign_keys_checked_at_once(schema_editor: BaseDatabaseSchemaEditor) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'f' "
                       "AND conrelid = 'credits_creditrange'::regclass ORDER BY 1")
        names = [name for (name,) in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f"ALTER TABLE credits_creditrange ALTER CONSTRAINT "
                              f"{schema_editor.quote_name(name)} DEFERRABLE INITIALLY IMMEDIATE")


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXCLUSION.format(where=" WHERE (status <> 'available')"))
        schema_editor.execute(TRIGGERS)
        _foreign_keys_checked_at_once(schema_editor)
    elif schema_editor.connection.vendor == "sqlite":
        _sqlite_range_triggers(schema_editor)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ONE_TRIGGER)
        schema_editor.execute(EXCLUSION.format(where=""))


def as_before_back(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Backwards, last: the foreign keys the reversed fields re-created checked at once again (as 0007);
    SQLite's range triggers again."""
    if schema_editor.connection.vendor == "postgresql":
        _foreign_keys_checked_at_once(schema_editor)
    elif schema_editor.connection.vendor == "sqlite":
        _sqlite_range_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('credits', '0008_order_in_one_call'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, as_before_back, elidable=False),
        migrations.RemoveConstraint(
            model_name='creditrange',
            name='credits_range_once',
        ),
        migrations.RemoveIndex(
            model_name='creditrange',
            name='credits_range_available',
        ),
        migrations.AlterField(
            model_name='creditrange',
            name='order',
            field=models.ForeignKey(blank=True, db_index=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name='ranges',
                                    to='credits.compensationorder'),
        ),
        migrations.AlterField(
            model_name='creditrange',
            name='retirement',
            field=models.ForeignKey(blank=True, db_index=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name='ranges',
                                    to='credits.retirement'),
        ),
        migrations.AddIndex(
            model_name='creditrange',
            index=models.Index(condition=models.Q(('status', 'available')), fields=['block', 'end'],
                               name='credits_range_available'),
        ),
        migrations.AddIndex(
            model_name='creditrange',
            index=models.Index(condition=models.Q(('order__isnull', False)), fields=['order'],
                               name='credits_range_order'),
        ),
        migrations.AddIndex(
            model_name='creditrange',
            index=models.Index(condition=models.Q(('retirement__isnull', False)), fields=['retirement'],
                               name='credits_range_retirement'),
        ),
        migrations.AddConstraint(
            model_name='creditrange',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'available'), _negated=True),
                                               fields=('block', 'start'), name='credits_range_once'),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
