"""``klimabok demo load``, ``logins``, ``saft-file`` and ``gl-file``: the demo for trying klimabok."""

from __future__ import annotations

from pathlib import Path

import typer

from klimabok.cli import django_setup, reports_errors

app = typer.Typer(no_args_is_help=True)


@app.command()
@reports_errors
def load(url: str = typer.Option("http://127.0.0.1:8000/",
                                  help="Where klimabok is served: printed on the demo certificate.")) -> None:
    """Create (or replace) the demo: Klimapartner AS, Nordlys Kundesenter AS (2024, 2025), Fjordbakst AS."""
    django_setup()
    from klimabok.demo import load_demo

    summary = load_demo(site_url=url.rstrip("/"))
    for slug, years in summary.totals.items():
        for year, totals in years.items():
            typer.echo(f"{slug} {year}: {totals.total_location:,.1f} t CO2e location-based, "
                       f"{totals.total_market:,.1f} t market-based")


@app.command()
def logins(url: str = typer.Option("http://127.0.0.1:8000/", help="Where klimabok is served.")) -> None:
    """Print where to log in and the demo users (one shared password, for the demo only)."""
    django_setup()
    from klimabok.demo.people import DEMO_PASSWORD, USERS

    typer.echo(f"\nklimabok: {url}\nDemo password for every user: {DEMO_PASSWORD}\n")
    typer.echo(f"  {'e-mail':<30} {'role':<12} organisation")
    for user in USERS:
        typer.echo(f"  {user.email:<30} {user.role:<12} {user.organisation_slug}")
    typer.echo("")


@app.command("saft-file")
@reports_errors
def saft_file(out: Path | None = typer.Argument(  # noqa: B008 (typer's way)
                  None, help="Where to write the file [default: SAF-T Financial_928467139_2025.xml]."),
              seed: int = typer.Option(1, help="Another seed: other amounts and days (the demo uses 1)."),
              ) -> None:
    """Write the demo's SAF-T Financial 1.30 file: Nordlys Kundesenter AS's general ledger for 2025.

    The demo imports the same file (seed 1) into Nordlys 2025; delete that import on the year's
    ledger page to upload it yourself.
    """
    django_setup()
    from klimabok.demo.ledger import write_demo_saft
    from klimabok.demo.ledger_chart import FILENAME

    path = write_demo_saft(out or Path(FILENAME), seed=seed)
    typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@app.command("gl-file")
@reports_errors
def gl_file(out: Path | None = typer.Argument(  # noqa: B008 (typer's way)
                None, help="Where to write the file [default: Hovedbok_928467139_2025.csv]."),
            seed: int = typer.Option(1, help="Another seed: other amounts and days (the demo uses 1)."),
            ) -> None:
    """Write the same ledger as a general-ledger CSV export, to try the import for companies without SAF-T."""
    django_setup()
    from klimabok.demo.ledger import write_demo_gl_csv

    path = write_demo_gl_csv(out or Path("Hovedbok_928467139_2025.csv"), seed=seed)
    typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
