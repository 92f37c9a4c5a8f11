"""API tokens: a user's bearer token for one organisation, stored as its SHA-256 only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klimabok.accounts.models import Organisation


class ApiToken(models.Model):
    """A bearer token acting as ``user`` in ``organisation`` (a client, or a partner for all its clients).

    The token itself is shown once when created and never stored: a database
    leak does not hand out API access. ``revoked_at`` set = refused from then on.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"API token {self.pk} ({self.name or 'unnamed'}) of {self.user} for {self.organisation}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ActivityBatch(models.Model):
    """Activity lines posted in one API call, under the caller's ``Idempotency-Key``.

    Its lines are an :class:`~klimabok.inventory.models.Upload` of the year (deleted with it, listed
    with the year's uploads). ``body_sha256`` tells a retry (same key, same lines: the same batch) from
    a mistake (same key, other lines: refused).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    upload = models.OneToOneField("inventory.Upload", on_delete=models.CASCADE, related_name="api_batch")
    idempotency_key = models.CharField(max_length=200)
    body_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "idempotency_key"], name="api_batch_idempotency"),
        ]

    def __str__(self) -> str:
        return f"API batch {self.idempotency_key} of {self.organisation}"
