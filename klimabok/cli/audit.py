"""``klimabok audit verify``: re-compute the audit trail's hash chain and re-check every credit holding.

Prints each check, then ``audit verify: OK`` with the number of events and the
head hash (to note down elsewhere: a chain rewritten whole would end at another
hash). Exit status 1, with each break on stderr and the first broken event named,
otherwise — for cron jobs and CI. ``klimabok ledger verify`` is the same command
under its former name (deprecated, hidden from the help).
"""

from __future__ import annotations

import typer

from klimabok.cli import django_setup, reports_errors

app = typer.Typer(no_args_is_help=True, add_completion=False)


def run_verify(command: str) -> None:
    """What ``verify`` does; ``command`` ("audit verify", "ledger verify") names the summary line."""
    django_setup()
    from klimabok.credits.verification import verify

    result = verify()
    for line in result.checked:
        typer.echo(f"checked: {line}")
    for problem in result.problems:
        typer.echo(f"BROKEN: {problem}", err=True)
    chain = result.chain
    if not result.ok:
        first = chain.first_broken
        where = f"; first broken event #{first.event_id} ({first.kind})" if first is not None else ""
        typer.echo(f"{command}: {len(result.problems)} problem(s){where}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{command}: OK — {chain.count} events, head {chain.head_hash}")


@app.command()
@reports_errors
def verify() -> None:
    """Check the chain (every hash, every link, the head) and the credits' invariants (no overlaps…)."""
    run_verify("audit verify")
