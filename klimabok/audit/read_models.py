"""Re-checking the audit trail: :func:`verify_chain` recomputes every hash and link, read-only.

It streams the events in order (``iterator``: the chain is never held in memory
whole) and compares the last hash and the count with the chain's head, so a
missing or smuggled-in event is seen even where every link still holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from klimabok.audit.hashing import FORMAT, GENESIS, LEGACY_FORMAT, hash_of
from klimabok.audit.models import ChainHead, Event


@dataclass(frozen=True)
class Break:
    """One broken link or hash: the event (``event_id``, ``kind``) and a sentence saying what is wrong."""

    event_id: int
    kind: str
    problem: str
    shown: bool = True  #: False: an event the caller's ``shown`` hides (its details are not for them)


@dataclass
class ChainVerification:
    """What :func:`verify_chain` found: ``count`` events ending at ``head_hash``, and every break."""

    count: int = 0
    head_hash: str = GENESIS  #: the last event's hash (GENESIS for an empty chain)
    shown: int = 0  #: events the caller's ``shown`` let through
    breaks: list[Break] = field(default_factory=list)
    recorded_hash: str = GENESIS  #: what the chain's head row records
    recorded_length: int = 0

    @property
    def head_matches(self) -> bool:
        return (self.recorded_hash, self.recorded_length) == (self.head_hash, self.count)

    @property
    def ok(self) -> bool:
        return not self.breaks and self.head_matches

    @property
    def first_broken(self) -> Break | None:
        """The first event whose link or hash is broken: everything after it is suspect."""
        return self.breaks[0] if self.breaks else None

    @property
    def head_problem(self) -> str:
        """The head's disagreement in a sentence for the operator ("" when it agrees)."""
        if self.head_matches:
            return ""
        return (f"the chain ends at {self.head_hash[:12]}… after {self.count} events, but its head records "
                f"{self.recorded_hash[:12]}… after {self.recorded_length}: events are missing or were "
                "added behind the audit trail's back")


def verify_chain(shown: Callable[[Event], bool] | None = None) -> ChainVerification:
    """Recompute every event's hash and link, and compare the end of the chain with its head.

    ``shown`` (e.g. a partner's page: only their credit events) only marks which
    breaks and events are the caller's to see; the whole chain is always recomputed.
    """
    result = ChainVerification()
    previous = GENESIS
    current_seen = False  # the legacy format is the credits ledger's, taken over: only before the first new
    for event in Event.objects.order_by("pk").iterator(chunk_size=2000):
        result.count += 1
        visible = shown is None or shown(event)
        result.shown += visible
        if event.hash_format == LEGACY_FORMAT and current_seen:
            # A legacy hash covers no subject, organisation or actor id: one written (or rewritten) after
            # the trail began would let those be changed unseen.
            result.breaks.append(Break(event.pk, event.kind, (
                f"event #{event.pk} ({event.kind}): hash format {LEGACY_FORMAT} after events of format "
                f"{FORMAT}: only the credits ledger's events taken over by the audit trail use it"), visible))
        current_seen = current_seen or event.hash_format == FORMAT
        if event.previous_hash != previous:
            result.breaks.append(Break(event.pk, event.kind, (
                f"event #{event.pk} ({event.kind}): previous_hash {event.previous_hash[:12]}… does not "
                f"follow the event before it ({previous[:12]}…)"), visible))
        recomputed = hash_of(event)
        if recomputed != event.hash:
            result.breaks.append(Break(event.pk, event.kind, (
                f"event #{event.pk} ({event.kind}): its content does not match its hash {event.hash[:12]}… "
                f"(recomputed {recomputed[:12] or 'nothing: unknown hash format'}…)"), visible))
        previous = event.hash
    result.head_hash = previous
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None:
        result.recorded_hash, result.recorded_length = head.hash, head.length
    return result
