"""An organisation's members and open invitations: list, invite, change role, remove.

Only roles with ``MANAGE_MEMBERS`` (administrators and partner staff) get
here; other members get a 403, everyone else a 404 (see ``org_access``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.access import Access, org_access
from klimabok.accounts.forms import InvitationForm, RoleForm
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.models import Invitation, Membership
from klimabok.accounts.roles import Capability, Role
from klimabok.accounts.services import (
    AcceptUrl,
    AccountsError,
    change_role,
    invite_member,
    remove_member,
    revoke_invitation,
)


def invitation_link_builder(request: HttpRequest) -> AcceptUrl:
    """The absolute ``/invite/<token>/`` link for the e-mail, on the host the request came to."""
    return lambda token: request.build_absolute_uri(
        reverse("accounts:invitation_accept", kwargs={"token": token}))


def _members_page(request: HttpRequest, access: Access, invite_form: InvitationForm,
                  status: int = 200) -> HttpResponse:
    organisation = access.organisation
    memberships = (Membership.objects.filter(organisation=organisation)
                   .select_related("user").order_by("user__name", "user__email"))
    rows = [(m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in memberships]
    invitations = (Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True)
                   .select_related("invited_by"))
    return render(request, "accounts/members.html", {
        "organisation": organisation, "access": access, "rows": rows, "invitations": invitations,
        "invite_form": invite_form, "admin_role": Role.ADMIN,
    }, status=status)


@login_required
def members(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_MEMBERS)
    return _members_page(request, access, InvitationForm())


@login_required
@require_POST
def invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_MEMBERS)
    form = InvitationForm(request.POST)
    if form.is_valid():
        user = request.user
        try:
            invitation = invite_member(access.organisation, form.cleaned_data["email"],
                                       form.cleaned_data["role"], user, invitation_link_builder(request))
        except AccountsError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:members", slug=slug)
    return _members_page(request, access, form, status=400)


@login_required
@require_POST
def change_member_role(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_MEMBERS)
    membership = get_object_or_404(Membership.objects.select_related("user", "organisation"),
                                   pk=pk, organisation=access.organisation)
    form = RoleForm(request.POST, prefix=f"m{pk}")
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles in the list."))
    else:
        try:
            change_role(membership, form.cleaned_data["role"])
        except AccountsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(user)s is now %(role)s.")
                             % {"user": membership.user, "role": membership.get_role_display()})
    return redirect("accounts:members", slug=slug)


@login_required
def remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST removes."""
    access = org_access(request, slug, Capability.MANAGE_MEMBERS)
    membership = get_object_or_404(Membership.objects.select_related("user", "organisation"),
                                   pk=pk, organisation=access.organisation)
    if request.method != "POST":
        return render(request, "accounts/member_remove.html",
                      {"organisation": access.organisation, "access": access, "membership": membership})
    try:
        remove_member(membership)
    except AccountsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(user)s no longer has access to %(organisation)s.")
                         % {"user": membership.user, "organisation": access.organisation.name})
        if membership.user_id == request.user.pk:
            return redirect("home")
    return redirect("accounts:members", slug=slug)


@login_required
@require_POST
def withdraw_invitation(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_MEMBERS)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=access.organisation,
                                   accepted_at__isnull=True)
    revoke_invitation(invitation)
    messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("accounts:members", slug=slug)
