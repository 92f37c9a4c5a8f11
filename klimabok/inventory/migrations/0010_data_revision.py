"""A year's data revision: the token the account cache keys by.

The triggers that set it are not in a migration: they are installed after every ``migrate``
(klimabok.account.revision), because Django rebuilds a SQLite table to alter it and a rebuilt table
has lost its triggers.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0009_kept_import_files'),
    ]

    operations = [
        migrations.AddField(
            model_name='reportingyear',
            name='data_revision',
            field=models.BigIntegerField(default=0, editable=False),
        ),
    ]
