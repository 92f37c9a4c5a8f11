"""The default screening policy becomes strict (CCP label required, vintage at most 5 years old).

A partner without a stored policy was screened under the old lax defaults (no CCP requirement, no
vintage age). So that no existing partner's policy changes under them, this gives each such partner a
stored row with those old values; stored rows are not touched. Only partners created from now on
start from the strict defaults, and any partner can change every rule on the policy page.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

#: The defaults before this migration, frozen here (the live model's defaults are the new ones).
OLD_DEFAULTS = {"require_ccp": False, "min_vintage_year": None, "max_vintage_age_years": None,
                "min_removal_share": None, "allowed_registries": None, "inactive_methodologies": [],
                "ex_post_only": True}


def keep_old_defaults(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Organisation = apps.get_model("accounts", "Organisation")
    PortfolioPolicy = apps.get_model("credits", "PortfolioPolicy")
    without = Organisation.objects.filter(kind="partner", portfolio_policy__isnull=True)
    PortfolioPolicy.objects.bulk_create([PortfolioPolicy(partner=partner, **OLD_DEFAULTS) for partner in without])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("credits", "0005_retirement_matched_against_registry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="portfoliopolicy",
            name="require_ccp",
            field=models.BooleanField(default=True, verbose_name="require the ICVCM CCP label"),
        ),
        migrations.AlterField(
            model_name="portfoliopolicy",
            name="max_vintage_age_years",
            field=models.PositiveSmallIntegerField(blank=True, default=5, null=True,
                                                   verbose_name="maximum vintage age (years)"),
        ),
        # Reversing leaves the rows: they hold exactly the policy those partners were screened under.
        migrations.RunPython(keep_old_defaults, migrations.RunPython.noop),
    ]
