"""Whether a job failed on the year's data (an account that cannot be computed), so its page says to fix it."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_line_export_jobs'),
    ]

    operations = [
        migrations.AddField(
            model_name='reportjob',
            name='data_problem',
            field=models.BooleanField(default=False),
        ),
    ]
