# Biogenic CO2 per unit (DESNZ "Outside of scopes"), reported apart from the scopes (issue 10).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('factors', '0002_archived_datasets'),
    ]

    operations = [
        migrations.AddField(
            model_name='storedfactor',
            name='biogenic_source_ref',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='storedfactor',
            name='kg_co2_biogenic',
            field=models.DecimalField(decimal_places=20, default=0, max_digits=32),
        ),
    ]
