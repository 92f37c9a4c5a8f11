"""Organisations, users and memberships.

A *client* organisation is a company with a climate account. A *partner*
organisation is a climate partner: its members see and serve every client
whose ``partner`` is that organisation. Everything a user may reach is found
through :func:`klimabok.accounts.access.membership_for`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klimabok.accounts.roles import Role


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, identified by e-mail address."""

    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    def __str__(self) -> str:
        return self.name or self.email


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CLIENT = "client", _("Client company")
        PARTNER = "partner", _("Climate partner")

    class Consolidation(models.TextChoices):
        """How the inventory's boundary is drawn (GHG Protocol Corporate Standard ch. 3; ISO 14064-1 5.1)."""

        OPERATIONAL_CONTROL = "operational_control", _("Operational control")
        FINANCIAL_CONTROL = "financial_control", _("Financial control")
        EQUITY_SHARE = "equity_share", _("Equity share")

    class IdentifierScheme(models.TextChoices):
        """The entity identifier schemes the EFRAG VSME template lists (its "Enumeration Lists" sheet)."""

        LEI = "LEI", "LEI"
        DUNS = "DUNS", "DUNS"
        EUID = "EU ID", "EU ID"
        PERMID = "PermID", "PermID"

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    org_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="NO")
    #: "" = not recorded: the reports say operational control, the GHG Protocol's usual choice
    consolidation = models.CharField(_("consolidation approach"), max_length=20, blank=True,
                                     choices=Consolidation.choices)
    #: the identifier of the VSME report's entity (and of an iXBRL report's contexts)
    identifier_scheme = models.CharField(_("identifier scheme"), max_length=10, blank=True,
                                         choices=IdentifierScheme.choices)
    identifier = models.CharField(_("identifier"), max_length=40, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CLIENT)
    partner = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="clients", limit_choices_to={"kind": "partner"})
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"],
                                               name="one_membership_per_org")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class Invitation(models.Model):
    """An offer to join an organisation with a role, sent by e-mail.

    Only the SHA-256 of the link's token is stored, so a database leak does not
    hand out memberships. An invitation is used once and expires after
    ``services.INVITATION_LIFETIME`` (14 days).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.role})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
