"""A certificate for one recorded retirement, and what it printed.

``facts`` is the JSON snapshot of exactly what the certificate states
(:class:`~klimabok.certificates.facts.CertificateFacts`): the PDF and the
public page are rendered from it, never from the live credit rows, so a
certificate reads the same years later. ``token`` is the unguessable part of
the public verification URL (anyone holding the certificate can verify it;
nobody can list certificates). Issuing and revoking append audit-trail events
(``ledger_hash``, a name kept from when the chain held credits only, is the hash of the
"certificate issued" event).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klimabok.accounts.models import Organisation
from klimabok.certificates.facts import CertificateFacts, registry_name
from klimabok.certificates.wording import RegistryMatch
from klimabok.credits.models import Retirement


class Certificate(models.Model):
    class Language(models.TextChoices):
        NB = "nb", "Norsk bokmål"
        EN = "en", "English"

    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    token = models.CharField(max_length=43, unique=True)
    retirement = models.ForeignKey(Retirement, on_delete=models.PROTECT, related_name="certificates")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="certificates")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.NB)
    facts = models.JSONField()
    ledger_hash = models.CharField(max_length=64)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoked_ledger_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            # A retirement has at most one valid certificate; a revoked one may be replaced.
            models.UniqueConstraint(fields=["retirement"], condition=Q(revoked_at__isnull=True),
                                    name="certificates_one_valid_per_retirement"),
            models.CheckConstraint(condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                                   name="certificates_revoked_with_reason"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def certificate_facts(self, language: str | None = None) -> CertificateFacts:
        """The printed facts, in ``language`` (default: the certificate's own)."""
        return CertificateFacts.from_json(self.facts).in_language(language or self.language)

    def registry_match(self) -> RegistryMatch | None:
        """Whether the registry's own export has confirmed the retirement, read live (not frozen):
        ``None`` while it is only what the climate partner reported."""
        return registry_match_of(self.retirement)


def registry_match_of(retirement: Retirement) -> RegistryMatch | None:
    """The match of ``retirement`` against a registry export, ``None`` when it has none yet."""
    source = retirement.matched_import
    if retirement.matched_at is None or source is None:
        return None
    return RegistryMatch(registry_name(source.format), source.file_name,
                         timezone.localdate(retirement.matched_at))
