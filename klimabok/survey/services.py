"""Every write of the survey: opening and closing it, taking an answer, and using it in the account.

Each function runs in one transaction. Refusals raise :class:`~klimabok.core.errors.KlimabokError`
subclasses whose message the page shows (an answer outside sense: ``InputErrors``, one per field).

Submissions are limited in the database (:class:`~klimabok.survey.models.RateBucket`, one row per key
and minute): a device may post ``KLIMABOK_SURVEY_DEVICE_PER_MINUTE`` times a minute (10), a survey take
``KLIMABOK_SURVEY_PER_MINUTE`` posts a minute from all devices (2,000: a burst of 1,000 answers in a
minute passes, a flood does not). One answer per device is the database's unique constraint, so two
posts of one device racing each other save one answer.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from klimabok.accounts.models import User
from klimabok.audit.kinds import Kind
from klimabok.audit.services import record_event
from klimabok.core import commuting
from klimabok.core.engine import ActivityLine, compute_account
from klimabok.core.errors import InputError, InputErrors, KlimabokError
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.inventory.read_models import catalogue_for
from klimabok.inventory.services import ensure_open, lock_year
from klimabok.survey.models import RateBucket, Survey, SurveyResponse
from klimabok.survey.read_models import answers_of

DEVICE_LIMIT = 10
SURVEY_LIMIT = 2000
#: Rate-limit rows older than this are deleted as new ones are made.
BUCKET_KEEP = timedelta(hours=1)


class SurveyClosed(KlimabokError):
    """The survey takes no answers (closed by hand, or past its last day)."""


class AlreadyAnswered(KlimabokError):
    """This device has answered the survey."""


class RateLimited(KlimabokError):
    """Too many submissions in a minute (from this device, or to this survey)."""


class SurveyRefused(KlimabokError):
    """The survey cannot be used in the account as it is (no answers, no FTE)."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def device_hash(secret: str) -> str:
    """What is stored of a device cookie: its SHA-256 (the cookie is random and names no one)."""
    return hashlib.sha256(secret.encode()).hexdigest()


# --- Opening and closing ----------------------------------------------------------------------------

@transaction.atomic
def open_survey(reporting_year: ReportingYear, *, closes_on: date | None, user: User | None) -> Survey:
    """Open the year's survey (made on first opening, with a new unguessable link; the same link after)."""
    if closes_on is not None and closes_on < timezone.localdate():
        raise SurveyRefused(_("The last day to answer cannot be in the past."))
    survey, _created = Survey.objects.select_for_update().get_or_create(
        reporting_year=reporting_year, defaults={"token": new_token()})
    survey.status, survey.closes_on = Survey.Status.OPEN, closes_on
    survey.opened_at, survey.opened_by, survey.closed_at = timezone.now(), user, None
    survey.save()
    return survey


@transaction.atomic
def close_survey(survey: Survey) -> Survey:
    survey.status, survey.closed_at = Survey.Status.CLOSED, timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    return survey


def is_taking_answers(survey: Survey, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return survey.status == Survey.Status.OPEN and (survey.closes_on is None or today <= survey.closes_on)


# --- Answers ----------------------------------------------------------------------------------------

def _minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def _hit(key: str, limit: int, now: datetime) -> bool:
    """Count one submission for ``key`` in this minute; whether it is within ``limit``.

    Its own short transaction: the count stands even when the answer is then refused, and the survey's
    row is locked only for the moment of the increment.
    """
    window = _minute(now)
    with transaction.atomic():
        if not RateBucket.objects.filter(key=key, window=window).update(hits=F("hits") + 1):
            try:
                with transaction.atomic():
                    RateBucket.objects.create(key=key, window=window, hits=1)
                RateBucket.objects.filter(window__lt=window - BUCKET_KEEP).delete()
            except IntegrityError:  # another request made the row a moment ago
                RateBucket.objects.filter(key=key, window=window).update(hits=F("hits") + 1)
        hits = RateBucket.objects.filter(key=key, window=window).values_list("hits", flat=True).get()
    return hits <= limit


def _refusal(checked: commuting.Checked) -> InputErrors:
    return InputErrors([InputError(problem.text, field=problem.field) for problem in checked.refused])


def count_submission(survey: Survey, device_secret: str, now: datetime | None = None) -> None:
    """Count one post of the survey form, valid or not; RateLimited past the device's or the survey's limit.

    The answer page calls it before it reads the form, so a device sending nonsense is slowed down too.
    """
    now = now or timezone.now()
    device = device_hash(device_secret)
    device_limit = getattr(settings, "KLIMABOK_SURVEY_DEVICE_PER_MINUTE", DEVICE_LIMIT)
    if not _hit(f"device:{device}", device_limit, now):
        raise RateLimited(_("Too many attempts from this device: wait a minute and try again."))
    if not _hit(f"survey:{survey.pk}", getattr(settings, "KLIMABOK_SURVEY_PER_MINUTE", SURVEY_LIMIT), now):
        raise RateLimited(_("The survey is taking many answers just now: wait a minute and try again."))


def submit_response(survey: Survey, device_secret: str, answer: commuting.Answer,
                    now: datetime | None = None) -> SurveyResponse:
    """Save one device's answer to ``survey``, or refuse it (closed, answered, outside sense).

    The post was counted first (:func:`count_submission`).
    """
    now = now or timezone.now()
    device = device_hash(device_secret)
    if not is_taking_answers(survey, timezone.localdate(now)):
        raise SurveyClosed(_("This survey is closed: it takes no more answers."))
    checked = commuting.check(answer)
    if not checked.ok:
        raise _refusal(checked)
    uses_car = answer.uses_car
    response = SurveyResponse(
        survey=survey, device=device, submitted_on=timezone.localdate(now),
        days_on_site=Decimal(str(answer.days_on_site)), km_one_way=Decimal(str(answer.km_one_way)),
        shares={mode: share for mode, share in answer.shares.items() if share > 0},
        car_size=answer.car_size if uses_car else "", car_fuel=answer.car_fuel if uses_car else "",
        car_people=answer.car_people if uses_car else 1,
        homeworking_days=Decimal(str(answer.homeworking_days)), heating=answer.heating,
        flags=[flag.text.template for flag in checked.flags])
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        if SurveyResponse.objects.filter(survey=survey, device=device).exists():
            raise AlreadyAnswered(_("This device has already answered the survey. Thank you!")) from None
        raise
    return response


# --- Use in the account -----------------------------------------------------------------------------

def _replaced(reporting_year: ReportingYear, homeworking: bool) -> Q:
    """The year's entries a survey's lines replace: every commuting line, and homeworking if it writes it."""
    lines = Q(activity__startswith="commute.")
    if homeworking:
        lines |= Q(activity="homeworking") | Q(activity__startswith="homeworking.")
    return Q(reporting_year=reporting_year) & lines


@dataclass(frozen=True)
class Used:
    written: int
    replaced: int


def _quantity(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.001"))


@transaction.atomic
def use_in_account(survey: Survey, user: User | None, *, homeworking: bool = True) -> Used:
    """Write the survey's results, scaled to the year's FTE, as the year's commuting (category 7) lines.

    The year's other commuting lines (and, with ``homeworking``, its homeworking lines) are deleted: the
    survey replaces them, never adds to them. Refused for a closed year, without answers or without
    the year's FTE. Recorded in the audit trail with what was replaced and what was written.
    """
    reporting_year = survey.reporting_year
    lock_year(reporting_year)
    ensure_open(reporting_year)
    fte = reporting_year.fte
    summary = commuting.summarise(answers_of(survey), float(fte) if fte else None)
    if summary.respondents == 0:
        raise SurveyRefused(_("The survey has no answers yet."))
    if summary.scale is None:
        raise SurveyRefused(_("Give the year's full-time equivalents first: the answers are scaled to them."))
    scaled = summary.scaled({**summary.commuting(), **(summary.homeworking() if homeworking else {})})
    description = _("Commuting survey %(year)s: %(n)s answers scaled to %(fte)s FTE") % {
        "year": reporting_year.year, "n": summary.respondents, "fte": fte.normalize() if fte else ""}
    drafts = [(activity, _quantity(quantity), commuting.activity_unit(activity))
              for activity, quantity in sorted(scaled.items()) if quantity > 0]
    # Every line must compute with the year's catalogue before anything is deleted.
    compute_account([ActivityLine(activity=a, quantity=float(q), unit=u) for a, q, u in drafts],
                    year=reporting_year.year, catalogue=catalogue_for(reporting_year),
                    gwp_set=reporting_year.gwp_set)
    old = ActivityEntry.objects.filter(_replaced(reporting_year, homeworking))
    replaced = [[e.activity, str(e.quantity), e.unit, e.origin] for e in old.order_by("pk")]
    old.delete()
    details = {"survey": survey.pk, "respondents": summary.respondents, "fte": str(fte),
               "scale": f"{summary.scale:.6f}"}
    ActivityEntry.objects.bulk_create(
        ActivityEntry(reporting_year=reporting_year, activity=activity, quantity=quantity, unit=unit,
                      description=description[:300], data_quality=3, method=ActivityEntry.Method.ACTIVITY,
                      origin=ActivityEntry.Origin.SURVEY, details=details, created_by=user)
        for activity, quantity, unit in drafts)
    survey.used_at, survey.used_by = timezone.now(), user
    survey.save(update_fields=["used_at", "used_by"])
    record_event(organisation=reporting_year.organisation, actor=user, kind=Kind.SURVEY_USED_IN_ACCOUNT,
                 subject=f"survey:{reporting_year.organisation.slug}/{reporting_year.year}",
                 payload={"survey": survey.pk, "year": reporting_year.year,
                          "respondents": summary.respondents, "fte": str(fte), "homeworking": homeworking,
                          "replaced": replaced,
                          "written": [[a, str(q), u] for a, q, u in drafts]})
    return Used(written=len(drafts), replaced=len(replaced))
