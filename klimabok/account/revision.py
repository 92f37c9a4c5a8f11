"""A year's data revision: a token the database changes whenever anything a year's account reads changes.

An account is computed from many tables (entries, ledger imports and their lines and postings,
overrides, coverage rules, sites, the organisation and its climate partner's sector choices, imported
factor datasets) written by many services, by bulk inserts, by PostgreSQL's COPY and by hand in a
database shell. A cache that trusted every writer to say "changed" would show stale figures the day
one of them forgot. So the database says it: triggers on every one of those tables set
``inventory_reportingyear.data_revision`` of each year the written rows belong to, and any update of
the year's own row sets it too. The account cache (:mod:`klimabok.account.cache`) keys a year's
account by that token, read fresh from the database for every request.

The token is not a counter but a value that never comes back: a random 64-bit integer on SQLite
(``random()``), the next value of a sequence on PostgreSQL (``nextval`` is never rolled back). A
counter would come back after a rollback: a request that computed an account inside a transaction
that then rolled back would have kept it under ``n + 1``, and the next real change, also ``n + 1``,
would find it. And because the year's own trigger sets a fresh token on *every* update of the row, a
``save()`` of a year object read before a change (its token in memory stale) cannot put an old token
back.

Triggers are (re)installed after every ``migrate`` (:func:`install`, connected to ``post_migrate``):
Django rebuilds a SQLite table to alter it, and a rebuilt table has lost its triggers; a test checks
that every table the account reads has them (``tests/web/test_data_revision.py``).

- PostgreSQL: statement-level triggers with transition tables, so a COPY of 100,000 spend lines
  sets the year's token once, not 100,000 times.
- SQLite: row-level triggers (SQLite has no others), about 1 µs a row.
"""

# ruff: noqa: S608 -- every name in this module's SQL is one of its own constants (table, column and
# trigger names); no value from outside reaches it.
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from klimabok.inventory.models import ReportingYear

YEAR_TABLE = "inventory_reportingyear"
SEQUENCE = "klimabok_data_revision"
PREFIX = "klimabok_rev_"
OPEN_YEARS = f"SELECT id FROM {YEAR_TABLE} WHERE status = 'open'"
CONFIRMED = "status = 'confirmed'"


@dataclass(frozen=True)
class Watched:
    """A table the account reads: ``years`` selects the ids of the years its rows ``{rows}`` belong
    to; ``columns`` are the row columns ``years`` uses (SQLite reads them as ``NEW.<column>``)."""

    table: str
    columns: tuple[str, ...]
    years: str
    #: SQLite only: a condition on the row (``{side}`` is NEW or OLD) without which its trigger does
    #: nothing, checked before the UPDATE is even run (a posting written by a worker costs a lookup,
    #: not an UPDATE with subqueries)
    guard: str = ""


def _direct(table: str) -> Watched:
    return Watched(table, ("reporting_year_id",), "SELECT reporting_year_id FROM {rows}")


def _of_organisations(table: str, column: str) -> Watched:
    return Watched(table, (column,),
                   f"SELECT id FROM {YEAR_TABLE} WHERE organisation_id IN (SELECT {column} FROM {{rows}})")


#: An imported factor dataset changes the catalogue of every open year (closed years pinned theirs); an
#: archived one (kept for a closed year, written while that year's row is locked) changes none. Were an
#: archive to touch every open year, two years closing at once would each wait for the other's row.
IMPORTED_DATASET = "kind = 'import'"


#: Every table an account reads (klimabok.account.read_models), and whose years a write to it changes.
WATCHED: tuple[Watched, ...] = (
    _direct("inventory_activityentry"),
    _direct("ledger_ledgerimport"),
    _direct("ledger_spendoverride"),
    _direct("ledger_spendcoveragerule"),
    # Only a confirmed import's lines and postings count (ledger.read_models); its confirmation, and
    # any later change of its status, is a write to the import. So the lines and postings a worker
    # writes while it reads a file (100,000 on SQLite, a row trigger each) touch no year.
    Watched("ledger_spendline", ("ledger_import_id",),
            f"SELECT reporting_year_id FROM ledger_ledgerimport"
            f" WHERE id IN (SELECT ledger_import_id FROM {{rows}}) AND {CONFIRMED}",
            guard="(SELECT status FROM ledger_ledgerimport"
                  " WHERE id = {side}.ledger_import_id) = 'confirmed'"),
    Watched("ledger_posting", ("spend_line_id",),
            f"SELECT i.reporting_year_id FROM ledger_ledgerimport i JOIN ledger_spendline l"
            f" ON l.ledger_import_id = i.id WHERE l.id IN (SELECT spend_line_id FROM {{rows}})"
            f" AND i.{CONFIRMED}",
            guard="(SELECT i.status FROM ledger_spendline l JOIN ledger_ledgerimport i"
                  " ON i.id = l.ledger_import_id WHERE l.id = {side}.spend_line_id) = 'confirmed'"),
    # a line names its entry's site; the year's catalogue follows the organisation's climate partner
    _of_organisations("inventory_site", "organisation_id"),
    _of_organisations("accounts_organisation", "id"),
    Watched("ledger_spendsectorchoice", ("partner_id",),
            f"SELECT y.id FROM {YEAR_TABLE} y JOIN accounts_organisation o ON o.id = y.organisation_id"
            " WHERE o.partner_id IN (SELECT partner_id FROM {rows})"),
    Watched("factors_storeddataset", ("kind",),
            f"{OPEN_YEARS} AND EXISTS (SELECT 1 FROM {{rows}} WHERE {IMPORTED_DATASET})"),
    Watched("factors_storedfactor", ("dataset_id",),
            f"{OPEN_YEARS} AND EXISTS (SELECT 1 FROM factors_storeddataset"
            f" WHERE id IN (SELECT dataset_id FROM {{rows}}) AND {IMPORTED_DATASET})"),
)

EVENTS = ("INSERT", "UPDATE", "DELETE")


def trigger_names() -> list[str]:
    """Every trigger :func:`install` makes (the same names on both databases)."""
    return [f"{PREFIX}year", *(f"{PREFIX}{w.table}_{event.lower()}" for w in WATCHED for event in EVENTS)]


def _sqlite_rows(watched: Watched, which: str) -> str:
    # One row as a table: "(SELECT NEW.ledger_import_id AS ledger_import_id)"
    return "(SELECT " + ", ".join(f"{which}.{c} AS {c}" for c in watched.columns) + ")"


def _sqlite(watched: Watched, event: str) -> list[str]:
    name = f"{PREFIX}{watched.table}_{event.lower()}"
    sides = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}[event]
    body = " ".join(f"UPDATE {YEAR_TABLE} SET data_revision = random() WHERE id IN "
                    f"({watched.years.format(rows=_sqlite_rows(watched, side))});" for side in sides)
    when = (" WHEN " + " OR ".join(f"({watched.guard.format(side=side)})" for side in sides)
            if watched.guard else "")
    return [f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {event} ON {watched.table} FOR EACH ROW{when} BEGIN {body} END"]


def _postgres(watched: Watched, event: str) -> list[str]:
    name = f"{PREFIX}{watched.table}_{event.lower()}"
    tables = {"INSERT": ("new_rows",), "UPDATE": ("old_rows", "new_rows"), "DELETE": ("old_rows",)}[event]
    years = " UNION ".join(watched.years.format(rows=t) for t in tables)
    referencing = " ".join(f"{'OLD' if t == 'old_rows' else 'NEW'} TABLE AS {t}" for t in tables)
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"UPDATE {YEAR_TABLE} SET data_revision = 0 WHERE id IN ({years}); RETURN NULL; END $$",
        f"CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {watched.table} REFERENCING {referencing}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ]


def _year_statements(vendor: str, columns: Sequence[str]) -> list[str]:
    name = f"{PREFIX}year"
    if vendor == "postgresql":
        return [
            f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}",
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"NEW.data_revision := nextval('{SEQUENCE}'); RETURN NEW; END $$",
            f"CREATE OR REPLACE TRIGGER {name} BEFORE UPDATE ON {YEAR_TABLE}"
            f" FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    # AFTER UPDATE, then its own UPDATE: SQLite does not fire a trigger from within itself
    # (recursive_triggers is off), and a BEFORE trigger cannot change NEW there. OF every column but the
    # revision: the watched tables' triggers set only the revision (one write, not two, a spend line),
    # and a save() from Django names every column, so a stale token it writes is replaced all the same.
    changed = ", ".join(c for c in columns if c != "data_revision")
    return [f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER UPDATE OF {changed} ON {YEAR_TABLE} FOR EACH ROW BEGIN "
            f"UPDATE {YEAR_TABLE} SET data_revision = random() WHERE id = NEW.id; END"]


def statements(vendor: str, year_columns: Sequence[str]) -> list[str]:
    """The SQL that installs every trigger on ``vendor`` ("sqlite" or "postgresql"), idempotently;
    ``year_columns``: the columns of the year's table."""
    if vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(
            f"klimabok's data revision triggers are written for SQLite and PostgreSQL, not {vendor}")
    make = _postgres if vendor == "postgresql" else _sqlite
    return [*_year_statements(vendor, year_columns),
            *(sql for w in WATCHED for event in EVENTS for sql in make(w, event))]


def install(connection: BaseDatabaseWrapper) -> None:
    """Install the triggers on ``connection``'s database (after its tables exist)."""
    tables = set(connection.introspection.table_names())
    needed = {YEAR_TABLE, *(w.table for w in WATCHED)}
    if not needed <= tables:  # a partial migrate (``migrate inventory 0005``): the next full one installs
        return
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, YEAR_TABLE)]
        for sql in statements(connection.vendor, columns):
            cursor.execute(sql)


def install_after_migrate(using: str = "default", **_kwargs: Any) -> None:
    """``post_migrate`` receiver: install the triggers on the database just migrated."""
    install(connections[using])


def installed(connection: BaseDatabaseWrapper) -> set[str]:
    """The names of the data revision triggers present in ``connection``'s database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", [f"{PREFIX}%"])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                           [f"{PREFIX}%"])
        return {row[0] for row in cursor.fetchall()}


def revisions(year_ids: Iterable[int]) -> dict[int, int]:
    """The current data revision of each year (one query)."""
    ids = list(year_ids)
    if not ids:
        return {}
    return dict(ReportingYear.objects.filter(pk__in=ids).values_list("pk", "data_revision"))
