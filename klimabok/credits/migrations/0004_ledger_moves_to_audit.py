"""The ledger's events and head now belong to the audit app (``audit.0001_initial`` took their tables over).

State only: the rows stay where ``audit`` renamed their tables to.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("credits", "0003_ledger_outlives_what_it_mentions"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name="LedgerEvent"),
            migrations.DeleteModel(name="LedgerHead"),
        ]),
    ]
