"""Scenarios: the list (each with the share of the gap it closes to every target), a scenario's page (its
measures in order with the baseline left after each, its pathway against each target), the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from klimabok.accounts.access import org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError, input_errors
from klimabok.plans import read_models, services
from klimabok.plans.access import plan_context
from klimabok.plans.models import Measure, Scenario, Status
from klimabok.plans.scenario_forms import ScenarioForm
from klimabok.plans.scenarios import projections, scenario_effects
from klimabok.web.core_messages import localise


@login_required
def scenario_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug)
    targets = read_models.targets_of(access.organisation)
    scenarios = list(
        Scenario.objects.filter(organisation=access.organisation).prefetch_related("choices__measure__owner")
    )
    rows = []
    for scenario in scenarios:
        effects = scenario_effects(scenario)
        rows.append((scenario, effects, projections(effects, targets)))
    return render(request, "plans/scenarios.html", plan_context(access, rows=rows, targets=targets))


@login_required
def scenario_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug)
    scenario = get_object_or_404(Scenario, organisation=access.organisation, pk=pk)
    effects = scenario_effects(scenario)
    targets = read_models.targets_of(access.organisation)
    projected = projections(effects, targets)
    return render(
        request,
        "plans/scenario.html",
        plan_context(
            access,
            scenario=scenario,
            effects=effects,
            projections=projected,
            intensity_targets=[t for t in targets if t.metric != t.Metric.ABSOLUTE],
        ),
    )


def _form_page(request: AuthenticatedHttpRequest, slug: str, scenario: Scenario | None) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_PLAN)
    measures = list(
        Measure.objects.filter(organisation=access.organisation)
        .exclude(status=Status.DROPPED)
        .select_related("owner")
        .order_by("start_year", "pk")
    )
    form = ScenarioForm(request.POST or None, measures=measures, scenario=scenario)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_scenario(
                access.organisation,
                form.cleaned_data["name"],
                form.choices(),
                request.user,
                description=form.cleaned_data["description"],
                scenario=scenario,
            )
        except KlimabokError as exc:
            for error in input_errors(exc):
                form.add_error(error.field if error.field in form.fields else None, localise(error.problem))
        else:
            messages.success(request, _("The scenario “%(name)s” is saved.") % {"name": saved.name})
            return redirect("plans:scenario", slug=slug, pk=saved.pk)
    return render(
        request,
        "plans/scenario_form.html",
        plan_context(access, form=form, scenario=scenario),
        status=400 if form.errors else 200,
    )


@login_required
def scenario_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _form_page(request, slug, None)


@login_required
def scenario_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_PLAN)
    return _form_page(request, slug, get_object_or_404(Scenario, organisation=access.organisation, pk=pk))
