"""Writing the audit trail: :func:`record_event` is its only writer.

Call it inside the transaction that makes the change, so an event exists exactly
when its change was committed: it locks the chain's single head row
(``select_for_update``; on SQLite the IMMEDIATE transaction already holds the
write lock) until that transaction ends, so concurrent writers queue instead of
forking the chain — and the database refuses two events with one ``previous_hash``.
Record the event as the transaction's last write: the lock is then held for the
shortest time, and no writer waits for a row another holds while holding the chain.
On PostgreSQL the lock, the insert and the head's move are one statement, the hash
computed by the database from the canonical text cut where ``previous_hash`` goes
(:func:`klimabok.audit.hashing.around_previous_hash`): the same hash ``verify_chain``
recomputes. Without a head row yet (a new database) it takes the general path below.
A writer that records several events between its inserts (archiving factor datasets)
takes :func:`lock_chain` before its first insert instead, so the lock order is the
same for every writer. Outside a transaction :func:`record_event` refuses to run.

Kinds (:class:`klimabok.audit.kinds.Kind`; any other is refused), each with who
(``actor``, None for the system or the CLI), when (``created_at``, set here) and
what (``subject`` and ``payload``):

``credits.*``  ``block_imported``, ``block_added``, ``screened``, ``price_set``, ``policy_changed``,
               ``reserved``, ``released``, ``split``, ``retired``, ``certificate_issued``,
               ``certificate_revoked`` (their first names, kept: the kind is hashed);
               subjects ``block:<pk>``, ``order:<pk>``, ``policy:<partner slug>``, ``certificate:<number>``;
``year.*``     ``year.closed``, ``year.reopened``, ``year.recalculated``, ``year.scope3_screened`` (the
               categories whose scope 3 screening changed, before and after); subject
               ``year:<org slug>/<year>``;
``spend.*``    ``spend.override_set``, ``spend.override_removed``; subject ``year:<org slug>/<year>``, the
               override's key and figures in the payload;
``factors.*``  ``factors.dataset_imported``, ``factors.dataset_archived``; subject ``dataset:<id>@<version>``,
               organisation None (the library is everyone's).
``plans.*``    ``plans.target_saved``, ``plans.target_recalculated`` (old and new base value, reason),
               ``plans.goal_saved``, ``plans.measure_saved``, ``plans.measure_note_added``,
               ``plans.measure_evidence_added``, ``plans.scenario_saved``, ``plans.wheel_task_saved``,
               ``plans.wheel_task_done``, ``plans.wheel_task_undone``; subject ``measure:<org slug>/<pk>``
               (``target``, ``goal``, ``scenario``, ``wheel``), what changed as ``{field: [old, new]}``.

For example, closing a year (``klimabok/account/services.py``)::

    record_event(organisation=year.organisation, actor=user, kind=Kind.YEAR_CLOSED,
                 subject=subject_of("year", year.organisation.slug, year.year),
                 payload={"total_t_co2e": total, "factor_datasets": refs})

A payload is a JSON object of str, int, bool, None, ``Decimal`` (stored as a
string), lists and objects — never a float.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from klimabok.accounts.models import Organisation, User
from klimabok.audit.hashing import FORMAT, GENESIS, around_previous_hash, canonical, hash_of
from klimabok.audit.kinds import Kind
from klimabok.audit.models import ChainHead, Event


def subject_of(area: str, *parts: object) -> str:
    """An event's subject: ``subject_of("year", "nordlys", 2025)`` = ``"year:nordlys/2025"``."""
    return f"{area}:{'/'.join(str(p) for p in parts)}"


def lock_chain() -> ChainHead:
    """Take the chain's write lock now, held until the caller's transaction ends (call inside one).

    For a writer that must decide something under the same lock its event will be
    appended under (a certificate's number), before :func:`record_event`.
    """
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"hash": GENESIS})
    return head


def record_event(*, organisation: Organisation | None, actor: User | None, kind: str, subject: str,
                 payload: Mapping[str, Any]) -> Event:
    """Append one event after the chain's head and return it (saved, with its hash).

    Raises ``ValueError`` for a kind that is not a :class:`~klimabok.audit.kinds.Kind`
    and ``TypeError`` for a float in ``payload``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event runs inside the transaction of the change it records")
    known = Kind(kind)
    plain = json.loads(canonical(dict(payload)))  # stored exactly as hashed
    event = Event(kind=known.value, created_at=timezone.now(), actor=actor,
                  actor_label=actor.email if actor is not None else "", organisation=organisation,
                  subject=subject, payload=plain, previous_hash="", hash_format=FORMAT)
    if connection.vendor == "postgresql" and _append(event):
        return event
    # No savepoint (two round trips an event): an event that cannot be appended ends the caller's
    # transaction, so the change it records is never committed without it.
    with transaction.atomic(savepoint=False):
        head = lock_chain()
        event.previous_hash = head.hash
        event.hash = hash_of(event)
        event.save()
        ChainHead.objects.filter(pk=1).update(hash=event.hash, length=head.length + 1)
    return event


def _append(event: Event) -> bool:
    """Lock the head, chain ``event`` after it and move the head to it: one statement, one round trip.

    The database computes the hash under the head's lock (``sha256(before + head + after)``,
    :func:`~klimabok.audit.hashing.around_previous_hash`): exactly :func:`hash_of`, which
    ``verify_chain`` recomputes. False (nothing written) when the chain has no head row yet.
    """
    before, after = around_previous_hash(event)
    fields = [f for f in Event._meta.concrete_fields
              if not f.primary_key and f.attname not in ("previous_hash", "hash")]
    values = [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    head = quote(ChainHead._meta.db_table)
    # Table and column names from the models' metadata, every value a parameter.
    sql = (f"WITH head AS (SELECT hash FROM {head} WHERE id = 1 FOR UPDATE), "  # noqa: S608
           f"appended AS (INSERT INTO {quote(Event._meta.db_table)} ({columns}, previous_hash, hash) "
           f"SELECT {', '.join(['%s'] * len(values))}, head.hash, "
           "encode(sha256(convert_to(%s || head.hash || %s, 'UTF8')), 'hex') FROM head "
           "RETURNING id, previous_hash, hash) "
           f"UPDATE {head} SET hash = appended.hash, length = {head}.length + 1 FROM appended "
           f"WHERE {head}.id = 1 RETURNING appended.id, appended.previous_hash, appended.hash")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, before, after])
        row = cursor.fetchone()
    if row is None:
        return False
    event.pk, event.previous_hash, event.hash = row
    event._state.adding = False
    return True
