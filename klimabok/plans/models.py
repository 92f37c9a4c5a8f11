"""Targets, goals, measures, scenarios and the annual wheel of an organisation.

Money is NOK and tonnes are t CO2e, both ``Decimal``. What the database can hold on its own it does
(reductions 0–100 %, a target year after its base year, a dropped item's reason, costs in range);
what needs another table (the base year is closed, a measure's parameters fit its kind in the core's
catalogue ``klimabok.core.plan.measures.MEASURE_KINDS``) is checked by :mod:`klimabok.plans.services`,
the only writer. A measure's ``kind`` has no ``choices`` here on purpose: the catalogue lives in the
core and grows there, and a migration must not depend on live code.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klimabok.accounts.models import Organisation
from klimabok.inventory.models import ReportingYear

#: The largest one-off cost a measure may carry (NOK): beyond it a typing slip is likelier than a plan.
MAX_CAPEX_NOK = Decimal("1e10")
#: The first year a measure can start in (the core's plan maths starts there: klimabok.core.plan.measures).
FIRST_START_YEAR = 2000
#: The discount rate's range (% a year).
MAX_DISCOUNT_RATE_PERCENT = Decimal(30)


class Status(models.TextChoices):
    """Where a goal or a measure stands; ``dropped`` needs a reason."""

    IDEA = "idea", _("Idea")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


#: Statuses of work still to do: these can be late.
OPEN_STATUSES = (Status.IDEA, Status.PLANNED, Status.IN_PROGRESS)


def _dropped_has_reason(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=~Q(status=Status.DROPPED) | ~Q(dropped_reason=""), name=f"{prefix}_dropped_has_reason"
    )


class Target(models.Model):
    """An emission-reduction target: from a closed base year to a target year, on a coverage."""

    class Coverage(models.TextChoices):
        SCOPE_1_2 = "scope_1_2", _("Scope 1 and 2")
        SCOPE_1 = "scope_1", _("Scope 1")
        SCOPE_2 = "scope_2", _("Scope 2")
        SCOPE_3 = "scope_3", _("Scope 3 (chosen categories)")

    class Scope2Method(models.TextChoices):
        LOCATION = "location", _("Location-based")
        MARKET = "market", _("Market-based")

    class Metric(models.TextChoices):
        ABSOLUTE = "absolute", _("Absolute (t CO₂e)")
        PER_FTE = "per_fte", _("Intensity per FTE")
        PER_MNOK = "per_mnok", _("Intensity per million NOK revenue")
        PER_M2 = "per_m2", _("Intensity per m² floor area")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("name"), max_length=200)
    # PROTECT: a year a target is measured from cannot disappear under it.
    base_year = models.ForeignKey(ReportingYear, on_delete=models.PROTECT, related_name="targets")
    # The base year's calendar year, copied from base_year by the services so the database itself can
    # refuse a target year that is not after it.
    base_calendar_year = models.PositiveSmallIntegerField(_("base year"))
    target_year = models.PositiveSmallIntegerField(_("target year"))
    coverage = models.CharField(_("coverage"), max_length=12, choices=Coverage.choices)
    # Scope 3 categories (1–15) for a scope 3 target; empty otherwise.
    scope3_categories = models.JSONField(_("scope 3 categories"), default=list, blank=True)
    scope2_method = models.CharField(
        _("scope 2 method"), max_length=10, choices=Scope2Method.choices, default=Scope2Method.MARKET
    )
    metric = models.CharField(
        _("absolute or intensity"), max_length=10, choices=Metric.choices, default=Metric.ABSOLUTE
    )
    reduction_percent = models.DecimalField(_("reduction (%)"), max_digits=5, decimal_places=2)
    # The base year's emissions on the coverage as recorded when the target was set (t CO2e); a
    # recalculation replaces it and keeps the old value in TargetRecalculation.
    base_t_co2e = models.DecimalField(_("base-year emissions (t CO₂e)"), max_digits=14, decimal_places=3)
    ruleset = models.CharField(
        _("rule set"),
        max_length=100,
        blank=True,
        help_text=_("The rule set the target was checked against, with its version."),
    )
    sbti_validated_on = models.DateField(_("SBTi validation date"), null=True, blank=True)
    sbti_evidence_url = models.URLField(_("SBTi validation evidence"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["target_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="plans_target_name_once"),
            models.CheckConstraint(
                condition=Q(reduction_percent__gte=0) & Q(reduction_percent__lte=100),
                name="plans_target_reduction_0_100",
            ),
            models.CheckConstraint(
                condition=Q(target_year__gt=models.F("base_calendar_year")),
                name="plans_target_after_base_year",
            ),
            models.CheckConstraint(condition=Q(target_year__lte=2100), name="plans_target_year_by_2100"),
            models.CheckConstraint(condition=Q(base_t_co2e__gte=0), name="plans_target_base_not_negative"),
            models.CheckConstraint(
                condition=Q(sbti_validated_on=None) | ~Q(sbti_evidence_url=""),
                name="plans_target_sbti_validation_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TargetRecalculation(models.Model):
    """A recalculation of a target's base-year value, with both values and why."""

    class Reason(models.TextChoices):
        FACTOR_UPDATE = "factor_update", _("Emission factor update")
        ACQUISITION = "acquisition", _("Acquisition")
        DIVESTMENT = "divestment", _("Divestment")
        OUTSOURCING = "outsourcing", _("Outsourcing or insourcing")
        ERROR_CORRECTION = "error_correction", _("Error correction")
        OTHER = "other", _("Other")

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="recalculations")
    old_base_t_co2e = models.DecimalField(
        _("old base-year emissions (t CO₂e)"), max_digits=14, decimal_places=3
    )
    new_base_t_co2e = models.DecimalField(
        _("new base-year emissions (t CO₂e)"), max_digits=14, decimal_places=3
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(old_base_t_co2e__gte=0) & Q(new_base_t_co2e__gte=0),
                name="plans_recalculation_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(note=""), name="plans_recalculation_other_has_note"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.old_base_t_co2e} → {self.new_base_t_co2e} t"


class Goal(models.Model):
    """One of the organisation's own goals ("Miljøfyrtårn recertified in 2027")."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_goals"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    dropped_reason = models.TextField(_("why it was dropped"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [models.F("deadline").asc(nulls_last=True), "title"]
        constraints = [_dropped_has_reason("plans_goal")]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    """A measure: what it does (``kind`` + ``params``, its effect computed by the core), who does it by
    when, and what it costs (``capex_nok`` once, ``opex_delta_nok`` a year, negative = a saving)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        ACCOUNT = "account", _("From the account's largest sources")
        CATALOGUE = "catalogue", _("From the measure catalogue")
        API = "api", _("Through the API")
        DEMO = "demo", _("Demo data")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_measures",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IDEA)
    dropped_reason = models.TextField(_("why it was dropped"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    ramp_years = models.PositiveSmallIntegerField(_("ramp-up (years)"), default=0)
    capex_nok = models.DecimalField(
        _("one-off cost (NOK)"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    opex_delta_nok = models.DecimalField(
        _("yearly cost or saving (NOK)"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    lifetime_years = models.PositiveSmallIntegerField(_("lifetime (years)"), default=10)
    discount_rate_percent = models.DecimalField(
        _("discount rate (%)"), max_digits=5, decimal_places=2, default=Decimal(4)
    )
    # The account lines it acts on: activity keys or their start ("car.", "flight.domestic"), spend
    # categories ("spend.<key>") and scope labels ("scope_3.6"), as klimabok.core.plan.measures.MeasureInput
    # takes them (activity_prefixes, scope_labels); empty: the kind's own lines.
    acts_on = models.JSONField(_("account lines it acts on"), default=list, blank=True)
    source = models.CharField(_("created from"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    # What it was made from, e.g. "account:2024:fuel.diesel" for a "make this a measure" link.
    source_ref = models.CharField(_("source reference"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [models.F("deadline").asc(nulls_last=True), "title", "pk"]
        constraints = [
            _dropped_has_reason("plans_measure"),
            models.CheckConstraint(
                condition=Q(start_year__gte=FIRST_START_YEAR) & Q(start_year__lte=2100),
                name="plans_measure_start_year_range",
            ),
            models.CheckConstraint(condition=Q(ramp_years__lte=30), name="plans_measure_ramp_at_most_30"),
            models.CheckConstraint(
                condition=Q(capex_nok__gte=0) & Q(capex_nok__lte=MAX_CAPEX_NOK),
                name="plans_measure_capex_range",
            ),
            models.CheckConstraint(
                condition=Q(opex_delta_nok__gte=-MAX_CAPEX_NOK) & Q(opex_delta_nok__lte=MAX_CAPEX_NOK),
                name="plans_measure_opex_range",
            ),
            models.CheckConstraint(
                condition=Q(lifetime_years__gte=1) & Q(lifetime_years__lte=100),
                name="plans_measure_lifetime_1_100",
            ),
            models.CheckConstraint(
                condition=Q(discount_rate_percent__gte=0)
                & Q(discount_rate_percent__lte=MAX_DISCOUNT_RATE_PERCENT),
                name="plans_measure_discount_rate_0_30",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MeasureNote(models.Model):
    """A dated progress note on a measure, by its author."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="plans_note_not_empty")]

    def __str__(self) -> str:
        return self.text[:60]


class MeasureEvidence(models.Model):
    """A file that shows a measure's progress (an invoice, a photo, a report), in default storage
    under ``plan-evidence/`` (``stored_name``), refused when too large or of a type not listed in
    :data:`klimabok.plans.services.evidence.TYPES`."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence")
    filename = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=300, unique=True)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "sha256"], name="plans_evidence_once_per_measure"),
            models.CheckConstraint(condition=Q(size__gt=0), name="plans_evidence_not_empty"),
        ]

    def __str__(self) -> str:
        return self.filename


class Scenario(models.Model):
    """A set of chosen measures, each with the year it starts in this scenario."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    measures = models.ManyToManyField(Measure, through="ScenarioMeasure", related_name="scenarios")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="plans_scenario_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class ScenarioMeasure(models.Model):
    """A measure chosen in a scenario; ``position`` is the order measures apply in (on what is left)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="choices")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    start_year = models.PositiveSmallIntegerField(_("start year"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "measure"], name="plans_scenario_measure_once"),
            models.CheckConstraint(
                condition=Q(start_year__gte=FIRST_START_YEAR) & Q(start_year__lte=2100),
                name="plans_scenario_start_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id}: {self.measure_id} from {self.start_year}"


class WheelTask(models.Model):
    """A recurring task of the annual wheel (årshjul): due every year on ``due_day`` of ``month``
    (the month's last day when it is shorter). Done is recorded per year (:class:`WheelCompletion`);
    due and late follow from the date."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="wheel_tasks")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    month = models.PositiveSmallIntegerField(_("month"))
    due_day = models.PositiveSmallIntegerField(_("due day"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_wheel_tasks",
    )
    # The default task this row was made from ("collect_data"…), empty for the organisation's own.
    key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month", "due_day", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="plans_wheel_month_1_12"
            ),
            models.CheckConstraint(
                condition=Q(due_day__gte=1) & Q(due_day__lte=31), name="plans_wheel_day_1_31"
            ),
            models.UniqueConstraint(
                fields=["organisation", "key"], condition=~Q(key=""), name="plans_wheel_default_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class WheelCompletion(models.Model):
    """A wheel task done for one year."""

    task = models.ForeignKey(WheelTask, on_delete=models.CASCADE, related_name="completions")
    year = models.PositiveSmallIntegerField(_("year"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "year"], name="plans_wheel_done_once_a_year")]

    def __str__(self) -> str:
        return f"{self.task_id} done {self.year}"


class ReminderSent(models.Model):
    """A reminder e-mail that went out, so ``klimabok remind`` never sends the same one twice.

    ``subject`` is what it is about (``measure:12``, ``goal:3``, ``wheel:5``, ``weekly:nordlys``) and
    ``period`` the due date it reminds of (a weekly summary: the Monday of its week).
    """

    class Kind(models.TextChoices):
        DUE = "due", _("Due date coming up")
        WEEKLY = "weekly", _("Weekly summary")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    subject = models.CharField(max_length=100)
    period = models.DateField()
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "period", "recipient"], name="plans_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} {self.period} → {self.recipient}"
