"""``klimabok ledger verify``: re-compute the credits ledger's hash chain and re-check every holding.

Exit status 0 when the chain and the holdings are intact, 1 (with each break
named on stderr: the event or block) otherwise — for cron jobs and CI.
"""

from __future__ import annotations

import typer

from klimabok.cli import django_setup, reports_errors

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command()
@reports_errors
def verify() -> None:
    """Check the chain (every hash, every link, the head) and the invariants (no overlaps, partitions)."""
    django_setup()
    from klimabok.credits.ledger import verify as verify_ledger

    result = verify_ledger()
    for line in result.checked:
        typer.echo(f"checked: {line}")
    for problem in result.problems:
        typer.echo(f"BROKEN: {problem}", err=True)
    if not result.ok:
        typer.echo(f"ledger verify: {len(result.problems)} problem(s)", err=True)
        raise typer.Exit(1)
    typer.echo("ledger verify: OK")
