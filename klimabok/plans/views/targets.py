"""Targets: the list with the science-based check, the form (with the rule set's proposal), a target's page
(pathway chart, progress, base-year check and recalculations) and recording a recalculation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.access import Access, org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError
from klimabok.core.plan.pathway import recalculation_needed
from klimabok.core.plan.sbti import RULESETS, Proposal
from klimabok.plans import pathway, read_models, services
from klimabok.plans.access import plan_context
from klimabok.plans.forms import RecalculationForm, TargetForm
from klimabok.plans.models import Target
from klimabok.plans.scenarios import BY_STATUS
from klimabok.plans.templatetags.plans_targets import (
    chart_of,
    covers_text,
    gap_text,
    localise_numbers,
    own_view,
    progress_text,
)

#: (key, "name version") of every rule set, for the form and the check's picker.
RULESET_CHOICES = [(key, f"{rules.name} {rules.version}") for key, rules in RULESETS.items()]


def _ruleset(value: str | None) -> str:
    return value if value in RULESETS else pathway.DEFAULT_RULESET


def _sbti_groups(
    targets: list[Target], years: list[pathway.YearFigures], ruleset: str
) -> list[dict[str, Any]]:
    """The science-based check of the targets of each base year (the set submitted together)."""
    today = timezone.localdate()
    groups = []
    for base_year in sorted({t.base_calendar_year for t in targets}):
        figures = pathway.figures_of(years, base_year)
        chosen = [t for t in targets if t.base_calendar_year == base_year]
        results = pathway.sbti_check(figures, chosen, ruleset, today) if figures else []
        groups.append({"base_year": base_year, "targets": chosen, "results": results})
    return groups


@login_required
def target_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug)
    targets = read_models.targets_of(access.organisation)
    years = pathway.load_years(access.organisation) if targets else []
    ruleset = _ruleset(request.GET.get("ruleset"))
    rows = []
    for target in targets:
        line = pathway.target_pathway(target, years, own_view(target))
        rows.append(
            {
                "target": target,
                "covers": covers_text(target),
                "progress": progress_text(line.progress),
                "on_track": line.progress.on_track if line.progress else None,
            }
        )
    return render(
        request,
        "plans/targets.html",
        plan_context(
            access,
            rows=rows,
            ruleset=RULESETS[ruleset],
            rulesets=RULESET_CHOICES,
            groups=_sbti_groups(targets, years, ruleset),
        ),
    )


def _proposal_links(slug: str, base_pk: int, proposal: Proposal) -> list[dict[str, Any]]:
    """Each proposed target with a link that fills the form with it."""
    out = []
    for target in proposal.targets:
        coverage, categories = pathway.coverage_of(target.covers)
        query: list[tuple[str, str | int]] = [
            ("base_year", base_pk),
            ("name", target.name),
            ("target_year", target.target_year),
            ("coverage", coverage),
            ("scope2_method", target.scope_2_method),
            ("reduction_percent", f"{target.reduction * 100:.1f}"),
            ("ruleset", proposal.ruleset),
            *(("scope3_categories", c) for c in categories),
        ]
        out.append(
            {
                "target": target,
                "reduction": target.reduction,
                "rate": target.annual_rate,
                "href": f"{reverse('plans:target_new', args=[slug])}?{urlencode(query)}",
            }
        )
    return out


def _target_form_page(request: AuthenticatedHttpRequest, slug: str, pk: int | None) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_PLAN)
    target = (
        get_object_or_404(Target, organisation=access.organisation, pk=pk) if pk is not None else None
    )
    years = pathway.load_years(access.organisation)
    reporting_years = [y.reporting_year for y in years]
    if target is not None:
        initial: dict[str, Any] = TargetForm.initial_of(target)
    else:
        closed = pathway.closed_years(years)
        initial = {"base_year": str(closed[-1].reporting_year.pk)} if closed else {}
        fields = (
            "base_year",
            "name",
            "target_year",
            "coverage",
            "scope2_method",
            "reduction_percent",
            "ruleset",
        )
        initial |= {name: request.GET[name] for name in fields if name in request.GET}
        if "scope3_categories" in request.GET:
            initial["scope3_categories"] = request.GET.getlist("scope3_categories")
    form = TargetForm(
        request.POST or None, years=reporting_years, rulesets=RULESET_CHOICES, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, access, form, target, years)
        if saved is not None:
            messages.success(request, _("The target “%(name)s” is saved.") % {"name": saved.name})
            return redirect("plans:target", slug=slug, pk=saved.pk)
    # What the page shows beside the form: the chosen base year's figures and the rule set's proposal.
    chosen_pk = str(form["base_year"].value() or "")
    base = next((y for y in years if str(y.reporting_year.pk) == chosen_pk), None)
    ruleset = _ruleset(request.GET.get("check") or str(form["ruleset"].value() or ""))
    proposal = (
        pathway.sbti_proposal(base, ruleset, timezone.localdate()) if base and base.closed else None
    )
    return render(
        request,
        "plans/target_form.html",
        plan_context(
            access,
            form=form,
            target=target,
            base=base,
            facts=base.facts() if base else None,
            ruleset=RULESETS[ruleset],
            rulesets=RULESET_CHOICES,
            proposal=proposal,
            proposals=_proposal_links(slug, base.reporting_year.pk, proposal)
            if base and proposal
            else [],
        ),
        status=400 if form.errors else 200,
    )


def _save(
    request: AuthenticatedHttpRequest,
    access: Access,
    form: TargetForm,
    target: Target | None,
    years: list[pathway.YearFigures],
) -> Target | None:
    """Save the form's target with its base value from the base year's account; None when refused."""
    data = form.cleaned_data
    figures = pathway.figures_of(years, form.chosen_year().year)
    unchanged = target is not None and (
        str(target.base_year_id),
        target.coverage,
        list(target.scope3_categories),
        target.scope2_method,
    ) == (data["base_year"], data["coverage"], sorted(data["scope3_categories"]), data["scope2_method"])
    if target is not None and unchanged:
        base_t = target.base_t_co2e  # a recalculated base value stays
    else:
        computed = pathway.base_value(
            figures, data["coverage"], data["scope3_categories"], data["scope2_method"]
        )
        if computed is None and figures is not None and figures.closed:
            form.add_error(
                "base_year",
                _("The base year's account cannot be computed: %(error)s") % {"error": figures.error},
            )
            return None
        base_t = Decimal(f"{computed or 0:.3f}")
    try:
        return services.save_target(access.organisation, form.draft(base_t), request.user, target)
    except KlimabokError as exc:
        form.show_refusal(exc)
        return None


@login_required
def target_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _target_form_page(request, slug, None)


@login_required
def target_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    return _target_form_page(request, slug, pk)


def _target_page(
    request: AuthenticatedHttpRequest,
    slug: str,
    pk: int,
    *,
    form: RecalculationForm | None = None,
    preview: str = "",
) -> HttpResponse:
    access = org_access(request, slug)
    target = get_object_or_404(
        Target.objects.select_related("base_year", "created_by").prefetch_related(
            "recalculations__recorded_by"
        ),
        organisation=access.organisation,
        pk=pk,
    )
    view: pathway.View = (
        "location" if request.GET.get("view", own_view(target)) == "location" else "market"
    )
    bau = request.GET.get("bau", "flat")
    bau = bau if bau in pathway.BAU_MODES else "flat"
    years = pathway.load_years(access.organisation)
    plan = pathway.the_plan(access.organisation, request.GET.get("scenario"))
    line = pathway.target_pathway(target, years, view, bau_mode=bau, plan=plan)
    base_figures = pathway.figures_of(years, target.base_calendar_year)
    check = pathway.base_check(target, base_figures)
    siblings = list(
        Target.objects.filter(
            organisation=access.organisation, base_calendar_year=target.base_calendar_year
        )
    )
    ruleset = _ruleset(request.GET.get("ruleset") or target.ruleset)
    results = (
        pathway.sbti_check(base_figures, siblings, ruleset, timezone.localdate()) if base_figures else []
    )
    if form is None:
        form = RecalculationForm(initial={"new_base_t_co2e": Decimal(f"{check.suggested_t:.3f}")})
    return render(
        request,
        "plans/target.html",
        plan_context(
            access,
            target=target,
            covers=covers_text(target),
            line=line,
            view=view,
            bau=bau,
            chart=chart_of(line),
            progress=progress_text(line.progress),
            gap=gap_text(line.gap),
            base_parts=pathway.base_parts(base_figures, target) if base_figures else None,
            check=check,
            form=form,
            preview=preview,
            ruleset=RULESETS[ruleset],
            rulesets=RULESET_CHOICES,
            results=results,
            siblings=siblings,
            plan=plan,
            plan_rows=line.plan_rows,
            by_status=BY_STATUS,
            views=[("location", _("Location-based")), ("market", _("Market-based"))],
            bau_modes=[("flat", _("Flat")), ("fte", _("With FTE")), ("revenue", _("With revenue"))],
        ),
        status=400 if form.errors else 200,
    )


@login_required
def target_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    return _target_page(request, slug, pk)


@login_required
@require_POST
def target_recalculate(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record a base-year recalculation (or, with ``check``, say whether it calls for one, saving nothing)."""
    access = org_access(request, slug, Capability.MANAGE_PLAN)
    target = get_object_or_404(Target, organisation=access.organisation, pk=pk)
    form = RecalculationForm(request.POST)
    if not form.is_valid():
        return _target_page(request, slug, pk, form=form)
    if "check" in request.POST:
        verdict = recalculation_needed(float(target.base_t_co2e), float(form.new_value()))
        return _target_page(request, slug, pk, form=form, preview=localise_numbers(verdict.message))
    try:
        services.record_recalculation(
            target, form.new_value(), form.cleaned_data["reason"], form.note_text(), request.user
        )
    except KlimabokError as exc:
        form.show_refusal(exc)
        return _target_page(request, slug, pk, form=form)
    messages.success(request, _("The recalculation of the base year is recorded."))
    return redirect("plans:target", slug=slug, pk=pk)
