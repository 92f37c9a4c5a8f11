"""Upgrading a database whose credits ledger already holds events: the audit trail takes those rows over
as they are (same ids, same hashes, ``hash_format`` 1), the chain still verifies, and the next event
links to the last old one."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor

from klimabok.audit.hashing import GENESIS
from klimabok.audit.kinds import Kind
from klimabok.audit.models import Event
from klimabok.audit.read_models import verify_chain
from klimabok.audit.services import record_event

BEFORE = [("credits", "0003_ledger_outlives_what_it_mentions")]


def migrate(targets: list[tuple[str, str | None]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest() -> list[tuple[str, str | None]]:
    executor = MigrationExecutor(connection)
    leaves: list[tuple[str, str | None]] = executor.loader.graph.leaf_nodes()
    return leaves


def legacy_hash(previous: str, payload: dict[str, object], kind: str, created_at: str, actor: str) -> str:
    """The credits ledger's formula before the audit trail (``hash_format`` 1)."""
    text = previous + json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((text + kind + created_at + actor).encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_the_credits_ledger_rows_become_the_audit_trail_unchanged() -> None:
    migrate([("audit", None), *BEFORE])
    moments = [datetime(2025, 3, 1, 12, 0, i, 250_000, tzinfo=UTC) for i in range(2)]
    rows, previous = [], GENESIS
    events: list[tuple[str, dict[str, object], datetime]] = [
        ("block_added", {"block": 1, "quantity": 425}, moments[0]),
        ("screened", {"block": 1, "status": "offered"}, moments[1])]
    for kind, payload, moment in events:
        stamp = moment.isoformat(timespec="microseconds")
        digest = legacy_hash(previous, payload, kind, stamp, "petra@klimapartner.no")
        rows.append((kind, moment, "petra@klimapartner.no", json.dumps(payload), previous, digest))
        previous = digest
    with connection.cursor() as cursor:
        for row in rows:
            cursor.execute("INSERT INTO credits_ledgerevent (kind, created_at, actor_label, payload, "
                           "previous_hash, hash) VALUES (%s, %s, %s, %s, %s, %s)", list(row))
        cursor.execute("INSERT INTO credits_ledgerhead (id, hash, length) VALUES (1, %s, 2)", [previous])

    migrate(latest())

    old = list(Event.objects.order_by("pk"))
    assert [(e.kind, e.hash, e.hash_format, e.subject) for e in old] == [
        ("block_added", rows[0][5], 1, ""), ("screened", rows[1][5], 1, "")]
    assert verify_chain().ok
    with transaction.atomic():
        new = record_event(organisation=None, actor=None, kind=Kind.FACTORS_DATASET_ARCHIVED,
                           subject="dataset:nve-electricity@2023", payload={"dataset": "nve-electricity"})
    assert (new.previous_hash, new.hash_format) == (rows[1][5], 2)
    result = verify_chain()
    assert (result.ok, result.count, result.head_hash) == (True, 3, new.hash)


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_is_not_reversed_once_the_trail_has_new_events() -> None:
    """Reversing would give the credits ledger events it cannot verify: refused, nothing changed."""
    with transaction.atomic():
        event = record_event(organisation=None, actor=None, kind=Kind.FACTORS_DATASET_ARCHIVED,
                             subject="dataset:nve-electricity@2023", payload={"dataset": "nve-electricity"})
    try:
        with pytest.raises(IrreversibleError, match=r"audit\.0001 cannot be reversed: the audit trail holds "
                                                    r"events of hash format 2"):
            migrate([("audit", None), *BEFORE])
        assert list(Event.objects.values_list("hash", flat=True)) == [event.hash]
        assert verify_chain().ok
    finally:
        # Migrations after credits.0003 that depend on nothing of the audit app's were reversed before the
        # refusal (each migration is its own transaction): put them back for the tests after this one.
        migrate(latest())
