"""``klimabok demo load`` and ``klimabok demo logins``: the demo organisations for trying klimabok."""

from __future__ import annotations

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
