"""Opening an invitation link: join as the logged-in user, or create an account first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from klimabok.accounts.forms import NewUserForm
from klimabok.accounts.links import org_home_url
from klimabok.accounts.models import Invitation, Organisation, User
from klimabok.accounts.services import (
    AccountsError,
    accept_invitation,
    accept_invitation_as_new_user,
    open_invitation,
)

EMAIL_BACKEND = "klimabok.accounts.backends.EmailBackend"


def accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = open_invitation(token)
    except AccountsError as error:
        return render(request, "accounts/invitation_problem.html", {"problem": str(error)}, status=410)
    user = request.user
    if user.is_authenticated:
        return _accept_as(request, token, invitation, user)
    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(request, "accounts/invitation.html",
                      {"invitation": invitation, "must_log_in": True})
    return _accept_as_new_user(request, token, invitation)


def _accept_as(request: HttpRequest, token: str, invitation: Invitation, user: User) -> HttpResponse:
    if invitation.email.lower() != user.email.lower():
        return render(request, "accounts/invitation.html",
                      {"invitation": invitation, "wrong_user": True}, status=403)
    if request.method != "POST":
        return render(request, "accounts/invitation.html", {"invitation": invitation})
    try:
        accept_invitation(token, user)
    except AccountsError as error:
        return render(request, "accounts/invitation_problem.html", {"problem": str(error)}, status=410)
    return _welcome(request, invitation.organisation)


def _accept_as_new_user(request: HttpRequest, token: str, invitation: Invitation) -> HttpResponse:
    form = NewUserForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation_as_new_user(token, form.cleaned_data["name"],
                                                 form.cleaned_data["password1"])
        except AccountsError as error:
            return render(request, "accounts/invitation_problem.html", {"problem": str(error)}, status=410)
        login(request, user, backend=EMAIL_BACKEND)
        return _welcome(request, invitation.organisation)
    return render(request, "accounts/invitation.html", {"invitation": invitation, "form": form})


def _welcome(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    messages.success(request, _("Welcome to %(organisation)s.") % {"organisation": organisation.name})
    return redirect(org_home_url(organisation) or "home")
