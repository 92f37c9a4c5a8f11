"""The audit trail: a good chain verifies; one tampered event (raw SQL) breaks it, named, exit 1."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import typer
from django.db import IntegrityError, connection, transaction
from typer.testing import CliRunner

from klimabok.accounts.models import Organisation
from klimabok.audit.hashing import GENESIS, canonical, hash_of
from klimabok.audit.models import Event
from klimabok.cli import audit as audit_cli
from klimabok.cli import ledger as ledger_cli
from klimabok.core.credits.registries import Project
from klimabok.credits import services, verification
from klimabok.credits.models import CompensationOrder, CreditBlock, CreditRange

SERIAL = "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"  # 425 credits

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner() -> Organisation:
    return Organisation.objects.create(
        slug="klimapartner", name="Klimapartner AS", kind=Organisation.Kind.PARTNER
    )


@pytest.fixture
def block(partner: Organisation) -> CreditBlock:
    return services.add_block(
        partner,
        SERIAL,
        425,
        Project(registry="", project_id="", name="Bale Mountains"),
        user=None,
        kind="removal",
        price=Decimal("150"),
    )


def run_verify(command: str = "audit") -> tuple[int, str]:
    cli = typer.Typer()
    cli.add_typer(audit_cli.app, name="audit")
    cli.add_typer(ledger_cli.app, name="ledger")
    result = CliRunner().invoke(cli, [command, "verify"])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def _disable_append_only() -> None:
    """What a tamperer with database access does first (rolled back with the test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SET CONSTRAINTS ALL IMMEDIATE"
            )  # no pending FK checks, so the table may be altered
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        elif connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")


def test_good_chain_verifies(block: CreditBlock) -> None:
    events = list(Event.objects.order_by("pk"))
    assert [e.kind for e in events] == ["block_added", "screened"]
    assert events[0].previous_hash == GENESIS and events[1].previous_hash == events[0].hash
    assert verification.verify().ok
    code, output = run_verify()
    assert code == 0, output
    assert "hash chain: 2 events" in output
    assert f"audit verify: OK — 2 events, head {events[1].hash}" in output
    code, output = run_verify("ledger")  # the former name still works for existing cron jobs
    assert code == 0 and "deprecated: use 'klimabok audit verify'" in output and "ledger verify: OK" in output


def test_tampered_event_is_named_and_exits_1(block: CreditBlock) -> None:
    first = Event.objects.order_by("pk").first()
    assert first is not None
    _disable_append_only()
    with connection.cursor() as cursor:
        payload = first.payload | {"quantity": 4250}
        cursor.execute(
            "UPDATE audit_event SET payload = %s WHERE id = %s", [json.dumps(payload), first.pk]
        )
    code, output = run_verify()
    assert code == 1
    assert f"event #{first.pk} (block_added): its content does not match its hash" in output
    assert f"first broken event #{first.pk} (block_added)" in output


def test_a_legacy_hash_after_the_trail_began_is_a_break(block: CreditBlock) -> None:
    """The credits ledger's format (no subject, organisation or actor id in the hash) is accepted only
    for the events taken over before the first current-format one: a tamperer who rewrites a later
    event in it, with its head, is still seen."""
    last = Event.objects.order_by("pk").last()
    assert last is not None and last.hash_format == 2
    last.hash_format = 1
    legacy = hash_of(last)
    _disable_append_only()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET hash_format = 1, hash = %s WHERE id = %s", [legacy, last.pk])
        cursor.execute("UPDATE audit_chainhead SET hash = %s", [legacy])
    code, output = run_verify()
    assert code == 1
    assert (f"event #{last.pk} (screened): hash format 1 after events of format 2: only the credits "
            "ledger's events taken over by the audit trail use it") in output


def test_events_refuse_update_and_delete(block: CreditBlock) -> None:
    event = Event.objects.first()
    assert event is not None
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    # and the database itself, behind the model's back
    with (
        pytest.raises(IntegrityError, match="audit events are append-only: UPDATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_event SET kind = 'retired' WHERE id = %s", [event.pk])


def test_floats_never_enter_the_ledger() -> None:
    with pytest.raises(TypeError, match="audit payloads hold no floats"):
        canonical({"price": 1.5})
    assert canonical({"b": Decimal("1.50"), "a": [1, "x"]}) == '{"a":[1,"x"],"b":"1.50"}'


def test_verify_finds_a_broken_partition(block: CreditBlock) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM credits_creditrange WHERE block_id = %s", [block.pk])
        cursor.execute(
            'INSERT INTO credits_creditrange (block_id, start, "end", status) VALUES (%s, %s, %s, %s)',
            [block.pk, block.serial_start, block.serial_end - 10, "available"],
        )
    result = verification.verify()
    assert not result.ok
    assert any(p.startswith(f"block {block.pk}:") and "941467421" in p for p in result.problems)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints are PostgreSQL's")
def test_postgres_refuses_an_overlapping_block_behind_the_service(block: CreditBlock,
                                                                   partner: Organisation) -> None:
    with pytest.raises(IntegrityError, match="credits_block_no_overlap"), transaction.atomic():
        CreditBlock.objects.create(
            project=block.project,
            registry="verra",
            identity="verra:VCS-VCU",
            serial_start=941467431,
            serial_end=941467500,
            quantity=70,
            raw_serial="behind-the-back",
        )

    # a serial reserved twice: the exclusion constraint covers the reserved and retired rows (credits 0009)
    client = Organisation.objects.create(slug="nordlys", name="Nordlys AS", partner=partner)
    first, second = (CompensationOrder.objects.create(client=client, partner=partner, reporting_year=2025,
                                                      tonnes=3, idempotency_key=key) for key in ("a", "b"))
    CreditRange.objects.filter(block=block).update(start=941467010)  # a cut as an order's, by hand
    CreditRange.objects.create(block=block, start=941467007, end=941467009,
                               status=CreditRange.Status.RESERVED, order=first)
    with pytest.raises(IntegrityError, match="credits_range_no_overlap"), transaction.atomic():
        CreditRange.objects.create(block=block, start=941467008, end=941467010,
                                   status=CreditRange.Status.RESERVED, order=second)
    # an available row laid over them is not sold yet: the services keep it apart, audit verify names it
    assert verification.verify().ok
    CreditRange.objects.create(block=block, start=941467008, end=941467009)
    result = verification.verify()
    assert f"block {block.pk}: {SERIAL}: sub-range 941467008–941467009 overlaps the one before or lies " \
           "outside the block" in result.problems


def test_the_database_refuses_an_overlapping_block_on_any_backend(block: CreditBlock) -> None:
    # PostgreSQL's exclusion constraint and SQLite's trigger both name the rule that refused the row
    with pytest.raises(IntegrityError, match="credits_block_no_overlap"), transaction.atomic():
        CreditBlock.objects.create(
            project=block.project,
            registry="verra",
            identity="verra:VCS-VCU",
            serial_start=941467000,
            serial_end=941467007,
            quantity=8,
            raw_serial="x",
        )
    # a range outside its block: PostgreSQL's trigger (check_violation) says where, SQLite's names the rule
    outside = (f"^credit range 941467431 to 941467440 lies outside block {block.pk}"
               if connection.vendor == "postgresql" else
               "^credits_range_no_overlap: the range overlaps another or leaves its block$")
    with pytest.raises(IntegrityError, match=outside), transaction.atomic():
        CreditRange.objects.create(block=block, start=941467431, end=941467440)
