"""``klimabok calc FILE --year Y``: an account from an activity-data file, without a database.

Reads the template (CSV or XLSX, see :mod:`klimabok.core.activity_file`) in
columns (:mod:`klimabok.core.activity_columns`: a CSV file is streamed in
blocks), computes with the shipped factor catalogue and prints a summary
table, or with ``--json`` the whole account in tonnes CO2e. Bad rows: one
message per row and column, exit status 1. Imports no Django.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from klimabok.cli import reports_errors
from klimabok.core.activity_columns import read_activity_columns
from klimabok.core.engine import AccountResult, compute_account_columns
from klimabok.core.engine.scopes import CATEGORY_NAMES
from klimabok.core.factors.catalogue import default_catalogue

TOP_SOURCES = 10


class GwpSet(StrEnum):
    AR5 = "AR5"
    AR6 = "AR6"


def register(app: typer.Typer) -> None:
    """Add the ``calc`` command to the ``klimabok`` app."""
    app.command("calc")(calc)


@reports_errors
def calc(
    file: Annotated[Path, typer.Argument(help="Activity data: the CSV or XLSX template.")],
    year: Annotated[int, typer.Option("--year", help="Reporting year (selects the factors).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the account as JSON (tonnes CO2e).")] = False,
    gwp: Annotated[GwpSet, typer.Option("--gwp", help="GWP set for CH4 and N2O.")] = GwpSet.AR5,
) -> None:
    """Compute the climate account of an activity-data file for one reporting year."""
    catalogue = default_catalogue()
    columns = read_activity_columns(file, catalogue=catalogue, year=year)
    result = compute_account_columns(columns, year=year, catalogue=catalogue, gwp_set=gwp.value,
                                     source=file.name)
    if as_json:
        typer.echo(json.dumps({"file": file.name, **result.to_dict()}, ensure_ascii=False, indent=2))
    else:
        typer.echo(summary(result, file.name))


def summary(result: AccountResult, name: str) -> str:
    """The human-readable account: totals with 95 % ranges, categories, largest sources, flags."""
    t, ranges = result.totals, result.uncertainty
    out = [f"Climate account {result.year} — {name} — {len(result.columns)} lines, GWP {result.gwp_set}",
           f"Factors: {', '.join(result.datasets) or '-'}", "",
           f"{'Totals':<44}{'t CO2e':>14}   95 % range"]
    for key, label in (("scope_1", "Scope 1"), ("scope_2_location", "Scope 2, location-based"),
                       ("scope_2_market", "Scope 2, market-based"), ("scope_3", "Scope 3"),
                       ("total_location", "Total, location-based"), ("total_market", "Total, market-based")):
        r = ranges[key]
        out.append(f"  {label:<42}{getattr(t, key):>14,.3f}   {r.low:,.3f} – {r.high:,.3f}"
                   f" (±{100 * r.relative:.0f} %)")
    if result.biogenic_co2_t:
        out.append(f"  {'Biogenic CO2, outside the scopes (t CO2)':<42}{result.biogenic_co2_t:>14,.3f}")
    out += ["", f"{'By category':<44}{'t CO2e':>14}"]
    out += [f"  {CATEGORY_NAMES[key]:<42}{value:>14,.3f}" for key, value in result.by_category().items()]
    out += ["", f"{'Largest sources (market-based)':<44}{'t CO2e':>14}   share"]
    out += [f"  {s.activity:<42}{s.t_co2e:>14,.3f}   {100 * s.share:5.1f} %"
            for s in result.by_activity("market")[:TOP_SOURCES]]
    flags = result.flag_counts()
    if flags:
        out += ["", "Notes"] + [f"  {count} line(s): {flag}" for flag, count in flags.items()]
    return "\n".join(out)
