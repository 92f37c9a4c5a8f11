"""How the target pages, the dashboard and a measure's page write the plan's figures.

``{% load plans_targets %}``.

Numbers in the page's language (bokmål: "8,4 %", "1 234,5 t"), never the core's "8.4": the core's
progress and gap sentences are made again here from their figures, and :func:`localise_numbers` turns
the decimal parameters of a core message (the science-based rules') into the page's format. The
dashboard's pathway and a measure's effect are inclusion tags, so the pages that hold them need no more
than the include (they read through :mod:`klimabok.plans.pathway`).
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from klimabok.core.messages import Message
from klimabok.core.plan.costs import GapClosed
from klimabok.core.plan.pathway import Progress
from klimabok.inventory.templatetags.account_format import category_name, grouped, without_trailing_zeros
from klimabok.plans import charts
from klimabok.plans.models import Measure, Target
from klimabok.plans.pathway import (
    Realised,
    TargetPathway,
    View,
    load_years,
    measure_effect,
    target_pathway,
    the_plan,
)
from klimabok.web.core_messages import localise

register = template.Library()

_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def share(fraction: float) -> str:
    """A share as a page shows it in a sentence: 0.12 → "12 %", 0.084 → "8,4 %" (one decimal at most)."""
    return f"{without_trailing_zeros(100 * fraction, 1)}\u00a0%"


def tonnes_text(value: float) -> str:
    return grouped(value, 1)


def localise_numbers(item: Message) -> str:
    """A core message in the page's language with its decimal parameters ("8.4", "16.8") in the page's
    number format ("8,4", "16,8")."""
    params = {
        name: without_trailing_zeros(float(value), 1)
        if isinstance(value, str) and _DECIMAL.match(value)
        else value
        for name, value in item.params.items()
    }
    return localise(Message(item.template, params))


register.filter("localise_numbers", localise_numbers)
register.filter("share", share)


def progress_text(progress: Progress | None) -> str:
    """ "2025 is 12 % below 2024; the pathway asks for 8,4 % by now." """
    if progress is None:
        return ""
    values = {
        "year": progress.year,
        "base_year": progress.base_year,
        "required": share(progress.required),
    }
    if progress.change >= 0:
        return _(
            "%(year)s is %(change)s below %(base_year)s; the pathway asks for %(required)s by now."
        ) % {
            **values,
            "change": share(progress.change),
        }
    return _(
        "%(year)s is %(change)s above %(base_year)s; the pathway asks for %(required)s below it by now."
    ) % {
        **values,
        "change": share(-progress.change),
    }


def gap_text(gap: GapClosed | None) -> str:
    """ "This plan closes 64 % of the gap to the 2030 target." — the same sentence on the target pages, the
    dashboard and the scenario pages (``{{ projection.gap|gap_text }}``)."""
    if gap is None:
        return ""
    if gap.gap_t <= 0:
        return _("Business as usual already meets the %(year)s target.") % {"year": gap.year}
    return _("This plan closes %(share)s of the gap to the %(year)s target.") % {
        "share": share(gap.share),
        "year": gap.year,
    }


register.filter("gap_text", gap_text)


def chart_of(pathway: TargetPathway) -> SafeString:
    """The pathway chart of ``pathway`` in the page's language."""
    labels = charts.Labels(
        title=_("%(name)s: emissions and pathway, t CO₂e (%(view)s)")
        % {"name": pathway.target.name, "view": view_name(pathway.view)},
        actual=_("Actual (closed year)"),
        open_year=_("Open year"),
        target=_("Target pathway"),
        bau=_("Business as usual"),
        plan=_("Plan"),
        gap=_("Gap"),
        unit="t CO₂e",
        empty=_("No figures to draw yet."),
    )
    points = [
        charts.Point(r.year, r.actual_t, r.closed, r.target_t, r.bau_t, r.plan_t) for r in pathway.rows
    ]
    return charts.pathway_chart(points, labels, tonnes_text)


def view_name(view: str) -> str:
    return _("location-based") if view == "location" else _("market-based")


def covers_text(target: Target) -> str:
    """What a target covers, in words: "Scope 1 and 2", "Scope 3: 3.6, 3.7"."""
    if target.coverage == Target.Coverage.SCOPE_3:
        return ", ".join(category_name(f"scope_3.{c}") for c in target.scope3_categories)
    return str(target.get_coverage_display())


def own_view(target: Target) -> View:
    return "location" if target.scope2_method == "location" else "market"


@register.inclusion_tag("plans/_dashboard_pathways.html", takes_context=True)
def dashboard_pathways(context: dict[str, Any], targets: list[Target]) -> dict[str, Any]:
    """The dashboard's pathway of each target in its own scope 2 method, and the share of the gap the
    plan closes."""
    years = load_years(context["organisation"]) if targets else []
    plan = the_plan(context["organisation"]) if targets else None
    rows = []
    for target in targets:
        pathway = target_pathway(target, years, own_view(target), plan=plan)
        rows.append(
            {
                "target": target,
                "chart": chart_of(pathway),
                "progress": progress_text(pathway.progress),
                "gap": gap_text(pathway.gap),
                "on_track": pathway.progress.on_track if pathway.progress else None,
            }
        )
    return {
        "organisation": context["organisation"],
        "rows": rows,
        "can_plan": context.get("can_plan"),
        "plan": plan,
    }


@register.inclusion_tag("plans/_measure_effect_panel.html", takes_context=True)
def measure_effect_panel(context: dict[str, Any], measure: Measure) -> dict[str, Any]:
    """A measure's computed effect where it sits in the plan's sequence, and what it realised."""
    page = measure_effect(measure)
    return {"organisation": context["organisation"], "page": page, "measure": measure}


@register.filter
def realised_in(realised: Realised, view: str) -> str:
    """A realised change in tonnes, signed like an effect (positive: less emitted)."""
    return tonnes_text(realised.change("location" if view == "location" else "market"))
