"""How an audit event is hashed: SHA-256 over canonical JSON, chained by the previous event's hash.

``canonical`` is JSON with sorted keys, no insignificant whitespace, ``Decimal``
as a string, and refuses floats (an amount must not change with its binary
rounding). An event's hash (``hash_format`` 2) is

    sha256(canonical({"format": 2, "previous_hash", "kind", "created_at", "actor",
                      "actor_id", "organisation_id", "subject", "payload"}))

with ``created_at`` as UTC ISO 8601 with microseconds and ``actor`` the actor's
e-mail ("" for the system). The credits ledger's first events (``hash_format`` 1,
written before the trail had subjects) keep the formula they were chained under:
``sha256(previous_hash + canonical(payload) + kind + created_at + actor)``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from klimabok.audit.models import Event

GENESIS = "0" * 64  #: the ``previous_hash`` of the first event
LEGACY_FORMAT, FORMAT = 1, 2


def canonical(payload: Any) -> str:
    """``payload`` as canonical JSON (sorted keys, compact); ``Decimal`` as a string; a float is refused."""
    return json.dumps(_plain(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        raise TypeError("audit payloads hold no floats: use Decimal or str")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _text(event: Event) -> str | None:
    if event.hash_format == LEGACY_FORMAT:
        return (event.previous_hash + canonical(event.payload) + event.kind + timestamp(event.created_at)
                + event.actor_label)
    if event.hash_format == FORMAT:
        return canonical({
            "format": FORMAT, "previous_hash": event.previous_hash, "kind": event.kind,
            "created_at": timestamp(event.created_at), "actor": event.actor_label, "actor_id": event.actor_id,
            "organisation_id": event.organisation_id, "subject": event.subject, "payload": event.payload})
    return None


def hash_of(event: Event) -> str:
    """The hash ``event`` must carry, from its stored fields (``hash`` itself left out)."""
    text = _text(event)
    if text is None:
        return ""  # an unknown format never matches a stored hash: verify_chain names the event
    return hashlib.sha256(text.encode()).hexdigest()


def around_previous_hash(event: Event) -> tuple[str, str]:
    """The text :func:`hash_of` hashes for a format-2 ``event``, cut where its ``previous_hash`` goes.

    ``sha256(before + previous_hash + after)`` is then the event's hash: the database computes it under
    the head's lock in the statement that appends the event (:func:`klimabok.audit.services.record_event`
    on PostgreSQL). The cut is the top-level ``"previous_hash":"…"`` — the last one, since the keys are
    sorted and ``payload`` comes before it; a string value cannot hold it (its quotes are escaped).
    """
    if event.hash_format != FORMAT:
        raise ValueError("only the current hash format is chained in the database")
    marker = "#" * 64
    text = _text(replace_previous(event, marker))
    assert text is not None
    key = f'"previous_hash":"{marker}"'
    cut = text.rindex(key) + len(key) - len(marker) - 1
    return text[:cut], text[cut + len(marker):]


def replace_previous(event: Event, previous_hash: str) -> Event:
    """A copy of ``event`` (unsaved) with another ``previous_hash``."""
    copy = Event(kind=event.kind, created_at=event.created_at, actor_id=event.actor_id,
                 actor_label=event.actor_label, organisation_id=event.organisation_id, subject=event.subject,
                 payload=event.payload, previous_hash=previous_hash, hash_format=event.hash_format)
    return copy
