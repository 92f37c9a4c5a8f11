"""The compensate page of a client's year and the partner's order list and retirement form.

Every view: check access → load the page's read model → on POST call one
service → redirect with a message, or show the service's error beside the form.
Who may do what: everyone who can see the account reads the compensate page;
the client's administrator and its partner's staff order and cancel
(:func:`services.may_order`); only partner staff see ``/partner/orders/`` and
record retirements. Another tenant's organisation or order is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.access import partner_organisations_of
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.models import Organisation
from klimabok.accounts.roles import Capability
from klimabok.compensation import services
from klimabok.compensation.forms import OrderForm, RetirementForm, SuggestionForm, new_idempotency_key
from klimabok.compensation.read_models import (
    load_compensation_page,
    order_rows,
    partner_orders,
    retirement_queue,
)
from klimabok.core.errors import KlimabokError
from klimabok.credits.models import CompensationOrder
from klimabok.inventory.access import page_context, year_access
from klimabok.web.core_messages import localise


def _page_url(slug: str, year: int) -> str:
    return reverse("compensation:compensate", args=[slug, year])


@login_required
def compensate(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """``/o/<slug>/<year>/compensate/``: residual emissions, what is compensated, the portfolio, orders."""
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    can_order = services.may_order(access.role)
    suggestion = SuggestionForm(request.GET or None)
    coverage_key, margin = suggestion.choice()
    page = load_compensation_page(reporting_year, margin)
    projects = [offer.project for offer in page.portfolio.offers]
    coverage = page.coverage(coverage_key)
    form = None
    if can_order:
        if request.method == "POST":
            form = OrderForm(request.POST, projects=projects)
            if form.is_valid():
                placed = _place(request, access.organisation, year, form)
                if placed is not None:
                    return redirect(f"{_page_url(slug, year)}#order-{placed.order.pk}")
        else:
            form = OrderForm(projects=projects, initial={
                "tonnes": coverage.suggested_t if coverage and coverage.suggested_t else None,
                "coverage": coverage_key, "idempotency_key": new_idempotency_key()})
    elif request.method == "POST":
        raise PermissionDenied(_("Your role cannot order credits."))
    return render(request, "compensation/compensate.html", page_context(
        access, reporting_year=reporting_year, page=page, suggestion=suggestion, coverage=coverage,
        margin=margin, form=form, can_order=can_order,
        show_form=can_order and reporting_year.is_closed and bool(page.portfolio.offers),
        suggested_price=page.portfolio.price(coverage.suggested_t) if coverage and coverage.suggested_t
        else None))


def _place(request: AuthenticatedHttpRequest, client: Organisation, year: int,
           form: OrderForm) -> services.PlacedOrder | None:
    """Place the form's order; on a refusal, put the reason on the form (a new key only if it was used)."""
    data = form.cleaned_data
    try:
        placed = services.create_order(
            client, year, data["tonnes"], project=data["project"], idempotency_key=data["idempotency_key"],
            user=request.user, coverage=data["coverage"] or "")
    except services.IdempotencyConflict as exc:
        form.add_error(None, localise(exc))
        fresh = request.POST.copy()  # the key is taken: the next submit needs a new one
        fresh["idempotency_key"] = new_idempotency_key()
        form.data = fresh
        return None
    except KlimabokError as exc:
        form.add_error(None, localise(exc))
        return None
    order = placed.order
    if placed.created:
        messages.success(request, _("Order %(order)s: %(tonnes)s t reserved for %(year)s, %(price)s "
                                    "%(currency)s.") % {
            "order": order.pk, "tonnes": order.tonnes, "year": year,
            "price": number_format(order.price_total, 2, force_grouping=True),
            "currency": order.currency})
        messages.info(request, _(
            "The credits are reserved for you and now wait for %(partner)s to retire them in the registry. "
            "Until then they are not retired and cannot be claimed; the certificate is issued with the "
            "retirement.") % {"partner": order.partner.name})
    else:
        messages.info(request, _("Order %(order)s was already placed with this form; nothing was ordered "
                                 "twice.") % {"order": order.pk})
    return placed


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    """Cancel one of the year's reserved orders (its credits become available again)."""
    access, _year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    if not services.may_order(access.role):
        raise PermissionDenied(_("Your role cannot cancel orders."))
    order = get_object_or_404(CompensationOrder, pk=pk, client=access.organisation, reporting_year=year)
    try:
        services.cancel_order(order, request.user)
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, _("Order %(order)s is cancelled; its credits are released.")
                         % {"order": pk})
    return redirect(_page_url(slug, year))


def _partners(request: AuthenticatedHttpRequest) -> list[Organisation]:
    partners = partner_organisations_of(request.user)
    if not partners:
        raise Http404
    return partners


@login_required
def orders(request: AuthenticatedHttpRequest) -> HttpResponse:
    """``/partner/orders/``: every client's orders, for the partner's staff."""
    partners = _partners(request)
    status = request.GET.get("status", "")
    if status not in CompensationOrder.Status.values:
        status = ""
    return render(request, "compensation/partner_orders.html", {
        "rows": partner_orders(partners, status), "status": status,
        "statuses": CompensationOrder.Status.choices, "queue": retirement_queue(partners)})


@login_required
def retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """``/partner/orders/<id>/retire/``: record the registry retirement of a reserved order."""
    partners = _partners(request)
    order = get_object_or_404(CompensationOrder.objects.select_related("client", "partner"), pk=pk,
                              partner__in=partners)
    client = order.client
    if request.method == "POST":
        form = RetirementForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                retirement, certificate = services.record_retirement(
                    order, data["retired_on"], data["registry_reference"], data["registry_url"],
                    data["reason"], data["details"], request.user,
                    request_url=request.build_absolute_uri("/"))
            except KlimabokError as exc:
                form.add_error(None, localise(exc))
            else:
                messages.success(request, _("Order %(order)s is retired for %(beneficiary)s; certificate "
                                            "%(number)s is issued.") % {
                    "order": order.pk, "beneficiary": retirement.beneficiary, "number": certificate.number})
                return redirect("compensation:partner_orders")
    else:
        form = RetirementForm(initial={
            "reason": _("Compensation of %(client)s's residual emissions in %(year)s")
            % {"client": client.legal_name or client.name, "year": order.reporting_year},
            "details": _("Client: %(client)s (org. no. %(number)s); reporting year %(year)s; klimabok order "
                         "%(order)s") % {"client": client.legal_name or client.name,
                                         "number": client.org_number or "–", "year": order.reporting_year,
                                         "order": order.pk}})
    row = order_rows([order])[0]
    return render(request, "compensation/retire.html", {"order": order, "row": row, "form": form,
                                                        "beneficiary": client.legal_name or client.name})

