"""The audit trail's rows: :class:`Event` (append-only, hash-chained) and :class:`ChainHead`.

Written only by :func:`klimabok.audit.services.record_event`; re-checked by
:func:`klimabok.audit.read_models.verify_chain` (``klimabok audit verify``).

What the database enforces (migration 0001): one event per ``previous_hash`` (the
chain cannot fork) and unique hashes on both backends; PostgreSQL: a trigger
refuses UPDATE and DELETE of events; SQLite: a trigger refuses UPDATE, and DELETE
of every event but the oldest one stored — the test suite's flush deletes all rows
oldest first; a tamperer who deletes from the front is seen by ``verify_chain``
(the first event no longer follows the genesis hash, the head's length disagrees).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from klimabok.accounts.models import Organisation


class Event(models.Model):
    """One event: who (``actor``, ``actor_label``), when (``created_at``), what (``kind``, ``subject``,
    ``payload``).

    ``hash`` chains it to the event before it (``previous_hash``); ``hash_format``
    says how it was computed (:mod:`klimabok.audit.hashing`: 1 for the credits
    ledger's first events, 2 for every event since). A saved event cannot be changed
    or deleted through the ORM (``save``/``delete`` refuse) nor, on PostgreSQL,
    behind it.
    """

    kind = models.CharField(max_length=40)  #: a :class:`klimabok.audit.kinds.Kind`
    created_at = models.DateTimeField()
    # The trail outlives what it mentions: no database constraint, so deleting a user or an organisation
    # neither needs nor is blocked by a change to an event (``actor_label`` keeps who it was).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+")  #: None: the system or the CLI
    actor_label = models.CharField(max_length=254, blank=True)  #: the actor's e-mail when it happened
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.DO_NOTHING,
                                     db_constraint=False, related_name="+")  #: whose data; None: everyone's
    subject = models.CharField(max_length=200, blank=True)  #: what it is about, "year:nordlys/2025"
    payload = models.JSONField()
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    hash_format = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["previous_hash"], name="audit_event_no_fork")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.hash[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("audit events are append-only")


class ChainHead(models.Model):
    """The chain's head (one row, pk 1): appending locks it, so two writers cannot fork the chain."""

    hash = models.CharField(max_length=64)
    length = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit chain head {self.hash[:12]} ({self.length})"
