"""The credits ledger becomes the audit trail: same rows, new tables' names, new fields, new triggers.

The table ``credits_ledgerevent`` (and its head ``credits_ledgerhead``) is taken
over as it stands — state first (``SeparateDatabaseAndState``: nothing is copied,
so every event keeps its id and hash), then renamed to ``audit_event`` and
``audit_chainhead``. Events already stored get ``hash_format`` 1 (the formula they
were chained under) and an empty ``subject``. The credits ledger's append-only
trigger is dropped before and the audit trail's created after (SQLite rebuilds a
table it alters, which drops its triggers):

- PostgreSQL: ``audit_event_append_only`` refuses UPDATE and DELETE;
- SQLite: ``audit_event_no_update`` refuses UPDATE; ``audit_event_no_delete`` refuses DELETE of any
  event with an older one still stored, so a flush (one DELETE of every row, oldest first, as the
  test suite does) works while no event inside or at the end of the chain can be taken out.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.state import StateApps

CREDITS_TRIGGERS = {
    "postgresql": [
        ("DROP TRIGGER IF EXISTS credits_ledger_append_only ON credits_ledgerevent",
         """CREATE TRIGGER credits_ledger_append_only BEFORE UPDATE OR DELETE ON credits_ledgerevent
            FOR EACH ROW EXECUTE FUNCTION credits_ledger_append_only()"""),
        ("DROP FUNCTION IF EXISTS credits_ledger_append_only()",
         """CREATE FUNCTION credits_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'ledger events are append-only: % refused', TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
            END $$"""),
    ],
    "sqlite": [
        ("DROP TRIGGER IF EXISTS credits_ledger_append_only",
         """CREATE TRIGGER credits_ledger_append_only BEFORE UPDATE ON credits_ledgerevent
            BEGIN SELECT RAISE(ABORT, 'ledger events are append-only: UPDATE refused'); END"""),
    ],
}

AUDIT_TRIGGERS = {
    "postgresql": [
        ("""CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
            END $$""",
         "DROP FUNCTION audit_event_append_only()"),
        ("""CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
            FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
         "DROP TRIGGER audit_event_append_only ON audit_event"),
    ],
    "sqlite": [
        ("""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
         "DROP TRIGGER audit_event_no_update"),
        ("""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
            WHEN EXISTS (SELECT 1 FROM audit_event older WHERE older.id < OLD.id)
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
         "DROP TRIGGER audit_event_no_delete"),
    ],
}


def drop_credits_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for drop, _create in CREDITS_TRIGGERS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(drop, None)


def recreate_credits_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for _drop, create in reversed(CREDITS_TRIGGERS.get(schema_editor.connection.vendor, [])):
        schema_editor.execute(create, None)


def create_audit_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for create, _drop in AUDIT_TRIGGERS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(create, None)


def refuse_to_lose_the_trail(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Reversing gives the rows back to the credits ledger, whose code verifies only the first hash
    format: once the trail holds a newer event, that would leave a chain no version can verify."""
    event = apps.get_model("audit", "Event")
    if event.objects.using(schema_editor.connection.alias).filter(hash_format=2).exists():
        raise IrreversibleError(
            "audit.0001 cannot be reversed: the audit trail holds events of hash format 2, which the "
            "credits ledger it came from cannot verify; restore a backup from before the upgrade instead")


def drop_audit_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for _create, drop in reversed(AUDIT_TRIGGERS.get(schema_editor.connection.vendor, [])):
        schema_editor.execute(drop, None)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("accounts", "0002_invitation"),
        ("credits", "0003_ledger_outlives_what_it_mentions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_credits_triggers, recreate_credits_triggers, elidable=False),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="Event",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                               verbose_name="ID")),
                    ("kind", models.CharField(max_length=30)),
                    ("created_at", models.DateTimeField()),
                    ("actor_label", models.CharField(blank=True, max_length=254)),
                    ("payload", models.JSONField()),
                    ("previous_hash", models.CharField(max_length=64)),
                    ("hash", models.CharField(max_length=64, unique=True)),
                    ("actor", models.ForeignKey(blank=True, db_constraint=False, null=True,
                                                on_delete=django.db.models.deletion.DO_NOTHING,
                                                related_name="+", to=settings.AUTH_USER_MODEL)),
                    ("organisation", models.ForeignKey(blank=True, db_constraint=False, null=True,
                                                       on_delete=django.db.models.deletion.DO_NOTHING,
                                                       related_name="+", to="accounts.organisation")),
                ],
                options={
                    "ordering": ["pk"],
                    "db_table": "credits_ledgerevent",
                    "constraints": [models.UniqueConstraint(fields=("previous_hash",),
                                                            name="credits_ledger_no_fork")],
                },
            ),
            migrations.CreateModel(
                name="ChainHead",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                               verbose_name="ID")),
                    ("hash", models.CharField(max_length=64)),
                    ("length", models.PositiveBigIntegerField(default=0)),
                ],
                options={"db_table": "credits_ledgerhead"},
            ),
        ]),
        migrations.AlterModelTable(name="event", table=None),
        migrations.AlterModelTable(name="chainhead", table=None),
        migrations.RemoveConstraint(model_name="event", name="credits_ledger_no_fork"),
        migrations.AddConstraint(model_name="event", constraint=models.UniqueConstraint(
            fields=("previous_hash",), name="audit_event_no_fork")),
        migrations.AlterField(model_name="event", name="kind", field=models.CharField(max_length=40)),
        migrations.AddField(model_name="event", name="subject",
                            field=models.CharField(blank=True, default="", max_length=200),
                            preserve_default=False),
        migrations.AddField(model_name="event", name="hash_format",
                            field=models.PositiveSmallIntegerField(default=1), preserve_default=False),
        migrations.RunPython(create_audit_triggers, drop_audit_triggers, elidable=False),
        migrations.RunPython(migrations.RunPython.noop, refuse_to_lose_the_trail, elidable=False),
    ]
