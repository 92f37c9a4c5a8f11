"""Serial-range arithmetic: overlap, split, and a holding's reservations and retirements.

A :class:`Holding` is one block the climate partner holds, partitioned into
contiguous :class:`SubRange` s, each available, reserved for an order, or
retired. Every operation returns a *new* holding (nothing mutates) and keeps
the invariants :func:`check_invariants` verifies:

- the sub-ranges are in serial order and partition the block exactly — no gap,
  no overlap, nothing outside it;
- available + reserved + retired = the block's quantity;
- neighbours differ in state (adjacent ranges with the same state are merged),
  so a holding has one normal form and can be compared with ``==``.

Reservation takes the lowest available serials, so what an order gets is
predictable and a holding fragments as little as possible. Nothing is ever
renumbered: a sub-range's serial is the block's, cut (:meth:`SerialBlock.sub_block`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from klimabok.core.credits.serials import SerialBlock
from klimabok.core.errors import KlimabokError
from klimabok.core.messages import Message, message


class CreditError(KlimabokError):
    """An operation on credits that the holding's state does not allow; nothing was changed."""


class NotEnoughCredits(CreditError):
    """A reservation asked for more credits than are available."""


class AlreadyRetired(CreditError):
    """A retirement (or release) of credits that are already retired."""


class Status(StrEnum):
    AVAILABLE = "available"
    RESERVED = "reserved"
    RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class SubRange:
    """Serials ``start``…``end`` of a holding in one state; ``order_id`` for reserved and retired ones."""

    start: int
    end: int
    status: Status = Status.AVAILABLE
    order_id: str | None = None
    retirement_id: str | None = None

    @property
    def quantity(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True, slots=True)
class Holding:
    """A held :class:`SerialBlock` and the states of its sub-ranges (in serial order)."""

    block: SerialBlock
    ranges: tuple[SubRange, ...]

    @classmethod
    def of(cls, block: SerialBlock) -> Holding:
        """A new holding: the whole block available."""
        return cls(block, (SubRange(block.start, block.end),))

    def quantity_in(self, status: Status, order_id: str | None = None) -> int:
        """Credits in ``status`` (for ``order_id`` only, when given)."""
        return sum(r.quantity for r in self.ranges
                   if r.status == status and (order_id is None or r.order_id == order_id))

    @property
    def available(self) -> int:
        return self.quantity_in(Status.AVAILABLE)

    @property
    def reserved(self) -> int:
        return self.quantity_in(Status.RESERVED)

    @property
    def retired(self) -> int:
        return self.quantity_in(Status.RETIRED)

    def ranges_of(self, order_id: str) -> tuple[SubRange, ...]:
        """The order's sub-ranges in this holding, reserved or retired."""
        return tuple(r for r in self.ranges if r.order_id == order_id)

    def serial_block(self, sub_range: SubRange) -> SerialBlock:
        """The sub-range as a serial block of its own, with its registry-style serial."""
        return self.block.sub_block(sub_range.start, sub_range.end)


def overlaps(a: SerialBlock, b: SerialBlock) -> bool:
    """Whether two blocks share a credit: same numbering space and intersecting ranges (symmetric)."""
    return a.identity == b.identity and a.start <= b.end and b.start <= a.end


def find_overlaps(block: SerialBlock, existing: Iterable[SerialBlock]) -> list[SerialBlock]:
    """The blocks of ``existing`` that share a credit with ``block``, in the order given."""
    return [other for other in existing if overlaps(block, other)]


#: A split: the part before the range (or None), the range, the part after (or None).
Split = tuple[SerialBlock | None, SerialBlock, SerialBlock | None]


def overlapping_pairs(blocks: Iterable[SerialBlock]) -> list[tuple[SerialBlock, SerialBlock]]:
    """Pairs of blocks sharing a credit, found in one sorted sweep (n log n, for whole registries).

    Each block that overlaps an earlier one (in serial order) appears once as
    the second of a pair, with the earlier block reaching furthest; so the
    list is empty exactly when no two blocks overlap.
    """
    pairs: list[tuple[SerialBlock, SerialBlock]] = []
    reach: SerialBlock | None = None  # the block reaching furthest so far in the current numbering space
    for block in sorted(blocks, key=lambda b: (b.identity, b.start, b.end)):
        if reach is not None and overlaps(reach, block):
            pairs.append((reach, block))
        if reach is None or reach.identity != block.identity or block.end > reach.end:
            reach = block
    return pairs


def split(block: SerialBlock, start: int, end: int) -> Split:
    """``block`` cut around ``start``…``end`` into (before, range, after); never renumbered."""
    middle = block.sub_block(start, end)
    before = block.sub_block(block.start, start - 1) if start > block.start else None
    after = block.sub_block(end + 1, block.end) if end < block.end else None
    return before, middle, after


def reserve(holding: Holding, quantity: int, order_id: str) -> tuple[Holding, tuple[SubRange, ...]]:
    """Reserve ``quantity`` credits for ``order_id`` from the lowest available serials.

    Returns the new holding and the sub-ranges reserved by this call (contiguous
    runs, in serial order). Raises :class:`NotEnoughCredits` — and changes
    nothing — when fewer are available.
    """
    if quantity <= 0:
        raise CreditError(message("a reservation needs a positive number of credits, not %(quantity)s",
                                  quantity=quantity))
    if quantity > holding.available:
        raise NotEnoughCredits(message("%(requested)s credits requested but only %(available)s available in "
                                       "%(serial)s", requested=quantity, available=holding.available,
                                       serial=holding.block.raw))
    ranges: list[SubRange] = []
    taken: list[SubRange] = []
    wanted = quantity
    for r in holding.ranges:
        if r.status != Status.AVAILABLE or wanted == 0:
            ranges.append(r)
            continue
        cut = min(wanted, r.quantity)
        reserved = SubRange(r.start, r.start + cut - 1, Status.RESERVED, order_id)
        taken.append(reserved)
        ranges.append(reserved)
        if cut < r.quantity:
            ranges.append(SubRange(r.start + cut, r.end))
        wanted -= cut
    return replace(holding, ranges=_merged(ranges)), tuple(taken)


def release(holding: Holding, order_id: str) -> Holding:
    """Make the order's reserved credits available again (a cancelled order).

    A holding without the order's reservations is returned unchanged. Raises
    :class:`AlreadyRetired` when the order's credits here are retired: those
    can never come back.
    """
    if holding.quantity_in(Status.RETIRED, order_id):
        raise AlreadyRetired(message("order %(order)s is already retired in %(serial)s; retired credits "
                                     "cannot be released", order=order_id, serial=holding.block.raw))
    ranges = [SubRange(r.start, r.end) if r.status == Status.RESERVED and r.order_id == order_id else r
              for r in holding.ranges]
    return replace(holding, ranges=_merged(ranges))


def retire(holding: Holding, order_id: str, retirement_id: str) -> Holding:
    """Mark the order's reserved credits retired under ``retirement_id`` (the registry retirement).

    Raises :class:`AlreadyRetired` when the order's credits here are retired
    already, and :class:`CreditError` when the order has nothing reserved here.
    """
    if holding.quantity_in(Status.RETIRED, order_id):
        raise AlreadyRetired(message("order %(order)s is already retired in %(serial)s; credits are retired "
                                     "only once", order=order_id, serial=holding.block.raw))
    if not holding.quantity_in(Status.RESERVED, order_id):
        raise CreditError(message("order %(order)s has no credits reserved in %(serial)s", order=order_id,
                                  serial=holding.block.raw))
    ranges = [replace(r, status=Status.RETIRED, retirement_id=retirement_id)
              if r.status == Status.RESERVED and r.order_id == order_id else r for r in holding.ranges]
    return replace(holding, ranges=_merged(ranges))


def take_lowest(free: Sequence[SubRange], quantity: int,
                order_id: str) -> tuple[tuple[SubRange, ...], tuple[SubRange, ...]]:
    """The lowest ``quantity`` serials of a block's available sub-ranges ``free`` reserved for ``order_id``.

    Returns (what is left available, the sub-ranges reserved), both in serial
    order: the same cut as :func:`reserve` makes on the whole holding, computed
    from the available sub-ranges only (a block's reserved and retired ones are
    never read nor rewritten, however many there are). A reserved sub-range
    starts where an available one started; what is left of that one starts
    after it. Raises :class:`NotEnoughCredits` — nothing taken — when ``free``
    holds fewer, and :class:`CreditError` for a sub-range that is not available.
    """
    if quantity <= 0:
        raise CreditError(message("a reservation needs a positive number of credits, not %(quantity)s",
                                  quantity=quantity))
    ordered = sorted(free, key=lambda r: r.start)
    if any(r.status != Status.AVAILABLE for r in ordered):
        raise CreditError(message("only available credits can be reserved"))
    held = sum(r.quantity for r in ordered)
    if quantity > held:
        raise NotEnoughCredits(message("%(requested)s credits requested but only %(available)s available",
                                       requested=quantity, available=held))
    left: list[SubRange] = []
    taken: list[SubRange] = []
    wanted = quantity
    for r in ordered:
        cut = min(wanted, r.quantity)
        if cut:
            taken.append(SubRange(r.start, r.start + cut - 1, Status.RESERVED, order_id))
        if cut < r.quantity:
            left.append(SubRange(r.start + cut, r.end))
        wanted -= cut
    return tuple(left), tuple(taken)


def released(reserved: SubRange, before: SubRange | None, after: SubRange | None) -> SubRange:
    """The available sub-range a released ``reserved`` one becomes, joined with its available neighbours.

    ``before`` ends right before it and ``after`` starts right after it (each
    None when that neighbour is not available): the holding stays in its
    normal form without reading any other sub-range of the block. Raises
    :class:`CreditError` for a sub-range that is not reserved (retired credits
    never come back) and for a neighbour that does not touch it or is not available.
    """
    if reserved.status != Status.RESERVED:
        raise CreditError(message("only reserved credits can be released"))
    for neighbour, touches in ((before, before is not None and before.end + 1 == reserved.start),
                               (after, after is not None and reserved.end + 1 == after.start)):
        if neighbour is not None and (not touches or neighbour.status != Status.AVAILABLE):
            raise CreditError(message("sub-range %(start)s–%(end)s is not an available neighbour",
                                      start=neighbour.start, end=neighbour.end))
    return SubRange(before.start if before else reserved.start, after.end if after else reserved.end)


def check_invariants(holding: Holding) -> list[Message]:
    """What is wrong with ``holding`` (empty when nothing): gaps, overlaps, counts, states, normal form."""
    problems: list[Message] = []
    block = holding.block
    serial = block.raw
    if block.end < block.start:
        problems.append(message("%(serial)s: the block ends before it starts", serial=serial))
    expected_start = block.start
    for r in holding.ranges:
        if r.end < r.start:
            problems.append(message("%(serial)s: sub-range %(start)s–%(end)s ends before it starts",
                                    serial=serial, start=r.start, end=r.end))
        if r.start > expected_start:
            problems.append(message("%(serial)s: gap %(start)s–%(end)s belongs to no sub-range",
                                    serial=serial, start=expected_start, end=r.start - 1))
        elif r.start < expected_start:
            problems.append(message("%(serial)s: sub-range %(start)s–%(end)s overlaps the one before or lies "
                                    "outside the block", serial=serial, start=r.start, end=r.end))
        problems += _state_problems(r, serial)
        expected_start = max(expected_start, r.end + 1)
    if expected_start != block.end + 1:
        problems.append(message("%(serial)s: the sub-ranges end at %(last)s, the block at %(end)s",
                                serial=serial, last=expected_start - 1, end=block.end))
    counted = holding.available + holding.reserved + holding.retired
    if counted != block.quantity:
        problems.append(message("%(serial)s: available + reserved + retired = %(counted)s, not the block's "
                                "%(quantity)s", serial=serial, counted=counted, quantity=block.quantity))
    for left, right in zip(holding.ranges, holding.ranges[1:], strict=False):
        if _state(left) == _state(right) and left.end + 1 == right.start:
            problems.append(message("%(serial)s: adjacent sub-ranges %(left)s and %(right)s have the same "
                                    "state and should be one", serial=serial, left=f"{left.start}–{left.end}",
                                    right=f"{right.start}–{right.end}"))
    return problems


def _state_problems(r: SubRange, serial: str) -> list[Message]:
    where = f"{r.start}–{r.end}"
    if r.status == Status.AVAILABLE and (r.order_id or r.retirement_id):
        return [message("%(serial)s: available sub-range %(range)s names an order or retirement",
                        serial=serial, range=where)]
    if r.status != Status.AVAILABLE and not r.order_id:
        return [message("%(serial)s: %(status)s sub-range %(range)s names no order", serial=serial,
                        status=str(r.status), range=where)]
    if (r.status == Status.RETIRED) != bool(r.retirement_id):
        return [message("%(serial)s: sub-range %(range)s: a retirement reference belongs to retired credits "
                        "only, and every retired credit has one", serial=serial, range=where)]
    return []


def _state(r: SubRange) -> tuple[Status, str | None, str | None]:
    return r.status, r.order_id, r.retirement_id


def _merged(ranges: list[SubRange]) -> tuple[SubRange, ...]:
    """Adjacent sub-ranges in the same state joined into one (the holding's normal form)."""
    out: list[SubRange] = []
    for r in ranges:
        if out and _state(out[-1]) == _state(r) and out[-1].end + 1 == r.start:
            out[-1] = replace(out[-1], end=r.end)
        else:
            out.append(r)
    return tuple(out)
