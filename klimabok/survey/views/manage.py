"""``/o/<slug>/<year>/survey/``: the survey's results (aggregates only) and, for its managers, opening,
closing, the poster with the QR code and "use in the account".

Everyone of the organisation reads the results (employees included: aggregates, never an answer);
the ombudsman, the administrator and the climate partner (MANAGE_PLAN) run the survey and see the
answers flagged as implausible, without any device or date.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.access import Access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core import commuting
from klimabok.inventory.access import page_context, year_access
from klimabok.survey import read_models, services
from klimabok.survey.forms import MODE_LABELS, OpenForm, UseForm
from klimabok.survey.models import Survey
from klimabok.web.core_messages import tell_outcome


def can_manage(access: Access) -> bool:
    """Who runs the survey: the people who keep the plan (ombudsman, administrator, partner)."""
    return access.can(Capability.MANAGE_PLAN) and access.can(Capability.EDIT_DATA)


def public_url(request: HttpRequest, survey: Survey) -> str:
    path = read_models.public_path(survey)
    site = getattr(settings, "KLIMABOK_SITE_URL", "")
    return f"{site}{path}" if site else request.build_absolute_uri(path)


@login_required
def results(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    survey = read_models.survey_of(reporting_year)
    manage = can_manage(access)
    context = page_context(access, reporting_year=reporting_year, survey=survey, can_manage_survey=manage,
                           open_form=OpenForm(), use_form=UseForm(),
                           threshold=commuting.REPRESENTATIVE_RESPONSE_RATE * 100,
                           weeks=commuting.WORKING_WEEKS, hours=commuting.HOURS_PER_DAY)
    if survey is not None:
        found = read_models.load_results(survey)
        context.update(
            results=found, url=public_url(request, survey), taking=services.is_taking_answers(survey),
            previous=read_models.previous_results(reporting_year),
            modes=[(MODE_LABELS[m], km, found.mode_shares.get(m, 0.0))
                   for m, km in found.km_per_respondent.items()],
            account_lines=(read_models.account_lines(reporting_year)
                           if access.can(Capability.VIEW_DATA) else None),
            flagged=read_models.flagged_answers(survey) if manage else [])
        if not access.can(Capability.VIEW_DATA) and found.respondents < commuting.MIN_RESPONDENTS_SHOWN:
            # an employee could read a colleague's answers from the averages of a handful
            context.update(hidden_below=commuting.MIN_RESPONDENTS_SHOWN, results=None, modes=[],
                           previous=None)
    return render(request, "survey/results.html", context)


def _manager(request: AuthenticatedHttpRequest, slug: str, year: int) -> tuple[Access, Survey | None, object]:
    access, reporting_year = year_access(request, slug, year, Capability.MANAGE_PLAN)
    return access, read_models.survey_of(reporting_year), reporting_year


@login_required
@require_POST
def open_survey(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.MANAGE_PLAN)
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the last day as a date, or leave it blank."))
        return redirect("survey:results", slug=slug, year=year)
    closes_on = form.cleaned_data["closes_on"]
    tell_outcome(request, lambda: services.open_survey(reporting_year, closes_on=closes_on,
                                                       user=request.user),
                 lambda survey: _("The survey is open: share its link or print the poster."))
    return redirect("survey:results", slug=slug, year=year)


@login_required
@require_POST
def close_survey(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    _access, survey, _year = _manager(request, slug, year)
    if survey is None:
        raise Http404
    services.close_survey(survey)
    messages.success(request, _("The survey is closed: it takes no more answers."))
    return redirect("survey:results", slug=slug, year=year)


@login_required
@require_POST
def use_in_account(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    _access, survey, _year = _manager(request, slug, year)
    if survey is None:
        raise Http404
    form = UseForm(request.POST)
    homeworking = form.is_valid() and bool(form.cleaned_data["homeworking"])
    tell_outcome(request, lambda: services.use_in_account(survey, request.user, homeworking=homeworking),
                 lambda used: _("The survey's results are the year's commuting lines now: %(written)s lines "
                                "written, %(replaced)s replaced.") % {"written": used.written,
                                                                      "replaced": used.replaced})
    return redirect("survey:results", slug=slug, year=year)


@login_required
def poster(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """A printable A4 poster: the question, the QR code and the link written out."""
    access, survey, reporting_year = _manager(request, slug, year)
    if survey is None:
        raise Http404
    url = public_url(request, survey)
    # segno's SVG: paths only, no script, no style element (the page's CSP allows it inline).
    qr = mark_safe(segno.make(url, error="m").svg_inline(scale=8, border=2, omitsize=True))  # noqa: S308
    return render(request, "survey/poster.html", page_context(
        access, reporting_year=reporting_year, survey=survey, url=url, qr=qr))
