"""``/s/<token>/``: the survey an employee answers on a phone, with no login and nothing that names them.

The first view sets a random device cookie (its SHA-256 is what an answer keeps, so a device answers
once); a device that has answered sees the thank-you. No IP address, name or time of day is stored.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from klimabok.core.errors import InputError, InputErrors, KlimabokError
from klimabok.survey import read_models, services
from klimabok.survey.forms import AnswerForm
from klimabok.survey.models import Survey, SurveyResponse
from klimabok.web.core_messages import localise

COOKIE = "klimabok_survey_device"
COOKIE_AGE = 400 * 24 * 3600  # a year and a bit: next year's survey is a new survey


def _device(request: HttpRequest) -> str:
    secret = request.COOKIES.get(COOKIE, "")
    return secret if 32 <= len(secret) <= 64 and secret.replace("-", "").replace("_", "").isalnum() else ""


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    survey = read_models.survey_by_token(token)
    if survey is None:
        raise Http404
    secret = _device(request)
    new_secret = "" if secret else secrets.token_urlsafe(32)
    answered = bool(secret) and SurveyResponse.objects.filter(
        survey=survey, device=services.device_hash(secret)).exists()
    taking = services.is_taking_answers(survey)
    form = AnswerForm(request.POST if request.method == "POST" and taking and not answered else None)
    problem, status = "", 200
    if request.method == "POST" and taking and not answered:
        problem, status = _take(survey, secret, form)
        if status == 302:
            return redirect("survey:answer", token=token)
    reporting_year = survey.reporting_year
    response = render(request, "survey/answer.html", {
        "survey": survey, "survey_organisation": reporting_year.organisation, "year": reporting_year.year,
        "form": form, "answered": answered, "taking": taking, "problem": problem}, status=status)
    if new_secret:
        response.set_cookie(COOKIE, new_secret, max_age=COOKIE_AGE, path="/s/", httponly=True, samesite="Lax",
                            secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)))
    return response


def _take(survey: Survey, secret: str, form: AnswerForm) -> tuple[str, int]:
    """Count the post, check the form and save the answer: (the problem to show, the page's status)."""
    if not secret:
        return _("Your browser did not keep the survey's cookie: send the answers again."), 400
    try:
        services.count_submission(survey, secret)
    except services.RateLimited as exc:
        return localise(exc), 429
    if not form.is_valid():
        return "", 400
    try:
        services.submit_response(survey, secret, form.answer())
    except services.AlreadyAnswered:
        pass  # a second post racing the first: the thank-you
    except InputErrors as exc:
        for error in exc.errors:
            _add(form, error)
        return "", 400
    except KlimabokError as exc:
        return localise(exc), 400
    return "", 302


def _add(form: AnswerForm, error: InputError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, localise(error.problem))
