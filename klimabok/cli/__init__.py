"""The ``klimabok`` console command.

File commands (``calc``, ``factors list`` without a database) call the core
directly; commands that touch the database set Django up first via
:func:`django_setup`. Every :class:`KlimabokError` becomes a one-line message
on stderr and exit status 1 — never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from typing import NoReturn, ParamSpec, TypeVar

import typer

from klimabok.core.errors import KlimabokError

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(help="klimabok — open climate accounting.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn domain errors and missing files into a clean message and exit 1."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except KlimabokError as exc:
            fail(str(exc))
        except FileNotFoundError as exc:
            fail(f"{exc.filename}: no such file")
        except IsADirectoryError as exc:
            fail(f"{exc.filename}: is a directory, not a file")

    return wrapper


def django_setup() -> None:
    """Configure Django for commands that use the database (development defaults)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klimabok.settings")
    os.environ.setdefault("KLIMABOK_DEBUG", "true")
    import django

    django.setup()


def _register() -> None:
    from klimabok.cli import (
        api,
        audit,
        calc,
        credits,
        demo,
        factors,
        imports,
        jobs,
        ledger,
        plan,
        remind,
        saft,
    )
    from klimabok.cli.export import app as export_app

    calc.register(app)
    remind.register(app)
    app.add_typer(factors.app, name="factors", help="The emission-factor library.")
    app.add_typer(demo.app, name="demo", help="The demo organisations and users.")
    app.add_typer(credits.app, name="credits", help="Carbon credits: registry exports, serials, screening.")
    app.add_typer(audit.app, name="audit", help="The audit trail: verify its hash chain and credit holdings.")
    app.add_typer(ledger.app, name="ledger", hidden=True, help="Deprecated: 'klimabok audit verify'.")
    app.add_typer(api.app, name="api-token", help="Bearer tokens for the JSON API (/api/v1/).")
    app.add_typer(saft.app, name="saft", help="SAF-T Financial files: read and summarise (no database).")
    app.add_typer(imports.app, name="import", help="Import files into a reporting year (SAF-T Financial).")
    app.add_typer(plan.app, name="plan", help="The reduction plan: targets, measures, scenarios.")
    app.add_typer(export_app, name="export", help="The auditor's bundle of a year (ZIP, SHA-256 manifest).")
    app.add_typer(jobs.app, name="jobs", help="Files the task worker made: delete old ones (daily).")


def main() -> None:
    _register()
    app(prog_name="klimabok")


if __name__ == "__main__":
    main()
