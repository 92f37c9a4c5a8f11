"""Goals: the targets and the organisation's own goals on one page, and the goal form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from klimabok.accounts.access import org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError
from klimabok.plans import read_models, services
from klimabok.plans.access import plan_context
from klimabok.plans.forms import GoalForm
from klimabok.plans.models import Goal


@login_required
def goal_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug)
    return render(
        request,
        "plans/goals.html",
        plan_context(
            access,
            goals=read_models.goal_list(access.organisation),
            targets=read_models.targets_of(access.organisation),
        ),
    )


def _goal_form_page(request: AuthenticatedHttpRequest, slug: str, pk: int | None) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_PLAN)
    goal = get_object_or_404(Goal, organisation=access.organisation, pk=pk) if pk is not None else None
    form = GoalForm(
        request.POST or None,
        members=read_models.members_of(access.organisation),
        initial=GoalForm.initial_of(goal) if goal else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_goal(access.organisation, form.draft(), request.user, goal)
        except KlimabokError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, _("The goal “%(title)s” is saved.") % {"title": saved.title})
            return redirect("plans:goals", slug=slug)
    return render(
        request,
        "plans/goal_form.html",
        plan_context(access, form=form, goal=goal),
        status=400 if form.errors else 200,
    )


@login_required
def goal_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _goal_form_page(request, slug, None)


@login_required
def goal_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    return _goal_form_page(request, slug, pk)
