"""``klimabok import saft FILE --org SLUG --year Y``: import a SAF-T Financial file into a reporting year.

``klimabok import fail-stale``: fail the uploads whose background reading stopped (for cron).

The same import as the year page's upload (:func:`klimabok.ledger.services.import_saft`): all or
nothing, refused for a closed year, for a file already imported into the year, and for a file
whose period is not within the year. Prints what was imported and the coverage; a problem is one
message on stderr and exit status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from klimabok.cli import django_setup, fail, reports_errors

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command("saft")
@reports_errors
def saft(
    file: Annotated[Path, typer.Argument(help="A SAF-T Financial file (1.30 or 1.20).")],
    org: Annotated[str, typer.Option("--org", help="The organisation's slug.")],
    year: Annotated[int, typer.Option("--year", help="The reporting year to import into.")],
) -> None:
    """Import a SAF-T Financial file's spend into an organisation's reporting year."""
    django_setup()
    from klimabok.core.spend import ATTRIBUTION
    from klimabok.inventory.models import ReportingYear
    from klimabok.ledger.messages import message_from_json
    from klimabok.ledger.services import import_saft

    if not file.exists():
        raise FileNotFoundError(2, "no such file", str(file))
    reporting_year = (ReportingYear.objects.select_related("organisation")
                      .filter(organisation__slug=org, year=year).first())
    if reporting_year is None:
        fail(f"no reporting year {year} for organisation '{org}'")
        return
    imported = import_saft(reporting_year, file, None)
    mapped = imported.spend_lines.exclude(category="").filter(excluded="").count()
    cover = imported.coverage or {}
    typer.echo(f"imported {imported.filename} into {org} {year}: SAF-T {imported.audit_file_version}, "
               f"{imported.company_name} (org.nr {imported.org_number}), "
               f"period {imported.period_start or '?'} – {imported.period_end or '?'}")
    typer.echo(f"{imported.transactions:,} transactions, {imported.line_count:,} lines → "
               f"{imported.spend_lines.count()} spend lines (account × supplier), {mapped} mapped")
    typer.echo(f"spend-based: {imported.t_co2e if imported.t_co2e is not None else '–'} t CO2e "
               f"before activity data covering the same spend is taken out ({ATTRIBUTION})")
    if cover:
        typer.echo(f"coverage of {cover.get('total_nok')} NOK cost spend: "
                   f"mapped {cover.get('mapped_share', 0):.1%}, "
                   f"excluded {cover.get('excluded_share', 0):.1%}, "
                   f"unmapped {cover.get('unmapped_share', 0):.1%}")
        for item in cover.get("unmapped_accounts", []):
            typer.echo(f"  unmapped account {item['account_id']} {item['description']}: "
                       f"{item['amount_nok']} NOK")
    for warning in imported.warnings:
        typer.echo(f"warning: {message_from_json(warning)}")


@app.command("fail-stale")
@reports_errors
def fail_stale() -> None:
    """Fail the uploads waiting or being read with no progress for KLIMABOK_LEDGER_STALE_MINUTES."""
    django_setup()
    from django.conf import settings

    from klimabok.ledger.services import fail_stale_imports

    count = fail_stale_imports()
    typer.echo(f"{count} import(s) failed: no progress for {settings.KLIMABOK_LEDGER_STALE_MINUTES} minutes")
