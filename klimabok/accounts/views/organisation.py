"""Organisation settings, and new client organisations created by partner staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from klimabok.accounts.access import org_access, partner_organisations_of
from klimabok.accounts.forms import ClientForm, OrganisationForm
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.links import org_home_url
from klimabok.accounts.roles import Capability
from klimabok.accounts.services import create_client, update_organisation
from klimabok.accounts.views.members import invitation_link_builder


@login_required
def settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_MEMBERS)
    form = OrganisationForm.for_organisation(access.organisation, request.POST or None)
    if request.method == "POST" and form.is_valid():
        update_organisation(access.organisation, form.details())
        messages.success(request, _("The organisation's settings are saved."))
        return redirect("accounts:settings", slug=slug)
    return render(request, "accounts/settings.html",
                  {"organisation": access.organisation, "access": access, "form": form},
                  status=400 if form.is_bound else 200)


@login_required
def new_client(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    partners = partner_organisations_of(user)
    if not partners:
        raise PermissionDenied(_("Only climate-partner staff can create client organisations."))
    partner = partners[0]
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = create_client(partner, form.details(), form.cleaned_data["first_admin_email"],
                               user, invitation_link_builder(request))
        messages.success(request, _("%(organisation)s is created.") % {"organisation": client.name})
        if form.cleaned_data["first_admin_email"]:
            messages.success(request, _("Invitation sent to %(email)s.")
                             % {"email": form.cleaned_data["first_admin_email"]})
        return redirect(org_home_url(client) or "home")
    return render(request, "accounts/client_new.html", {"form": form, "partner": partner},
                  status=400 if form.is_bound else 200)
