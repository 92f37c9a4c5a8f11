"""Logging in, the home page and the interface language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from klimabok.accounts.access import organisations_for, partner_organisations_of
from klimabok.accounts.forms import LoginForm
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.links import org_home_url
from klimabok.accounts.models import User
from klimabok.accounts.services import clear_login_failures, remember_language


class LoginView(auth_views.LoginView):
    """Django's login with e-mail, which also restores the language the user chose last time."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().language
        if language and check_for_language(language):
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language,
                                max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax")
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation, which also lifts a login lockout: the e-mail link proves identity."""

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        clear_login_failures(form.user)
        return response


class LogoutView(auth_views.LogoutView):
    """Django's POST-only logout, which says that it happened."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are logged out."))
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (cookie and redirect), remembered on the user as well."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language):
        user = request.user
        remember_language(user, language)
    return response


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One organisation: go there. Several, or partner staff: choose."""
    user = request.user
    organisations = organisations_for(user)
    partners = partner_organisations_of(user)
    if len(organisations) == 1 and not partners:
        url = org_home_url(organisations[0])
        if url:
            return redirect(url)
    return render(request, "accounts/home.html", {"organisations": organisations, "partners": partners})
