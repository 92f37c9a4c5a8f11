"""Verifying credits: the audit trail's chain and every credit holding, re-checked.

Credit events are written to the audit trail (:func:`klimabok.audit.services.record_event`,
kinds :data:`~klimabok.audit.kinds.CREDIT_KINDS`); :func:`verify` recomputes that chain with
:func:`klimabok.audit.read_models.verify_chain` and then re-checks what the events say happened:
no two blocks overlapping, each block's ranges partitioning it, every retired range retired.
``klimabok audit verify`` and the partner's credit log (``?verify=1``) both run it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from klimabok.accounts.models import Organisation
from klimabok.audit.kinds import CREDIT_KINDS, Kind
from klimabok.audit.models import Event
from klimabok.audit.read_models import ChainVerification, verify_chain
from klimabok.core.credits.blocks import check_invariants, overlapping_pairs
from klimabok.credits.holdings import holding_of, serial_block_of
from klimabok.credits.models import CreditBlock, CreditRange, Retirement


@dataclass
class Verification:
    """What ``verify`` checked (``checked``: lines for a person) and what it found broken (``problems``)."""

    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    chain: ChainVerification = field(default_factory=ChainVerification)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(partner: Organisation | None = None) -> Verification:
    """Re-compute the whole chain and re-check every holding; read-only, streams the events.

    With ``partner`` (the partner's credit log), the chain is still recomputed
    whole — one chain for everybody — but what is reported names only that
    partner's credit events and blocks: other tenants' events, serials and totals
    are counted, never shown (a broken link elsewhere is reported without details).
    """
    result = Verification()
    _verify_chain(result, partner)
    _verify_holdings(result, partner)
    return result


CERTIFICATE_KINDS = (Kind.CERTIFICATE_ISSUED, Kind.CERTIFICATE_REVOKED)


def _verify_chain(result: Verification, partner: Organisation | None = None) -> None:
    clients = (set(Organisation.objects.filter(partner=partner).values_list("pk", flat=True))
               if partner is not None else set())

    def shown(event: Event) -> bool:
        return partner is None or (event.kind in CREDIT_KINDS and (event.organisation_id == partner.pk or (
            event.organisation_id in clients and event.kind in CERTIFICATE_KINDS)))

    chain = result.chain = verify_chain(shown)
    result.problems.extend(b.problem for b in chain.breaks if b.shown)
    elsewhere = sum(not b.shown for b in chain.breaks)
    if elsewhere:
        result.problems.append(f"{elsewhere} broken link(s) in other organisations' events: the operator "
                               "sees them with 'klimabok audit verify'")
    if not chain.head_matches:
        result.problems.append(chain.head_problem if partner is None else (
            "the chain does not end at its recorded head: events are missing or were added behind the "
            "audit trail's back"))
    result.checked.append(
        f"hash chain: {chain.count} events, head {chain.head_hash[:12]}…" if partner is None
        else f"hash chain: every event recomputed, {chain.shown} of them about your credits")


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
