"""Reporting years, sites, activity data and uploads.

A :class:`ReportingYear` is one organisation's climate account for one
calendar year. Its :class:`ActivityEntry` rows are the activity data (a
catalogue activity key, a quantity in a unit); the account itself is never
stored but computed from them with the factor catalogue (see
:mod:`klimabok.inventory.read_models`). A closed year pins the factor dataset
versions it was computed with, so it computes the same way forever.

Quantities and money are ``Decimal`` in the database; the core computes in
float and rounds at one boundary.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from klimabok.accounts.models import Organisation


class Site(models.Model):
    """A place the organisation operates from (an office, a warehouse)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    country = models.CharField(_("country"), max_length=2, default="NO")
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=12, decimal_places=2,
                                        null=True, blank=True,
                                        validators=[MinValueValidator(Decimal(0))])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="site_name_unique_per_org"),
            models.CheckConstraint(condition=models.Q(floor_area_m2__gte=0) | models.Q(floor_area_m2=None),
                                   name="site_floor_area_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class ReportingYear(models.Model):
    """One organisation's account for one calendar year, with the facts intensities need."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class GwpSet(models.TextChoices):
        AR5 = "AR5", _("IPCC AR5 (GWP100)")
        AR6 = "AR6", _("IPCC AR6 (GWP100)")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reporting_years")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990),
                                                                   MaxValueValidator(2100)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    fte = models.DecimalField(_("full-time equivalents"), max_digits=10, decimal_places=2,
                              null=True, blank=True, validators=[MinValueValidator(Decimal(0))])
    revenue_nok = models.DecimalField(_("revenue (NOK)"), max_digits=16, decimal_places=2,
                                      null=True, blank=True, validators=[MinValueValidator(Decimal(0))])
    # Blank means "the sum of the sites' floor areas".
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=12, decimal_places=2,
                                        null=True, blank=True, validators=[MinValueValidator(Decimal(0))])
    gwp_set = models.CharField(_("GWP set"), max_length=4, choices=GwpSet.choices, default=GwpSet.AR5)
    # "dataset_id@version" of every factor dataset the closed account used.
    pinned_datasets = models.JSONField(default=list, blank=True)
    # What each activity of the closed account expanded into ({key: {"unit", "components"}}): a
    # release that gives an activity another factor component must not change a closed account.
    pinned_activities = models.JSONField(default=dict, blank=True)
    # The refrigerant compositions the closed account used ({"ref": "refrigerant-blends@2025+<digest>",
    # "refrigerants": {key: …}}, klimabok.core.factors.refrigerants.BlendTable): a release that edits
    # the table must not change a closed account. Empty: closed before the table, or no refrigerant;
    # its refrigerants keep their published figure until the year is recalculated.
    pinned_refrigerants = models.JSONField(default=dict, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    # The activity lines as they were when the year was closed ([activity, quantity, unit, site,
    # data quality], quantity as a decimal string): with the pins, the closed account exactly, and
    # what a later recalculation compares against to split factor change from data change.
    closed_lines = models.JSONField(null=True, blank=True)
    # The explanation of the last explicit recalculation with current factors
    # (klimabok.core.recalc), kept so the year page can show what changed and why.
    last_recalculation = models.JSONField(null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the database, never by Python: a token its triggers change whenever anything the year's
    # account reads changes, so a cache knows (klimabok.account.revision). Never the same value twice.
    data_revision = models.BigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_reporting_year_per_org"),
            models.CheckConstraint(condition=models.Q(fte__gte=0) | models.Q(fte=None),
                                   name="year_fte_not_negative"),
            models.CheckConstraint(condition=models.Q(revenue_nok__gte=0) | models.Q(revenue_nok=None),
                                   name="year_revenue_not_negative"),
            models.CheckConstraint(condition=models.Q(floor_area_m2__gte=0) | models.Q(floor_area_m2=None),
                                   name="year_floor_area_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def pinned_refs(self) -> list[str]:
        """Everything the closed account pinned: its factor datasets and refrigerant compositions."""
        table = self.pinned_refrigerants.get("ref") if self.pinned_refrigerants else None
        return [*self.pinned_datasets, *([table] if table else [])]


class Upload(models.Model):
    """An activity file uploaded into a year; its lines are deleted with it."""

    reporting_year = models.ForeignKey(ReportingYear, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    #: the file as uploaded (default storage, ``kept-imports/``; ``KLIMABOK_KEEP_IMPORT_FILES``), for the
    #: auditor's bundle; "" when not kept. Deleted with the upload (:mod:`klimabok.inventory.kept_files`).
    kept_file = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            # The same file twice would count every line twice.
            models.UniqueConstraint(fields=["reporting_year", "sha256"], name="upload_once_per_year"),
        ]

    def __str__(self) -> str:
        return self.filename


class ActivityEntry(models.Model):
    """One line of activity data: ``quantity`` ``unit`` of catalogue activity ``activity``."""

    class Method(models.TextChoices):
        SUPPLIER = "supplier-specific", _("Supplier-specific")
        ACTIVITY = "activity-based", _("Activity-based")
        SPEND = "spend-based", _("Spend-based")

    class Origin(models.TextChoices):
        FORM = "form", _("Form")
        UPLOAD = "upload", _("Upload")
        API = "api", _("API")
        # written by klimabok.survey.services.use_in_account (details: {"survey": <pk>, …})
        SURVEY = "survey", _("Survey")

    reporting_year = models.ForeignKey(ReportingYear, on_delete=models.CASCADE, related_name="entries")
    activity = models.CharField(_("activity"), max_length=120)
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    unit = models.CharField(_("unit"), max_length=40)
    # RESTRICT: a site with data cannot be deleted on its own, but goes with its organisation.
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.RESTRICT, related_name="entries")
    description = models.CharField(_("description"), max_length=300, blank=True)
    data_quality = models.PositiveSmallIntegerField(
        _("data quality"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = measured or invoiced, 5 = rough estimate"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.ACTIVITY)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.FORM)
    upload = models.ForeignKey(Upload, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="entries")
    # What the guided form captured (flight from/to/trips/class, commuting
    # employees/mode/km/days…), so the entry can be edited in the same form.
    details = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["activity", "id"]
        verbose_name_plural = "activity entries"
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="entry_quantity_not_negative"),
            models.CheckConstraint(condition=models.Q(data_quality__gte=1, data_quality__lte=5),
                                   name="entry_data_quality_1_to_5"),
        ]
        indexes = [models.Index(fields=["reporting_year", "activity"], name="entry_year_activity_idx")]

    def __str__(self) -> str:
        return f"{self.activity}: {self.quantity} {self.unit}"

    @property
    def site_name(self) -> str:
        """The name of the entry's site ("" without one); load the site with it (``select_related``)."""
        return self.site.name if self.site_id and self.site else ""

    @property
    def ref(self) -> str:
        """The reference the engine carries on the result line, to drill back here."""
        return f"entry:{self.pk}"


class Scope3Screening(models.Model):
    """The relevance screening of one scope 3 category for one reporting year.

    A row per screened category; a category without a row is not screened (the default, which
    blocks an ISO 14068-1 claim). The rules (:mod:`klimabok.core.scope3_screening`): a decision names
    its GHG Protocol Scope 3 Standard table 6.1 criterion, and "not relevant" always has a reason —
    also as database constraints. Written only by
    :func:`klimabok.account.services.save_scope3_screening` (with closing and reopening: the screening
    is the account's boundary), which refuses a closed year and records every change in the audit
    trail.
    """

    class Relevance(models.TextChoices):
        RELEVANT = "relevant", _("Relevant")
        NOT_RELEVANT = "not_relevant", _("Not relevant")

    class Criterion(models.TextChoices):
        SIZE = "size", _("Size")
        INFLUENCE = "influence", _("Influence")
        RISK = "risk", _("Risk")
        STAKEHOLDERS = "stakeholders", _("Stakeholders")
        OUTSOURCING = "outsourcing", _("Outsourcing")
        SECTOR_GUIDANCE = "sector_guidance", _("Sector guidance")
        OTHER = "other", _("Other")

    reporting_year = models.ForeignKey(ReportingYear, on_delete=models.CASCADE,
                                       related_name="scope3_screening")
    category = models.PositiveSmallIntegerField(_("category"), validators=[MinValueValidator(1),
                                                                           MaxValueValidator(15)])
    relevance = models.CharField(_("relevance"), max_length=20, choices=Relevance.choices)
    criterion = models.CharField(_("criterion"), max_length=20, choices=Criterion.choices)
    reason = models.TextField(_("reason"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reporting_year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["reporting_year", "category"],
                                    name="screening_once_per_category"),
            models.CheckConstraint(condition=models.Q(category__gte=1, category__lte=15),
                                   name="screening_category_1_to_15"),
            models.CheckConstraint(condition=models.Q(relevance__in=["relevant", "not_relevant"]),
                                   name="screening_relevance_known"),
            models.CheckConstraint(
                condition=models.Q(criterion__in=["size", "influence", "risk", "stakeholders", "outsourcing",
                                                  "sector_guidance", "other"]),
                name="screening_criterion_known"),
            models.CheckConstraint(condition=~models.Q(relevance="not_relevant", reason=""),
                                   name="screening_not_relevant_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.reporting_year} 3.{self.category}: {self.relevance}"


class FlightReportMapping(models.Model):
    """Which column of an organisation's travel-agency flight report holds what, offered again next time.

    ``columns`` maps each field klimabok reads (origin, destination, date, cabin_class, passengers,
    return_trip, note) to the report's column heading; a field without a column is left out.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE,
                                        related_name="flight_report_mapping")
    columns = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organisation}: {self.columns}"
