"""Suggestions: the list with the form to suggest, a suggestion with its comments, voting, commenting,
and the ombudsman's answer (accepting one makes it a measure of the plan)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.access import Access, org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.core.errors import KlimabokError
from klimabok.engagement import read_models, services
from klimabok.engagement.access import PUBLISH, engagement_context, participant_access
from klimabok.engagement.forms import AnswerForm, CommentForm, SuggestionForm
from klimabok.engagement.models import Suggestion


def _list_page(request: AuthenticatedHttpRequest, access: Access, form: SuggestionForm | None = None,
               status: int = 200) -> HttpResponse:
    chosen = request.GET.get("status", "")
    chosen = chosen if chosen in Suggestion.Status.values else ""
    return render(request, "engagement/suggestions.html", engagement_context(
        access, suggestions=read_models.suggestion_list(access.organisation, request.user, chosen),
        form=form or SuggestionForm(), statuses=Suggestion.Status.choices, chosen=chosen), status=status)


@login_required
def suggestions(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _list_page(request, org_access(request, slug))


@login_required
@require_POST
def suggestion_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = participant_access(request, slug)
    form = SuggestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = services.submit_suggestion(access.organisation, data["title"], data["text"], request.user,
                                              anonymous=data["anonymous"])
        except KlimabokError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request,
                             _("Thank you: your suggestion is #%(number)s.") % {"number": made.number})
            return redirect("engagement:suggestion", slug=slug, pk=made.pk)
    return _list_page(request, access, form, status=400)


def _page(request: AuthenticatedHttpRequest, access: Access, pk: int, *,
          comment_form: CommentForm | None = None, answer_form: AnswerForm | None = None,
          status: int = 200) -> HttpResponse:
    page = read_models.suggestion_page(access.organisation, pk, request.user)
    if page is None:
        raise Http404
    suggestion = page.suggestion
    if answer_form is None and access.can(PUBLISH):
        answer_form = AnswerForm(initial={"status": suggestion.status, "reply": suggestion.reply,
                                          "declined_reason": suggestion.declined_reason})
    return render(request, "engagement/suggestion.html", engagement_context(
        access, suggestion=suggestion, comments=page.comments, comment_form=comment_form or CommentForm(),
        answer_form=answer_form), status=status)


@login_required
def suggestion(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    return _page(request, org_access(request, slug), pk)


@login_required
@require_POST
def suggestion_vote(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = participant_access(request, slug)
    found = get_object_or_404(Suggestion, organisation=access.organisation, pk=pk)
    if found.status not in read_models.OPEN_SUGGESTIONS:
        messages.error(request, _("Votes are closed: the suggestion has its answer."))
    elif services.toggle_vote(found, request.user):
        messages.success(request, _("Your vote for #%(number)s is counted.") % {"number": found.number})
    else:
        messages.success(request, _("Your vote for #%(number)s is taken back.") % {"number": found.number})
    back = request.POST.get("next", "")
    return redirect(back if back.startswith(f"/o/{slug}/") else f"/o/{slug}/suggestions/{pk}/")


@login_required
@require_POST
def suggestion_comment(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = participant_access(request, slug)
    found = get_object_or_404(Suggestion, organisation=access.organisation, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(found, form.cleaned_data["text"], request.user)
        except KlimabokError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, _("Your comment is added."))
            return redirect("engagement:suggestion", slug=slug, pk=pk)
    return _page(request, access, pk, comment_form=form, status=400)


@login_required
@require_POST
def suggestion_answer(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug, PUBLISH)
    found = get_object_or_404(Suggestion, organisation=access.organisation, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_suggestion(found, services.Answer(data["status"], data["reply"],
                                                              data["declined_reason"]),
                                       request.user, form.measure_draft(found))
        except KlimabokError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, _("The answer to #%(number)s is saved.") % {"number": found.number})
            return redirect("engagement:suggestion", slug=slug, pk=pk)
    return _page(request, access, pk, answer_form=form, status=400)
