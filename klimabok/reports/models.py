"""What the reports need that the account does not hold.

- :class:`MiljofyrtarnFigures` — per reporting year, the figures the Miljøfyrtårn annual report asks for
  and klimabok cannot compute: sick leave, the degree days and heating-dependent share of the
  temperature correction, and the company's own indicators. One short form a year.
- :class:`PublicPage` — whether the organisation publishes its public climate page (opt-in: no row, or
  ``enabled`` false, is a 404 at the public address).

Both are written only by :mod:`klimabok.reports.services`, which records every change in the audit trail.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klimabok.accounts.models import Organisation
from klimabok.inventory.models import ReportingYear

#: How many own indicators the form takes.
OWN_INDICATORS = 3
#: The most heating degree days a Norwegian place has in a year (Svalbard's normal is about 8,000).
MAX_DEGREE_DAYS = Decimal(10000)


class MiljofyrtarnFigures(models.Model):
    """The entered figures of one year's Miljøfyrtårn report (a missing row: nothing entered yet)."""

    reporting_year = models.OneToOneField(
        ReportingYear, on_delete=models.CASCADE, related_name="miljofyrtarn_figures"
    )
    sick_leave_percent = models.DecimalField(
        _("sick leave (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    normal_degree_days = models.DecimalField(
        _("degree days in a normal year"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(MAX_DEGREE_DAYS)],
    )
    actual_degree_days = models.DecimalField(
        _("degree days in the year"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(MAX_DEGREE_DAYS)],
    )
    heating_share_percent = models.DecimalField(
        _("heating-dependent share of the energy (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    # [{"name": str, "unit": str, "value": decimal string}, …] in the order entered, at most OWN_INDICATORS
    own_indicators = models.JSONField(default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Miljøfyrtårn figures")
        verbose_name_plural = _("Miljøfyrtårn figures")
        constraints = [
            models.CheckConstraint(
                condition=Q(sick_leave_percent__isnull=True)
                | Q(sick_leave_percent__gte=0, sick_leave_percent__lte=100),
                name="reports_sick_leave_0_100",
            ),
            models.CheckConstraint(
                condition=Q(heating_share_percent__isnull=True)
                | Q(heating_share_percent__gte=0, heating_share_percent__lte=100),
                name="reports_heating_share_0_100",
            ),
            # the correction needs both degree-day figures, each above zero
            models.CheckConstraint(
                condition=Q(normal_degree_days__isnull=True, actual_degree_days__isnull=True)
                | Q(normal_degree_days__gt=0, actual_degree_days__gt=0),
                name="reports_degree_days_both_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Miljøfyrtårn figures {self.reporting_year_id}"


class PublicPage(models.Model):
    """The organisation's public climate page at ``/climate/<slug>/``: shown only while ``enabled``."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="public_page")
    enabled = models.BooleanField(_("publish the climate page"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("public climate page")
        verbose_name_plural = _("public climate pages")

    def __str__(self) -> str:
        return f"public page {self.organisation_id}: {'on' if self.enabled else 'off'}"


class ReportJob(models.Model):
    """A report made by the task worker (``manage.py db_worker``), with its progress and, when done, its file.

    Written only by :mod:`klimabok.reports.jobs`. The file lies in the default storage under
    ``reports/`` (as uploads do) until the job is deleted.
    """

    class Kind(models.TextChoices):
        AUDIT_BUNDLE = "audit_bundle", _("Auditor's bundle")
        #: the account's workbook (summary and every line) and its lines CSV (:mod:`klimabok.account.exports`)
        ACCOUNT_XLSX = "account_xlsx", _("Climate account in Excel")
        LINES_CSV = "lines_csv", _("Lines of the climate account (CSV)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    reporting_year = models.ForeignKey(ReportingYear, on_delete=models.CASCADE, related_name="report_jobs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    #: the step being worked on (a key of ``jobs.STEPS``) and how many of the kind's steps are done — or,
    #: while an export writes its lines (``jobs.ROW_STEPS``), how many of its rows
    step = models.CharField(max_length=20, blank=True)
    progress = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=1)
    file = models.CharField(max_length=200, blank=True)  #: the storage name of the made file
    filename = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    #: the failure is the year's data (an account that cannot be computed), not the worker: making the file
    #: again helps only once those lines are fixed
    data_problem = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.reporting_year_id}: {self.status}"

    @property
    def kept_until(self) -> datetime | None:
        """When ``klimabok jobs clean`` may delete the file (``KLIMABOK_REPORT_JOBS_KEEP_DAYS`` after it
        was ready); None before that."""
        if self.finished_at is None:
            return None
        return self.finished_at + timedelta(days=settings.KLIMABOK_REPORT_JOBS_KEEP_DAYS)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, round(100 * self.progress / max(self.progress_total, 1)))
