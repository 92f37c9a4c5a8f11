"""A ledger import of a reporting year, its spend lines (one per account and supplier) and their postings.

An upload waits in storage (``stored_file``) until the worker has read it (status queued → running
→ ready, or failed with ``errors``), then the file is deleted. The user confirms a ready import
before it counts in the account (confirmed). What stays: what the account needs (net NOK per
account and supplier with its spend category or the reason it is excluded), the individual
ledger lines of the spend lines that can count (:class:`Posting`, for the drill-down), and what
the user needs to recognise the file again (name, SHA-256, company, period, counts, totals, coverage).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from klimabok.core.spend import categories
from klimabok.inventory.models import ReportingYear


class LedgerImport(models.Model):
    """One ledger file imported into a reporting year (the same file once per year, failed ones aside)."""

    class Kind(models.TextChoices):
        SAFT = "saft", _("SAF-T Financial")
        GL = "gl", _("General ledger (CSV/XLSX)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be read")
        RUNNING = "running", _("being read")
        READY = "ready", _("read, waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        # not the screening checks' "failed" (ikke bestått): an import that could not be read
        FAILED = "failed", pgettext_lazy("ledger import status", "failed")

    reporting_year = models.ForeignKey(ReportingYear, on_delete=models.CASCADE, related_name="ledger_imports")
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    audit_file_version = models.CharField(_("SAF-T version"), max_length=10)
    company_name = models.CharField(_("company"), max_length=300, blank=True)
    org_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    transactions = models.PositiveIntegerField(_("transactions"), default=0)
    line_count = models.PositiveIntegerField(_("ledger lines"), default=0)
    total_debit = models.DecimalField(_("total debit (NOK)"), max_digits=20, decimal_places=2, default=0)
    total_credit = models.DecimalField(_("total credit (NOK)"), max_digits=20, decimal_places=2, default=0)
    #: Spend-based tonnes as imported (before activity data excludes covered categories).
    t_co2e = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    coverage = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SAFT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    #: How far the worker has read (bytes of the file), of ``progress_total``.
    progress = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    #: The worker's heartbeat: when the status or progress was last written (queued, started, each
    #: step). An import waiting or running with no heartbeat for ``KLIMABOK_LEDGER_STALE_MINUTES``
    #: lost its worker and is failed (:func:`klimabok.ledger.services.fail_stale_imports`).
    progress_at = models.DateTimeField(null=True, blank=True)
    #: Why a failed import failed: ``{"template", "params", "source", "row", "field"}`` per message.
    errors = models.JSONField(default=list, blank=True)
    #: Where the upload waits for the worker (default storage, ``ledger-uploads/``); empty once read.
    stored_file = models.CharField(max_length=300, blank=True)
    #: The file as uploaded, kept once read (default storage, ``kept-imports/``; setting
    #: ``KLIMABOK_KEEP_IMPORT_FILES``) for the auditor's bundle; "" when not kept. Deleted with the import.
    kept_file = models.CharField(max_length=300, blank=True)
    #: Reader options (e.g. the column mapping of a general-ledger CSV/XLSX import).
    options = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # A failed import does not count: the fixed file can be uploaded again beside it.
            models.UniqueConstraint(fields=["reporting_year", "sha256"], name="ledger_import_once_per_year",
                                    condition=~models.Q(status="failed")),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.reporting_year})"


class SpendLine(models.Model):
    """The net amount of one (account, supplier) of an import, with its category or exclusion."""

    ledger_import = models.ForeignKey(LedgerImport, on_delete=models.CASCADE, related_name="spend_lines")
    account_id = models.CharField(_("account"), max_length=40)
    account_description = models.CharField(_("account description"), max_length=300, blank=True)
    supplier_id = models.CharField(_("supplier"), max_length=100, blank=True)
    supplier_name = models.CharField(_("supplier name"), max_length=300, blank=True)
    supplier_org_number = models.CharField(_("supplier org.nr"), max_length=20, blank=True)
    category = models.CharField(_("spend category"), max_length=60, blank=True)
    excluded = models.CharField(_("excluded because"), max_length=300, blank=True)
    rule = models.CharField(_("rule"), max_length=300, blank=True)
    lines = models.PositiveIntegerField(_("ledger lines"), default=0)
    net_nok = models.DecimalField(_("net (NOK)"), max_digits=20, decimal_places=2)
    t_co2e = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["ledger_import_id", "account_id", "supplier_id"]
        constraints = [
            models.UniqueConstraint(fields=["ledger_import", "account_id", "supplier_id"],
                                    name="spend_line_once_per_account_supplier"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.supplier_name or self.supplier_id}: {self.net_nok} NOK"

    @property
    def ref(self) -> str:
        return f"spend:{self.pk}"


class Posting(models.Model):
    """One ledger line of a spend line (the drill-down): which voucher, when, what, how much.

    Stored for spend lines that can count (mapped) or need a look (unmapped); not for accounts
    excluded by default (payroll, balance sheet, revenue…), whose lines are most of a ledger.
    """

    spend_line = models.ForeignKey(SpendLine, on_delete=models.CASCADE, related_name="postings")
    transaction_id = models.CharField(_("transaction"), max_length=100, blank=True)
    record_id = models.CharField(_("line"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    period = models.PositiveSmallIntegerField(_("period"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount (NOK)"), max_digits=20, decimal_places=2)

    class Meta:
        ordering = ["spend_line_id", "id"]

    def __str__(self) -> str:
        return f"{self.transaction_id}/{self.record_id}: {self.amount} NOK"


class SpendOverride(models.Model):
    """A user's override of a reporting year's spend lines: for an account, a supplier or a transaction
    (voucher), use this spend category, or this own factor (kg CO2e per NOK, with its source), or
    exclude with a reason. The most specific wins (transaction > supplier > account).

    Per reporting year, like the year's entries: a closed year's overrides cannot change (its account
    stays as closed; an own factor is part of the factor datasets it pins), and next year's account
    is not changed by this year's decisions.
    """

    class Target(models.TextChoices):
        ACCOUNT = "account", _("account")
        SUPPLIER = "supplier", _("supplier")
        TRANSACTION = "transaction", _("transaction")

    reporting_year = models.ForeignKey(ReportingYear, on_delete=models.CASCADE,
                                       related_name="spend_overrides")
    target = models.CharField(_("applies to"), max_length=12, choices=Target.choices)
    key = models.CharField(_("account, supplier or transaction"), max_length=100)
    category = models.CharField(_("spend category"), max_length=60, blank=True)
    kg_co2e_per_nok = models.DecimalField(_("own factor (kg CO2e per NOK)"), max_digits=12, decimal_places=6,
                                          null=True, blank=True)
    source = models.CharField(_("source of the own factor"), max_length=300, blank=True)
    excluded_reason = models.CharField(_("excluded because"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target", "key"]
        constraints = [
            models.UniqueConstraint(fields=["reporting_year", "target", "key"],
                                    name="spend_override_once_per_target"),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.key}"

    @property
    def category_name(self) -> str:
        return category_label(self.category) if self.category else ""


class SpendCoverageRule(models.Model):
    """What a reporting year's activity data covers of one spend category's spend, beyond the vouchers
    and suppliers its entries name (:mod:`klimabok.core.spend.double_counting`): by default only what
    is matched (and the entries' stated cost); or all of it ("kWh metered for every site"); or a share.

    Per reporting year like the overrides: a closed year's rules cannot change.
    """

    class Mode(models.TextChoices):
        MATCHED = "matched", _("Only what is matched (voucher, supplier, stated cost)")
        ALL = "all", _("The activity data covers all of this spend")
        SHARE = "share", _("The activity data covers a share of this spend")

    reporting_year = models.ForeignKey(ReportingYear, on_delete=models.CASCADE, related_name="coverage_rules")
    category = models.CharField(_("spend category"), max_length=60)
    mode = models.CharField(_("rule"), max_length=10, choices=Mode.choices, default=Mode.MATCHED)
    share_percent = models.DecimalField(_("share covered (%)"), max_digits=5, decimal_places=2, null=True,
                                        blank=True)
    note = models.CharField(_("why"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["reporting_year", "category"],
                                    name="coverage_rule_once_per_category"),
            models.CheckConstraint(
                condition=(models.Q(mode="share", share_percent__gte=0, share_percent__lte=100)
                           | (~models.Q(mode="share") & models.Q(share_percent__isnull=True))),
                name="coverage_rule_share_only_with_share_mode"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.mode}"


def category_label(key: str) -> str:
    """A spend category's name in the active language (the key itself if unknown)."""
    nb = (get_language() or "").startswith("nb")
    found = next((c for c in categories() if c.key == key), None)
    return (found.name_nb if nb else found.name) if found else key


class SpendSectorChoice(models.Model):
    """A climate partner's CEDA sectors for a spend category (its mapping table): its clients' open
    years compute that category's spend with these sectors instead of ``categories.csv``'s. The
    choice is part of the spend dataset's version, so a closed year keeps the factors it closed with.
    """

    partner = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE,
                                related_name="spend_sector_choices")
    category = models.CharField(_("spend category"), max_length=60)
    ceda_sectors = models.CharField(_("CEDA sectors"), max_length=200)
    rationale = models.TextField(_("why these sectors"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "category"],
                                    name="spend_sector_choice_once_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.ceda_sectors}"
