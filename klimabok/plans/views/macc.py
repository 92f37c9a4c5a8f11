"""The cost curve (``/o/<slug>/plan/cost-curve/``): every measure that is not dropped, applied in sequence
on the latest closed year's account, as a MACC chart and a sortable table (``?sort=``, ``?view=``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from klimabok.accounts.access import org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.core.plan.costs import View
from klimabok.inventory.templatetags.account_format import nok, tonnes
from klimabok.plans.access import plan_context
from klimabok.plans.exports import XLSX_TYPE, action_plan_xlsx
from klimabok.plans.macc_chart import Block, macc_chart
from klimabok.plans.models import Measure, Status
from klimabok.plans.scenarios import MeasureRow, PlanEffects, plan_effects
from klimabok.plans.templatetags.plans_format import status_label
from klimabok.web.core_messages import localise

_STATUS_ORDER = {status: i for i, status in enumerate(Status.values)}
_INF = float("inf")


def _cost_key(view: View) -> Callable[[MeasureRow], Any]:
    def key(row: MeasureRow) -> Any:
        cost = row.nok_per_tonne(view)
        return (cost is None, cost if cost is not None else 0.0, row.position)

    return key


#: ``?sort=`` keys (a leading ``-``: descending) and how each orders the rows.
SORTS: dict[str, Callable[[View], Callable[[MeasureRow], Any]]] = {
    "order": lambda _v: lambda r: r.position,
    "title": lambda _v: lambda r: (r.measure.title.casefold(), r.position),
    "t_location": lambda _v: lambda r: (r.t_location, r.position),
    "t_market": lambda _v: lambda r: (r.t_market, r.position),
    "cost": _cost_key,
    "annual_cost": lambda _v: (
        lambda r: (
            r.annual_cost_nok is None,
            r.annual_cost_nok if r.annual_cost_nok is not None else 0.0,
            r.position,
        )
    ),
    "status": lambda _v: lambda r: (_STATUS_ORDER.get(r.measure.status, 99), r.position),
    "owner": lambda _v: (
        lambda r: (r.measure.owner is None, str(r.measure.owner or "").casefold(), r.position)
    ),
}


def view_of(request: HttpRequest) -> View:
    return "location" if request.GET.get("view") == "location" else "market"


def sorted_rows(effects: PlanEffects, sort: str, view: View) -> tuple[list[MeasureRow], str]:
    """The rows in ``sort`` order (an unknown key: the sequence order) and the key used."""
    name = sort.removeprefix("-")
    if name not in SORTS:
        return list(effects.rows), "order"
    rows = sorted(effects.rows, key=SORTS[name](view), reverse=sort.startswith("-"))
    return rows, sort


def chart(effects: PlanEffects, view: View, slug: str) -> Any:
    """The MACC of ``effects`` in ``view``: blocks numbered by their place in the sequence."""
    by_pk = {row.measure.pk: row for row in effects.rows}
    measures_url = reverse("plans:measures", kwargs={"slug": slug})
    blocks = []
    for block in effects.blocks(view):
        row = by_pk[int(block.id)]
        blocks.append(
            Block(
                row.position,
                row.measure.title,
                block.t_per_year,
                block.nok_per_tonne,
                f"{measures_url}{row.measure.pk}/",
            )
        )
    view_name = _("location-based") if view == "location" else _("market-based")
    return macc_chart(
        blocks,
        title=_("Cost curve of the measures (%(view)s)") % {"view": view_name},
        x_label=_("t CO₂e a year"),
        y_label=_("NOK per tonne"),
        empty_text=_("No measure avoids emissions in this view yet."),
        tonnes=tonnes,
        nok=nok,
    )


@login_required
def cost_curve(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug)
    view = view_of(request)
    effects = plan_effects(access.organisation)
    rows, sort = sorted_rows(effects, request.GET.get("sort", "order"), view)
    measures_url = reverse("plans:measures", kwargs={"slug": slug})
    columns = [
        ("order", pgettext("place in the sequence of measures", "Order")),
        ("title", _("Measure")),
        ("t_location", _("t CO₂e/yr, location-based")),
        ("t_market", _("t CO₂e/yr, market-based")),
        ("cost", _("NOK per tonne")),
        ("annual_cost", _("Yearly cost (NOK)")),
        ("status", _("Status")),
        ("owner", _("Owner")),
    ]
    return render(
        request,
        "plans/macc.html",
        plan_context(
            access,
            view=view,
            effects=effects,
            rows=[
                {
                    "row": row,
                    "cost": row.nok_per_tonne(view),
                    "remaining": row.remaining_t_location if view == "location" else row.remaining_t_market,
                    "href": f"{measures_url}{row.measure.pk}/",
                    "status": status_label(row.measure.status),
                    "notes": [localise(note) for note in row.notes],
                }
                for row in rows
            ],
            sort=sort,
            columns=[
                (
                    key,
                    label,
                    f"-{key}" if sort == key else key,
                    sort.removeprefix("-") == key,
                    sort.startswith("-"),
                )
                for key, label in columns
            ],
            chart=chart(effects, view, slug) if effects.year else None,
            saved_t=effects.total_t(view),
            baseline_t=effects.baseline_t(view),
            left_t=effects.baseline_t(view) - effects.total_t(view),
        ),
    )


@login_required
def action_plan_export(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """``tiltaksplan-<slug>.xlsx``: the action plan (every measure, its owner, status, tonnes, NOK/t)."""
    access = org_access(request, slug)
    effects = plan_effects(access.organisation)
    measures = list(Measure.objects.filter(organisation=access.organisation).select_related("owner"))
    response = HttpResponse(action_plan_xlsx(effects, measures), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tiltaksplan-{access.organisation.slug}.xlsx"'
    return response
