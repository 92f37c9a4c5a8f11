"""What the survey's pages, the account and other apps read: the survey of a year, its answers as the
core's :class:`~klimabok.core.commuting.Answer`, and its results computed with the year's catalogue.

Only aggregates leave this module, except :func:`flagged_answers` (the answers flagged as implausible,
without any device or date) which the survey's managers see. ``survey_invitation`` is the seam the
engagement app links to the survey by (the employee start page, the digest).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from klimabok.accounts.models import Organisation
from klimabok.core import commuting
from klimabok.core.engine import AccountResult, ActivityLine, compute_account
from klimabok.core.errors import KlimabokError
from klimabok.core.factors.model import Factor
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.inventory.read_models import catalogue_for
from klimabok.survey.models import Survey, SurveyResponse

ANSWER_FIELDS = ("days_on_site", "km_one_way", "shares", "car_size", "car_fuel", "car_people",
                 "homeworking_days", "heating")


def survey_of(reporting_year: ReportingYear) -> Survey | None:
    return Survey.objects.filter(reporting_year=reporting_year).first()


def survey_by_token(token: str) -> Survey | None:
    return Survey.objects.select_related("reporting_year__organisation").filter(token=token).first()


def public_path(survey: Survey) -> str:
    """The survey's public address, without the site (``/s/<token>/``)."""
    return reverse("survey:answer", args=[survey.token])


def survey_invitation(organisation: Organisation, year: int) -> tuple[str, date | None] | None:
    """The open survey of ``organisation``'s ``year``: its public path and its last day (None: no date set).

    None when there is no survey that takes answers today. The path has no host: an e-mail puts
    ``settings.KLIMABOK_SITE_URL`` before it. For the engagement app (start page, digest).
    """
    survey = (Survey.objects.filter(reporting_year__organisation=organisation, reporting_year__year=year,
                                    status=Survey.Status.OPEN).first())
    if survey is None or (survey.closes_on is not None and survey.closes_on < timezone.localdate()):
        return None
    return public_path(survey), survey.closes_on


def open_invitation(organisation: Organisation) -> tuple[int, str, date | None] | None:
    """The newest year of ``organisation`` with a survey taking answers today: (year, public path, last
    day). What the employees' start page and the monthly digest invite to (one query)."""
    survey = (Survey.objects.filter(reporting_year__organisation=organisation, status=Survey.Status.OPEN)
              .select_related("reporting_year").order_by("-reporting_year__year").first())
    if survey is None or (survey.closes_on is not None and survey.closes_on < timezone.localdate()):
        return None
    return survey.reporting_year.year, public_path(survey), survey.closes_on


def _answer(row: dict[str, object]) -> commuting.Answer:
    shares = row["shares"] if isinstance(row["shares"], dict) else {}
    return commuting.Answer(
        days_on_site=float(row["days_on_site"]),  # type: ignore[arg-type]
        km_one_way=float(row["km_one_way"]),  # type: ignore[arg-type]
        shares={str(k): float(v) for k, v in shares.items()},
        car_size=str(row["car_size"] or "average"), car_fuel=str(row["car_fuel"] or "unknown"),
        car_people=int(str(row["car_people"])),
        homeworking_days=float(row["homeworking_days"]),  # type: ignore[arg-type]
        heating=str(row["heating"]))


def answers_of(survey: Survey) -> list[commuting.Answer]:
    """Every answer of ``survey`` (one query)."""
    return [_answer(row) for row in SurveyResponse.objects.filter(survey=survey).order_by("pk")
            .values(*ANSWER_FIELDS)]


def flagged_answers(survey: Survey) -> list[tuple[commuting.Answer, list[str]]]:
    """The answers flagged as implausible with their flags (message templates), for the survey's managers."""
    rows = SurveyResponse.objects.filter(survey=survey).exclude(flags=[]).order_by("pk")
    return [(_answer(row), list(row["flags"])) for row in rows.values(*ANSWER_FIELDS, "flags")]


@dataclass(frozen=True)
class FactorUse:
    """A factor component the results use: which row of which publication, and how much it adds."""

    activity: str
    factor: Factor
    kg_co2e_per_unit: float
    quantity: float
    kg_co2e: float


@dataclass(frozen=True)
class Results:
    """A survey's answers computed: per respondent and scaled to the year's FTE."""

    survey: Survey
    summary: commuting.Summary
    #: kg CO2e of all respondents together (not scaled), commuting and homeworking apart.
    commuting_kg: float
    homeworking_kg: float
    factors: list[FactorUse]
    flag_counts: dict[str, int]
    problem: KlimabokError | None = None
    by_activity_kg: dict[str, float] = field(default_factory=dict)

    @property
    def respondents(self) -> int:
        return self.summary.respondents

    def _per(self, kg: float) -> float | None:
        return kg / self.respondents if self.respondents else None

    @property
    def commuting_kg_per_respondent(self) -> float | None:
        return self._per(self.commuting_kg)

    @property
    def homeworking_kg_per_respondent(self) -> float | None:
        return self._per(self.homeworking_kg)

    @property
    def commuting_t_scaled(self) -> float | None:
        return self.commuting_kg * self.summary.scale / 1000 if self.summary.scale else None

    @property
    def homeworking_t_scaled(self) -> float | None:
        return self.homeworking_kg * self.summary.scale / 1000 if self.summary.scale else None

    @property
    def response_rate_percent(self) -> float | None:
        rate = self.summary.response_rate
        return rate * 100 if rate is not None else None

    @property
    def kg_per_respondent(self) -> float | None:
        return self._per(self.commuting_kg + self.homeworking_kg)

    @property
    def km_per_respondent(self) -> dict[str, float]:
        return self.summary.per_respondent(self.summary.km_by_mode)

    @property
    def km_total_per_respondent(self) -> float:
        return sum(self.km_per_respondent.values())

    @property
    def mode_shares(self) -> dict[str, float]:
        """Each mode's share of all km travelled by the respondents, in percent."""
        total = sum(self.summary.km_by_mode.values())
        return {m: km / total * 100 for m, km in self.summary.km_by_mode.items()} if total else {}


def _compute(reporting_year: ReportingYear, quantities: dict[str, float]) -> AccountResult | None:
    lines = [ActivityLine(activity=a, quantity=q, unit=commuting.activity_unit(a))
             for a, q in quantities.items() if q > 0]
    if not lines:
        return None
    return compute_account(lines, year=reporting_year.year, catalogue=catalogue_for(reporting_year),
                           gwp_set=reporting_year.gwp_set)


def load_results(survey: Survey) -> Results:
    """The survey's results with the year's catalogue and FTE (two queries and one computation)."""
    reporting_year = survey.reporting_year
    rows = list(SurveyResponse.objects.filter(survey=survey).order_by("pk").values(*ANSWER_FIELDS, "flags"))
    summary = commuting.summarise([_answer(r) for r in rows],
                                  float(reporting_year.fte) if reporting_year.fte else None)
    flag_counts = Counter(flag for r in rows for flag in r["flags"])
    factors: list[FactorUse] = []
    by_activity: dict[str, float] = {}
    problem: KlimabokError | None = None
    try:
        result = _compute(reporting_year, dict(summary.quantities))
    except KlimabokError as exc:  # a factor the year's catalogue lacks: the page says so
        result, problem = None, exc
    if result is not None:
        for line in result.lines:
            factors.append(FactorUse(line.activity, line.factor, line.kg_co2e_per_unit,
                                     line.quantity_in_factor_unit, line.kg_co2e))
            by_activity[line.activity] = by_activity.get(line.activity, 0.0) + line.kg_co2e
    commuting_kg = sum(kg for a, kg in by_activity.items() if a.startswith("commute."))
    homeworking_kg = sum(kg for a, kg in by_activity.items() if a.startswith("homeworking"))
    return Results(survey=survey, summary=summary, commuting_kg=commuting_kg, homeworking_kg=homeworking_kg,
                   factors=factors, flag_counts=dict(flag_counts.most_common()), problem=problem,
                   by_activity_kg=by_activity)


def previous_results(reporting_year: ReportingYear) -> Results | None:
    """The results of the organisation's survey of the year before, to compare with."""
    survey = (Survey.objects.select_related("reporting_year")
              .filter(reporting_year__organisation_id=reporting_year.organisation_id,
                      reporting_year__year=reporting_year.year - 1).first())
    return load_results(survey) if survey is not None else None


@dataclass(frozen=True)
class AccountLines:
    """The year's commuting and homeworking entries now: what "use in the account" would replace."""

    entries: int
    from_survey: int
    commuting_t: float
    homeworking_t: float


def account_lines(reporting_year: ReportingYear) -> AccountLines:
    entries = list(ActivityEntry.objects.filter(reporting_year=reporting_year)
                   .filter(Q(activity__startswith="commute.") | Q(activity__startswith="homeworking"))
                   .values_list("activity", "quantity", "unit", "origin"))
    commuting_t = homeworking_t = 0.0
    if entries:
        try:
            lines = [ActivityLine(activity=a, quantity=float(q), unit=u) for a, q, u, _o in entries]
            result = compute_account(lines, year=reporting_year.year, catalogue=catalogue_for(reporting_year),
                                     gwp_set=reporting_year.gwp_set)
        except KlimabokError:
            result = None
        if result is not None:
            for line in result.lines:
                if line.activity.startswith("commute."):
                    commuting_t += line.kg_co2e / 1000
                else:
                    homeworking_t += line.kg_co2e / 1000
    return AccountLines(entries=len(entries),
                        from_survey=sum(1 for *_rest, origin in entries
                                        if origin == ActivityEntry.Origin.SURVEY),
                        commuting_t=commuting_t, homeworking_t=homeworking_t)
