"""The annual wheel (årshjul): a year's tasks by month, due, late or done; adding and editing tasks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.access import org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError
from klimabok.plans import read_models, services
from klimabok.plans.access import plan_context
from klimabok.plans.forms import WheelTaskForm
from klimabok.plans.models import WheelTask


def _year(request: AuthenticatedHttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else today.year


@login_required
def wheel(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug)
    year = _year(request)
    months = read_models.wheel_year(access.organisation, year, timezone.localdate())
    return render(
        request,
        "plans/wheel.html",
        plan_context(
            access,
            year=year,
            months=months,
            has_tasks=any(month.items for month in months),
            default_count=len(services.DEFAULT_TASKS),
        ),
    )


@login_required
@require_POST
def wheel_defaults(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_PLAN)
    added = services.add_default_tasks(access.organisation, request.user)
    messages.success(
        request, _("%(count)s standard tasks are added to the annual wheel.") % {"count": len(added)}
    )
    return redirect("plans:wheel", slug=slug)


@login_required
@require_POST
def wheel_task_done(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_PLAN)
    task = get_object_or_404(WheelTask, organisation=access.organisation, pk=pk)
    year, done = _year(request), request.POST.get("done") == "1"
    services.set_wheel_done(task, year, done, request.user)
    if done:
        messages.success(
            request, _("“%(title)s” is done for %(year)s.") % {"title": task.title, "year": year}
        )
    else:
        messages.success(
            request, _("“%(title)s” is no longer done for %(year)s.") % {"title": task.title, "year": year}
        )
    return redirect(reverse("plans:wheel", kwargs={"slug": slug}) + f"?year={year}")


def _task_form_page(request: AuthenticatedHttpRequest, slug: str, pk: int | None) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_PLAN)
    task = get_object_or_404(WheelTask, organisation=access.organisation, pk=pk) if pk is not None else None
    form = WheelTaskForm(
        request.POST or None,
        members=read_models.members_of(access.organisation),
        initial=WheelTaskForm.initial_of(task) if task else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_wheel_task(
                access.organisation,
                title=data["title"],
                description=data["description"],
                month=data["month"],
                due_day=data["due_day"],
                owner=form.chosen_owner(),
                user=request.user,
                task=task,
            )
        except KlimabokError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, _("The task is saved."))
            return redirect("plans:wheel", slug=slug)
    return render(
        request,
        "plans/wheel_task_form.html",
        plan_context(access, form=form, task=task),
        status=400 if form.errors else 200,
    )


@login_required
def wheel_task_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _task_form_page(request, slug, None)


@login_required
def wheel_task_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    return _task_form_page(request, slug, pk)
