"""The spend-based part of the climate account: drill-down from a spend category to accounts,
suppliers and individual ledger lines, and the year's overrides.

``/o/<slug>/<year>/account/spend/`` takes ``?category=…``, ``?status=excluded|unmapped``,
``?account=…``, ``?supplier=…`` or ``?account=…&supplier=…`` (then the postings too). Every figure
comes from the computed account (:class:`~klimabok.account.spend.SpendAccount`). Viewing
needs VIEW_DATA; setting or removing an override EDIT_DATA and an open year.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from klimabok.accounts.access import Access
from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError
from klimabok.inventory.access import page_context, year_access
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.forms import OverrideForm
from klimabok.ledger.models import SpendLine, SpendOverride
from klimabok.ledger.overrides import carried_over, carry_over, delete_override, set_override
from klimabok.web.core_messages import localise


def _back(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("ledger:spend_overrides", slug, year)


@login_required
def spend_overrides(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The year's overrides (GET), or set one (POST, from the drill-down's forms)."""
    if request.method == "POST":
        access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
        form = OverrideForm(request.POST)
        if not form.is_valid():
            # Django's messages end with a full stop: join them as sentences
            problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
            messages.error(request, _("The override was not saved: %(problems)s") % {"problems": problems})
            return _back(request, slug, year)
        try:
            set_override(reporting_year, **form.service_arguments(), user=request.user)  # type: ignore[arg-type]
        except KlimabokError as exc:
            messages.error(request, localise(exc))
        else:
            messages.success(request, _("Override saved: the account now uses it."))
        return _back(request, slug, year)
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    names = _names(reporting_year)
    rows = [(o, names.get((o.target, o.key), ""), _link(access, year, o)) for o in
            reporting_year.spend_overrides.select_related("created_by")]
    can_override = access.can(Capability.EDIT_DATA) and not reporting_year.is_closed
    return render(request, "ledger/spend_overrides.html", page_context(
        access, reporting_year=reporting_year, rows=rows, can_override=can_override,
        carry=carried_over(reporting_year) if can_override else None,
        account_url=reverse("account:account", args=[slug, year])))


def _names(reporting_year: ReportingYear) -> dict[tuple[str, str], str]:
    """(target, key) → the account's description or the supplier's name, for the overrides list."""
    out: dict[tuple[str, str], str] = {}
    for account_id, description, supplier_id, supplier_name in SpendLine.objects.filter(
            ledger_import__reporting_year=reporting_year, ledger_import__status="confirmed").values_list(
            "account_id", "account_description", "supplier_id", "supplier_name").distinct():
        out[("account", account_id)] = description
        if supplier_id:
            out[("supplier", supplier_id)] = supplier_name
    return out


def _link(access: Access, year: int, override: SpendOverride) -> str:
    if override.target == SpendOverride.Target.TRANSACTION:
        return ""
    return reverse("account:spend", args=[access.organisation.slug, year]) + "?" + urlencode(
        {override.target: override.key})


@login_required
@require_POST
def spend_overrides_carry(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Copy the previous year's account and supplier overrides that apply to this year's ledger."""
    _access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    try:
        count = carry_over(reporting_year, request.user)  # type: ignore[arg-type]
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, ngettext("%(count)s override copied.", "%(count)s overrides copied.", count)
                         % {"count": count})
    return redirect("ledger:spend_overrides", slug, year)


@login_required
@require_POST
def spend_override_delete(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    override = get_object_or_404(SpendOverride, reporting_year=reporting_year, pk=pk)
    try:
        delete_override(override, request.user)  # type: ignore[arg-type]
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, _("Override removed: the default applies again."))
    return _back(request, slug, year)
