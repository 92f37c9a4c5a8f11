"""``klimabok ledger verify``: the former name of ``klimabok audit verify`` (deprecated, hidden).

Kept so existing cron jobs keep working: it says so on stderr and then does
exactly what ``klimabok audit verify`` does, with the same exit status.
"""

from __future__ import annotations

import typer

from klimabok.cli import reports_errors
from klimabok.cli.audit import run_verify

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command()
@reports_errors
def verify() -> None:
    """Deprecated: use ``klimabok audit verify``."""
    typer.echo("klimabok ledger verify is deprecated: use 'klimabok audit verify' (the same checks).",
               err=True)
    run_verify("ledger verify")
