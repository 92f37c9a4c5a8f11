"""A reporting year's commuting and homeworking survey, its anonymous answers and the rate limiter's counts.

A :class:`Survey` belongs to one reporting year (one link per organisation and year); its
:class:`SurveyResponse` rows hold no name, no e-mail, no IP address and no time of day: a device is
known only by the SHA-256 of a random cookie, so one device answers once (a database constraint),
and an answer keeps the day it came. :class:`RateBucket` counts submissions per device and per
survey and minute in the database (no process memory), so every web process sees the same counts.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from klimabok.inventory.models import ReportingYear


class Survey(models.Model):
    """The survey of one reporting year: its unguessable link, open or closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    reporting_year = models.OneToOneField(ReportingYear, on_delete=models.CASCADE, related_name="survey")
    #: The secret part of the public link ``/s/<token>/`` (secrets.token_urlsafe: 32 bytes).
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    #: The last day answers are taken (inclusive); blank: until it is closed by hand.
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    #: The last time its results were written into the year's activity data ("use in the account").
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["open", "closed"]), name="survey_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.reporting_year} survey"


class SurveyResponse(models.Model):
    """One device's answers. Nothing here names a person; see the module docstring."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    #: SHA-256 of the device cookie, hex.
    device = models.CharField(max_length=64)
    submitted_on = models.DateField()
    days_on_site = models.DecimalField(max_digits=3, decimal_places=1)
    km_one_way = models.DecimalField(max_digits=5, decimal_places=1)
    #: Percent of the trips by mode ({"bus": 60, "walk": 40}), only the modes used
    #: (klimabok.core.commuting.MODES).
    shares = models.JSONField(default=dict)
    car_size = models.CharField(max_length=10, blank=True)
    car_fuel = models.CharField(max_length=10, blank=True)
    car_people = models.PositiveSmallIntegerField(default=1)
    homeworking_days = models.DecimalField(max_digits=3, decimal_places=1, default=Decimal(0))
    heating = models.CharField(max_length=10)
    #: Why the answer looks implausible (core message templates, English): kept and counted, shown flagged.
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "device"], name="survey_one_response_per_device"),
            models.CheckConstraint(condition=Q(km_one_way__gte=0, km_one_way__lte=300),
                                   name="survey_km_0_to_300"),
            models.CheckConstraint(condition=Q(days_on_site__gte=0, days_on_site__lte=7),
                                   name="survey_days_on_site_0_to_7"),
            models.CheckConstraint(condition=Q(homeworking_days__gte=0, homeworking_days__lte=7),
                                   name="survey_homeworking_days_0_to_7"),
            models.CheckConstraint(condition=Q(days_on_site__lte=Value(Decimal(7)) - F("homeworking_days")),
                                   name="survey_days_in_a_week"),
            models.CheckConstraint(condition=Q(car_people__gte=1, car_people__lte=9),
                                   name="survey_car_people_1_to_9"),
        ]

    def __str__(self) -> str:
        return f"response {self.pk} to {self.survey}"


class RateBucket(models.Model):
    """Submissions counted for one key ("device:<sha256>", "survey:<pk>") in one minute."""

    key = models.CharField(max_length=80)
    window = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="rate_bucket_once_per_minute")]
        indexes = [models.Index(fields=["window"], name="rate_bucket_window_idx")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window}: {self.hits}"
