"""``klimabok saft summary FILE``: what a SAF-T Financial file holds, without a database.

Reads the file once, streaming (see :mod:`klimabok.core.saft`), and prints the company, period,
totals and a line per account, or with ``--json`` the same as data (amounts as strings with 2
decimals). ``--validate`` also checks the file against Skatteetaten's XSD (``--schema DIR``).
A bad file: one message naming the file and the line/element, exit status 1. Imports no Django.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from klimabok.cli import reports_errors
from klimabok.core.saft import SaftSummary, schema_for, summarise
from klimabok.core.saft.summary import money
from klimabok.core.spend import ATTRIBUTION

app = typer.Typer(no_args_is_help=True)


@app.command("summary")
@reports_errors
def summary(
    file: Annotated[Path, typer.Argument(help="A SAF-T Financial file (1.30 or 1.20).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    validate: Annotated[
        bool, typer.Option("--validate", help="Also validate against the official XSD.")
    ] = False,
    schema: Annotated[
        Path | None,
        typer.Option(
            "--schema",
            help="Folder with Skatteetaten's XSD files (default: $KLIMABOK_SAFT_SCHEMA or the "
            "copies shipped in klimabok/data/saft).",
        ),
    ] = None,
) -> None:
    """Read a SAF-T Financial file and print what it contains."""
    if not file.exists():
        raise FileNotFoundError(2, "no such file", str(file))
    result = summarise(file, schema=schema_for(file, schema) if validate else None)
    typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2) if as_json else render(result))


def render(result: SaftSummary) -> str:
    """The human-readable summary: the file, then one row per account with its category or exclusion."""
    header = result.header
    period = f"{header.period_start or '?'} – {header.period_end or '?'}"
    code_title = "grouping" if header.mapping == "grouping" else "std acct"
    rows = [
        f"SAF-T Financial {header.audit_file_version}: {header.company_name} (org.nr {header.org_number})",
        f"period {period}, currency {header.currency or '?'}, from {header.software or '?'}",
        f"{result.transactions:,} transactions, {result.lines:,} lines, {result.suppliers:,} suppliers; "
        f"debit {money(result.total_debit)}, credit {money(result.total_credit)} NOK",
        "",
        f"  {'account':<8}{'description':<34}{code_title:>9}{'lines':>9}{'net NOK':>16}{'t CO2e':>10}"
        "  category or exclusion",
    ]
    for item in result.accounts:
        account = item.account
        code = (account.grouping_code if header.mapping == "grouping" else account.standard_account_id) or "–"
        tonnes = "–" if item.t_co2e is None else f"{item.t_co2e:.3f}"
        what = item.category or (f"excluded: {item.excluded}" if item.excluded else "unmapped")
        rows.append(
            f"  {account.account_id:<8}{account.description[:32]:<34}{code:>9}{item.lines:>9,}"
            f"{money(item.net_amount):>16}{tonnes:>10}  {what}"
        )
    rows.append("")
    if result.t_co2e is not None:
        rows.append(f"spend-based estimate: {result.t_co2e:.3f} t CO2e ({ATTRIBUTION})")
    if result.coverage:
        cover = result.coverage
        rows.append(
            f"cost spend {cover['total_nok']} NOK: {cover['mapped_share']:.0%} mapped, "
            f"{cover['excluded_share']:.0%} excluded, {cover['unmapped_share']:.0%} unmapped"
        )
    rows.extend(f"note: {note}" for note in result.notes)
    rows.extend(f"warning: {warning}" for warning in result.warnings)
    return "\n".join(rows)
