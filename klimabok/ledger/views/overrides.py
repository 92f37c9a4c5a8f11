"""A year's spend overrides: the list, setting one (from the spend drill-down's forms, which
:mod:`klimabok.account.views.spend` shows), removing one, and carrying the previous year's over.

Viewing needs VIEW_DATA; setting or removing an override EDIT_DATA and an open year. After a
change the user goes back to the page the form was on (``next``, same host only).
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
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.spend.double_counting import CoverageMode
from klimabok.inventory.access import page_context, year_access
from klimabok.ledger import services
from klimabok.ledger.forms import CoverageRuleForm, OverrideForm
from klimabok.ledger.models import SpendOverride
from klimabok.ledger.read_models import override_names
from klimabok.web.core_messages import tell_outcome


def _back(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("ledger:spend_overrides", slug, year)


@login_required
def spend_overrides(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """The year's overrides (GET), or set one (POST, from the drill-down's forms)."""
    if request.method == "POST":
        access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
        form = OverrideForm(request.POST)
        if not form.is_valid():
            # Django's messages end with a full stop: join them as sentences
            problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
            messages.error(request, _("The override was not saved: %(problems)s") % {"problems": problems})
            return _back(request, slug, year)
        tell_outcome(request, lambda: services.set_override(
            reporting_year, **form.service_arguments(), user=request.user),
            lambda _override: _("Override saved: the account now uses it."))
        return _back(request, slug, year)
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    names = override_names(reporting_year)
    rows = [(o, names.get((o.target, o.key), ""), _link(access, year, o)) for o in
            reporting_year.spend_overrides.select_related("created_by")]
    can_override = access.can(Capability.EDIT_DATA) and not reporting_year.is_closed
    return render(request, "ledger/spend_overrides.html", page_context(
        access, reporting_year=reporting_year, rows=rows, can_override=can_override,
        carry=services.carried_over(reporting_year) if can_override else None,
        account_url=reverse("account:account", args=[slug, year])))


def _link(access: Access, year: int, override: SpendOverride) -> str:
    if override.target == SpendOverride.Target.TRANSACTION:
        return ""
    return reverse("account:spend", args=[access.organisation.slug, year]) + "?" + urlencode(
        {override.target: override.key})


@login_required
@require_POST
def spend_overrides_carry(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """Copy the previous year's account and supplier overrides that apply to this year's ledger."""
    _access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    tell_outcome(request, lambda: services.carry_over(reporting_year, request.user),
                 lambda count: ngettext("%(count)s override copied.", "%(count)s overrides copied.", count)
                 % {"count": count})
    return redirect("ledger:spend_overrides", slug, year)


@login_required
@require_POST
def spend_override_delete(request: AuthenticatedHttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    override = get_object_or_404(SpendOverride, reporting_year=reporting_year, pk=pk)
    tell_outcome(request, lambda: services.delete_override(override, request.user),
                 lambda _none: _("Override removed: the default applies again."))
    return _back(request, slug, year)


@login_required
@require_POST
def coverage_rule(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """Set what the year's activity data covers of a spend category (from the account page)."""
    _access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    form = CoverageRuleForm(request.POST)
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("The rule was not saved: %(problems)s") % {"problems": problems})
        return _back(request, slug, year)
    data = form.cleaned_data
    tell_outcome(request, lambda: services.set_coverage_rule(
        reporting_year, data["category"], CoverageMode(data["mode"]), share_percent=data["share_percent"],
        note=data["note"], user=request.user),
        lambda _rule: _("Rule saved: the account now excludes what it says the activity data covers."))
    return _back(request, slug, year)
