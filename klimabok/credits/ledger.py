"""The credits ledger: append-only, hash-chained events, and ``verify`` that re-checks chain and holdings.

Every change to credits (block imported or added, screened, price set, policy
changed, reserved, released, split, retired; certificate issued or revoked)
is appended with :func:`append` inside the transaction that makes the change,
so an event exists exactly when its change was committed.

``hash = sha256(previous_hash + canonical(payload) + kind + time + actor)``, where
``canonical`` is JSON with sorted keys and no insignificant whitespace and
refuses floats (amounts are strings of ``Decimal`` s), and ``time`` is the
event's UTC ISO 8601 timestamp. Appending locks the single :class:`LedgerHead`
row, so concurrent writers queue instead of forking the chain; the database
also refuses two events with the same ``previous_hash``.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from klimabok.accounts.models import Organisation, User
from klimabok.core.credits.blocks import check_invariants, overlapping_pairs
from klimabok.credits.holdings import holding_of, serial_block_of
from klimabok.credits.models import CreditBlock, CreditRange, LedgerEvent, LedgerHead, Retirement

GENESIS = "0" * 64


def canonical(payload: Any) -> str:
    """``payload`` as canonical JSON (sorted keys, compact); ``Decimal`` as a string; a float is refused."""
    return json.dumps(_plain(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        raise TypeError("ledger payloads hold no floats: use Decimal or str")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(previous_hash: str, payload: Any, kind: str, created_at: datetime, actor_label: str) -> str:
    text = previous_hash + canonical(payload) + kind + timestamp(created_at) + actor_label
    return hashlib.sha256(text.encode()).hexdigest()


def append(kind: str, payload: dict[str, Any], *, actor: User | None = None,
           organisation: Organisation | None = None) -> LedgerEvent:
    """Append one event after the chain's head (locked until the caller's transaction commits)."""
    with transaction.atomic():
        head, _ = LedgerHead.objects.select_for_update().get_or_create(pk=1, defaults={"hash": GENESIS})
        plain = json.loads(canonical(payload))  # stored exactly as hashed
        created_at = timezone.now()
        actor_label = actor.email if actor is not None else ""
        event = LedgerEvent(kind=kind, created_at=created_at, actor=actor, actor_label=actor_label,
                            organisation=organisation, payload=plain, previous_hash=head.hash,
                            hash=event_hash(head.hash, plain, kind, created_at, actor_label))
        event.save()
        head.hash, head.length = event.hash, head.length + 1
        head.save(update_fields=["hash", "length"])
    return event


@dataclass
class Verification:
    """What ``verify`` checked (``checked``: lines for a person) and what it found broken (``problems``)."""

    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(partner: Organisation | None = None) -> Verification:
    """Re-compute the whole chain and re-check every holding; read-only, streams the events.

    With ``partner`` (the partner's ledger page), the chain is still recomputed
    whole — one chain for everybody — but what is reported names only that
    partner's events and blocks: other tenants' events, serials and totals are
    counted, never shown (a broken link elsewhere is reported without details).
    """
    result = Verification()
    _verify_chain(result, partner)
    _verify_holdings(result, partner)
    return result


CERTIFICATE_KINDS = (LedgerEvent.Kind.CERTIFICATE_ISSUED, LedgerEvent.Kind.CERTIFICATE_REVOKED)


def _verify_chain(result: Verification, partner: Organisation | None = None) -> None:
    clients = (set(Organisation.objects.filter(partner=partner).values_list("pk", flat=True))
               if partner is not None else set())

    def shown(event: LedgerEvent) -> bool:
        return partner is None or event.organisation_id == partner.pk or (
            event.organisation_id in clients and event.kind in CERTIFICATE_KINDS)

    previous, count, mine, elsewhere = GENESIS, 0, 0, 0
    for event in LedgerEvent.objects.order_by("pk").iterator(chunk_size=2000):
        count += 1
        visible = shown(event)
        mine += visible
        if event.previous_hash != previous:
            if visible:
                result.problems.append(f"event #{event.pk} ({event.kind}): previous_hash "
                                       f"{event.previous_hash[:12]}… does not follow the event before it "
                                       f"({previous[:12]}…)")
            else:
                elsewhere += 1
        recomputed = event_hash(event.previous_hash, event.payload, event.kind, event.created_at,
                                event.actor_label)
        if recomputed != event.hash:
            if visible:
                result.problems.append(f"event #{event.pk} ({event.kind}): its content does not match its "
                                       f"hash {event.hash[:12]}… (recomputed {recomputed[:12]}…)")
            else:
                elsewhere += 1
        previous = event.hash
    if elsewhere:
        result.problems.append(f"{elsewhere} broken link(s) in other organisations' events: the operator "
                               "sees them with 'klimabok ledger verify'")
    head = LedgerHead.objects.filter(pk=1).first()
    head_hash, head_length = (head.hash, head.length) if head else (GENESIS, 0)
    if (head_hash, head_length) != (previous, count):
        result.problems.append(
            f"the chain ends at {previous[:12]}… after {count} events, but its head records "
            f"{head_hash[:12]}… after {head_length}: events are missing or were added behind the "
            "ledger's back"
            if partner is None else "the chain does not end at its recorded head: events are missing or were "
            "added behind the ledger's back")
    result.checked.append(f"hash chain: {count} events, head {previous[:12]}…" if partner is None
                          else f"hash chain: every event recomputed, {mine} of them about your credits")


def _ranges_by_block(partner: Organisation | None = None) -> Iterator[tuple[int, list[CreditRange]]]:
    current: int | None = None
    rows: list[CreditRange] = []
    query = CreditRange.objects.all() if partner is None else CreditRange.objects.filter(
        block__project__owner=partner)
    for row in query.order_by("block_id", "start").iterator(chunk_size=5000):
        if row.block_id != current and current is not None:
            yield current, rows
            rows = []
        current = row.block_id
        rows.append(row)
    if current is not None:
        yield current, rows


def _verify_holdings(result: Verification, partner: Organisation | None = None) -> None:
    everyone = {b.pk: b for b in CreditBlock.objects.select_related("project")}
    serials = {pk: serial_block_of(b) for pk, b in everyone.items()}
    owner_of = {id(serial): everyone[pk].project.owner_id for pk, serial in serials.items()}
    # Overlaps are checked across every partner (a serial exists once); another partner's serial is not named.
    for first, second in overlapping_pairs(serials.values()):
        if partner is None:
            result.problems.append(f"blocks overlap: {first.raw} and {second.raw}")
        elif partner.pk in (owner_of[id(first)], owner_of[id(second)]):
            names = [s.raw if owner_of[id(s)] == partner.pk else "a block of another organisation"
                     for s in (first, second)]
            result.problems.append(f"blocks overlap: {names[0]} and {names[1]}")
    blocks = everyone if partner is None else {
        pk: b for pk, b in everyone.items() if b.project.owner_id == partner.pk}
    ranges = dict(_ranges_by_block(partner))
    retirement_orders = _retirement_orders()
    counts: dict[str, int] = defaultdict(int)
    for pk, block in blocks.items():
        rows = ranges.pop(pk, [])
        for problem in check_invariants(holding_of(block, rows)):
            result.problems.append(f"block {pk}: {problem}")
        for row in rows:
            counts[row.status] += row.quantity
            if row.status == CreditRange.Status.RETIRED and (
                    row.retirement_id is None or retirement_orders.get(row.retirement_id) != row.order_id):
                result.problems.append(f"block {pk}: retired range {row.start}–{row.end} has no retirement "
                                       "of its order")
    for pk in ranges:
        result.problems.append(f"ranges of block {pk}, which does not exist")
    result.checked.append(f"blocks: {len(blocks)}, no two overlapping in one numbering space")
    result.checked.append(
        "ranges partition each block; available + reserved + retired = quantity "
        f"({counts['available']} + {counts['reserved']} + {counts['retired']} = "
        f"{sum(b.quantity for b in blocks.values())} t)")
    result.checked.append("every retired range has a retirement of its order")


def _retirement_orders() -> dict[int, int]:
    return dict(Retirement.objects.values_list("pk", "order_id"))
