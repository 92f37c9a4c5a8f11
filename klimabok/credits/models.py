"""Stored carbon credits: the partner's portfolio, screening, orders and retirements.

Models (all decisions are the core's, :mod:`klimabok.core.credits`; these rows persist them):

``CreditProject``     a registry project in a partner's portfolio, with the facts a client sees.
``RegistryImport``    one uploaded registry export (its SHA-256 recognises a re-upload).
``CreditBlock``       a serial block the partner holds: registry, numbering space (``identity``),
                      ``serial_start``…``serial_end`` (inclusive, BigInteger: serials exceed 2^31),
                      ``quantity`` = end − start + 1, price per tonne, screening status.
``ScreeningCheck``    one check of a block's screening, its message stored as ``{template, params}``.
``PortfolioPolicy``   the partner's screening policy (one per partner).
``CompensationOrder`` a client's order: reserves credits, later retired or cancelled.
``Retirement``        a retirement the partner recorded in the registry for an order.
``CreditRange``       one :class:`~klimabok.core.credits.blocks.SubRange` of a block's holding:
                      the rows of a block partition it; state available | reserved | retired.

Every change to credits is an event of the audit trail (:mod:`klimabok.audit`, kinds
:data:`~klimabok.audit.kinds.CREDIT_KINDS`); ``verification.py`` re-checks the chain and every holding.

What the database enforces (migration 0002; ``klimabok audit verify`` re-checks all of it):

- both backends: ``quantity = serial_end − serial_start + 1``, ``serial_end ≥ serial_start``,
  ``start ≤ end`` of a range, a range's order/retirement matching its state, one block per
  ``(registry, identity, serial_start)``;
- PostgreSQL: exclusion constraints (btree_gist) — no two blocks of one ``(registry, identity)``
  share a serial, no two ranges of one block overlap; a trigger keeps ranges inside their block
  (the audit trail's events refuse UPDATE and DELETE: :mod:`klimabok.audit.models`);
- SQLite: triggers refusing an overlapping block or range and a range outside its block (the
  services also check under the write lock: ``transaction_mode="IMMEDIATE"``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from klimabok.accounts.models import Organisation
from klimabok.audit.kinds import Kind
from klimabok.core.credits.screening import DEFAULT_MAX_VINTAGE_AGE
from klimabok.core.messages import Message

SERIAL_KINDS = [("verra", "Verra"), ("gold-standard", "Gold Standard"), ("isometric", "Isometric"),
                ("cdm", "CDM"), ("puro", "Puro.earth"), ("plan-vivo", "Plan Vivo"), ("other", "Other")]
MONEY_DIGITS, MONEY_PLACES = 14, 2  #: NOK up to 10^12 in øre


class CreditKind(models.TextChoices):
    REMOVAL = "removal", _("removal")
    REDUCTION = "reduction", _("reduction")
    UNKNOWN = "unknown", _("not recorded")


class CreditProject(models.Model):
    """A registry project the partner holds credits of, with what a client is shown about it."""

    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="credit_projects",
                              limit_choices_to={"kind": "partner"})
    registry = models.CharField(_("registry"), max_length=30, choices=SERIAL_KINDS)
    registry_project_id = models.CharField(_("registry project ID"), max_length=80)
    url = models.URLField(_("public registry page"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=300)
    program = models.CharField(_("program/standard"), max_length=120, blank=True)
    methodology = models.CharField(_("methodology"), max_length=300, blank=True)
    project_type = models.CharField(_("project type"), max_length=300, blank=True)
    developer = models.CharField(_("developer"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    kind = models.CharField(_("removal or reduction"), max_length=10, choices=CreditKind.choices,
                            default=CreditKind.UNKNOWN)
    nature_based = models.BooleanField(_("nature-based"), null=True, blank=True)
    durability = models.CharField(_("durability"), max_length=200, blank=True)
    buffer = models.CharField(_("buffer contribution"), max_length=200, blank=True)
    co_benefits = models.TextField(_("co-benefits"), blank=True)
    sdgs = models.JSONField(_("sustainable development goals"), default=list, blank=True)
    labels = models.JSONField(_("labels"), default=list, blank=True)  #: as the registry spells them
    ccp_label = models.BooleanField(_("ICVCM CCP label"), default=False)
    corsia = models.BooleanField(_("CORSIA eligible"), default=False)
    article6 = models.CharField(_("Article 6 authorisation"), max_length=200, blank=True)
    corresponding_adjustment = models.BooleanField(_("corresponding adjustment"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=100, blank=True)
    description = models.TextField(_("description for clients"), blank=True)
    photo_url = models.URLField(_("photo URL"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "registry", "registry_project_id"],
                                               name="credits_project_once_per_owner")]

    def __str__(self) -> str:
        return f"{self.name} ({self.registry} {self.registry_project_id})"


class RegistryImport(models.Model):
    """One registry export a partner uploaded; ``sha256`` of the file recognises the same file again."""

    partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="registry_imports")
    format = models.CharField(_("format"), max_length=20)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    offered = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["partner", "sha256"], name="credits_import_once")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.format})"


class CreditBlock(models.Model):
    """A serial block held by the project's owner; the fields rebuild the core's ``RegistryBlock``."""

    class Status(models.TextChoices):
        SCREENING = "screening", _("being screened")
        OFFERED = "offered", _("offered")
        REJECTED = "rejected", _("rejected")

    project = models.ForeignKey(CreditProject, on_delete=models.PROTECT, related_name="blocks")
    registry = models.CharField(_("registry"), max_length=30)
    identity = models.CharField(_("numbering space"), max_length=160)
    serial_start = models.BigIntegerField(_("first serial"))
    serial_end = models.BigIntegerField(_("last serial"))
    quantity = models.BigIntegerField(_("quantity (t CO2e)"))
    raw_serial = models.CharField(_("serial number"), max_length=300)
    unit_type = models.CharField(_("unit"), max_length=30, blank=True)
    product_type = models.CharField(_("product type"), max_length=30, blank=True)
    batch = models.CharField(_("batch"), max_length=80, blank=True)
    serial_country = models.CharField(max_length=3, blank=True)
    vintage = models.PositiveSmallIntegerField(_("vintage"), null=True, blank=True)
    vintage_start = models.DateField(null=True, blank=True)
    vintage_end = models.DateField(null=True, blank=True)
    issued_on = models.DateField(_("issued"), null=True, blank=True)
    labels = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=10, choices=CreditKind.choices, default=CreditKind.UNKNOWN)
    article6 = models.CharField(max_length=200, blank=True)
    total_credits = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    buffer_credits = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    #: A retirement or cancellation the export recorded for the range ({retired_on, beneficiary, …}).
    registry_retirement = models.JSONField(null=True, blank=True)
    price_per_tonne = models.DecimalField(_("price per tonne"), null=True, blank=True,
                                          max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCREENING)
    imported_from = models.ForeignKey(RegistryImport, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="blocks")
    source_row = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "registry", "identity", "serial_start"]
        constraints = [
            models.CheckConstraint(condition=Q(serial_end__gte=F("serial_start")),
                                   name="credits_block_end_ge_start"),
            models.CheckConstraint(condition=Q(serial_start__gte=0), name="credits_block_start_not_negative"),
            models.CheckConstraint(condition=Q(quantity=F("serial_end") - F("serial_start") + 1),
                                   name="credits_block_quantity_is_range"),
            models.CheckConstraint(condition=Q(price_per_tonne__isnull=True) | Q(price_per_tonne__gte=0),
                                   name="credits_block_price_not_negative"),
            models.UniqueConstraint(fields=["registry", "identity", "serial_start"],
                                    name="credits_block_once"),
        ]

    def __str__(self) -> str:
        return self.raw_serial


class ScreeningCheck(models.Model):
    """One check of a block's latest screening; ``message`` = ``{"template": …, "params": {…}}``."""

    class Status(models.TextChoices):
        PASS = "pass", _("passed")
        WARNING = "warning", _("warning")
        FAIL = "fail", _("failed")

    block = models.ForeignKey(CreditBlock, on_delete=models.CASCADE, related_name="checks")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices)
    message = models.JSONField()
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["block", "position"]
        constraints = [models.UniqueConstraint(fields=["block", "name"], name="credits_check_once_per_block")]

    def __str__(self) -> str:
        return f"{self.name}: {self.status}"

    def text(self) -> Message:
        """The stored message, for ``localise``."""
        return Message(self.message["template"], self.message.get("params", {}))


class PortfolioPolicy(models.Model):
    """The partner's screening policy (the core's ``Policy``); a missing row = the default policy.

    The defaults are the core's strict ones (CCP label required, vintage at most 5 years old);
    credits 0006 gave every partner who had none a row with the lax defaults they were screened
    under before, so no existing partner's policy changed.
    """

    partner = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="portfolio_policy")
    require_ccp = models.BooleanField(_("require the ICVCM CCP label"), default=True)
    min_vintage_year = models.PositiveSmallIntegerField(_("oldest vintage year"), null=True, blank=True)
    max_vintage_age_years = models.PositiveSmallIntegerField(_("maximum vintage age (years)"),
                                                             null=True, blank=True,
                                                             default=DEFAULT_MAX_VINTAGE_AGE)
    #: 0…1 of the offered quantity.
    min_removal_share = models.DecimalField(_("minimum share of removals"), max_digits=5, decimal_places=4,
                                            null=True, blank=True)
    allowed_registries = models.JSONField(_("allowed registries"), null=True, blank=True)  #: None = any
    inactive_methodologies = models.JSONField(_("inactive methodologies"), default=list, blank=True)
    ex_post_only = models.BooleanField(_("ex-post credits only"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=Q(min_removal_share__isnull=True)
            | (Q(min_removal_share__gte=0) & Q(min_removal_share__lte=1)),
            name="credits_policy_share_0_1")]

    def __str__(self) -> str:
        return f"policy of {self.partner}"


class CompensationOrder(models.Model):
    """A client's order of ``tonnes`` credits for a reporting year; reserved, then retired or cancelled."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("reserved")
        CANCELLED = "cancelled", _("cancelled")
        RETIRED = "retired", _("retired")

    client = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="compensation_orders")
    partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sold_orders")
    reporting_year = models.PositiveSmallIntegerField(_("reporting year"))
    tonnes = models.PositiveIntegerField(_("tonnes CO2e"))
    project = models.ForeignKey(CreditProject, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="orders")  #: the client's choice, None = any offered
    coverage = models.CharField(_("coverage"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RESERVED)
    idempotency_key = models.CharField(max_length=200)
    price_total = models.DecimalField(_("total price"), default=0, max_digits=MONEY_DIGITS,
                                      decimal_places=MONEY_PLACES)
    currency = models.CharField(max_length=3, default="NOK")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "idempotency_key"], name="credits_order_idempotency"),
            models.CheckConstraint(condition=Q(tonnes__gt=0), name="credits_order_tonnes_positive"),
            models.CheckConstraint(condition=Q(price_total__gte=0), name="credits_order_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"order {self.pk}: {self.tonnes} t for {self.client} ({self.reporting_year})"


class Retirement(models.Model):
    """A retirement recorded in the registry for (part of) an order; its ranges point here."""

    order = models.ForeignKey(CompensationOrder, on_delete=models.PROTECT, related_name="retirements")
    retired_on = models.DateField(_("retirement date"))
    registry_reference = models.CharField(_("registry reference"), max_length=200)
    registry_url = models.URLField(_("registry URL"), max_length=500, blank=True)
    beneficiary = models.CharField(_("beneficiary"), max_length=300)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    details = models.TextField(_("details"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    #: When the registry's own retirement export was found to hold this retirement (serials and
    #: beneficiary), and which uploaded export: until then it is what the partner reported, nothing more.
    matched_at = models.DateTimeField(_("matched against the registry"), null=True, blank=True)
    matched_import = models.ForeignKey(RegistryImport, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="matched_retirements")

    class Meta:
        ordering = ["-retired_on", "-pk"]

    def __str__(self) -> str:
        return f"retirement {self.registry_reference} ({self.retired_on})"

    @property
    def is_matched(self) -> bool:
        return self.matched_at is not None


class CreditRange(models.Model):
    """One contiguous sub-range of a block in one state; a block's rows partition it exactly."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("available")
        RESERVED = "reserved", _("reserved")
        RETIRED = "retired", _("retired")

    block = models.ForeignKey(CreditBlock, on_delete=models.PROTECT, related_name="ranges")
    start = models.BigIntegerField()
    end = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    #: Indexed where set only (``credits_range_order``/``…_retirement``): an available row is in neither.
    order = models.ForeignKey(CompensationOrder, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="ranges", db_index=False)
    retirement = models.ForeignKey(Retirement, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="ranges", db_index=False)

    class Meta:
        ordering = ["block", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="credits_range_end_ge_start"),
            models.CheckConstraint(
                condition=(Q(status="available", order__isnull=True, retirement__isnull=True)
                           | Q(status="reserved", order__isnull=False, retirement__isnull=True)
                           | Q(status="retired", order__isnull=False, retirement__isnull=False)),
                name="credits_range_state_matches_links"),
            # Sold or reserved serials; the available rows are the services' to keep apart (credits 0009).
            models.UniqueConstraint(fields=["block", "start"], condition=~Q(status="available"),
                                    name="credits_range_once"),
        ]
        #: A reservation reads only the block's available rows (usually one, its untouched tail), however
        #: many reserved and retired rows the block has (:func:`klimabok.credits.services.reserve`). Keyed
        #: by ``end``, which an order's cut leaves as it is: the shortened row's new version has the same
        #: key, so the old versions are cleaned as they come instead of piling up in a hot block's scan.
        #: The other indexes an order's cut of the available row touches: the primary key and ``block``.
        indexes = [models.Index(fields=["block", "end"], condition=Q(status="available"),
                                name="credits_range_available"),
                   models.Index(fields=["order"], condition=Q(order__isnull=False),
                                name="credits_range_order"),
                   models.Index(fields=["retirement"], condition=Q(retirement__isnull=False),
                                name="credits_range_retirement")]

    def __str__(self) -> str:
        return f"{self.block_id}:{self.start}-{self.end} {self.status}"

    @property
    def quantity(self) -> int:
        return self.end - self.start + 1


#: What the partner's credit log calls each credit event (:data:`klimabok.audit.kinds.CREDIT_KINDS`).
EVENT_LABELS: dict[str, str | Promise] = {
    Kind.BLOCK_IMPORTED: _("block imported"),
    Kind.BLOCK_ADDED: _("block added by hand"),
    Kind.SCREENED: _("screened"),
    Kind.PRICE_SET: _("price set"),
    Kind.POLICY_CHANGED: _("policy changed"),
    Kind.RESERVED: _("reserved"),
    Kind.RELEASED: _("released"),
    Kind.SPLIT: _("split"),
    Kind.RETIRED: _("retired"),
    Kind.RETIREMENT_MATCHED: _("retirement matched against the registry's export"),
    Kind.CERTIFICATE_ISSUED: _("certificate issued"),
    Kind.CERTIFICATE_REVOKED: _("certificate revoked"),
}
