"""A SAF-T import of a reporting year and its spend lines (one per account and supplier, not per ledger line).

The file itself is not kept: the import stores what the account needs (net NOK per account and
supplier with its spend category or the reason it is excluded) and what the user needs to
recognise the file again (name, SHA-256, company, period, counts, totals, coverage).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klimabok.inventory.models import ReportingYear


class LedgerImport(models.Model):
    """One SAF-T Financial file imported into a reporting year (the same file once per year)."""

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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reporting_year", "sha256"], name="ledger_import_once_per_year"),
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
