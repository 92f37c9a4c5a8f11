"""The monthly digest: a member's own setting, and the one-click opt-out from the e-mail (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from klimabok.accounts.access import org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.engagement import services
from klimabok.engagement.access import engagement_context
from klimabok.engagement.forms import DigestForm


@login_required
def digest_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug)
    if request.method == "POST":
        form = DigestForm(request.POST)
        if form.is_valid():
            wanted = form.cleaned_data["wanted"]
            services.set_digest(access.organisation, request.user, wanted=wanted)
            messages.success(request, _("You receive the monthly digest.") if wanted
                             else _("You no longer receive the monthly digest."))
            return redirect("engagement:digest", slug=slug)
    form = DigestForm(initial={"wanted": services.receives_digest(access.organisation, request.user)})
    return render(request, "engagement/digest.html", engagement_context(access, form=form))


# No CSRF token: the signed token is the authority, and a mail client's one-click unsubscribe (RFC 8058)
# posts here without a session. It only ever turns the digest off.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = services.read_unsubscribe_token(token)
    if found is None:
        return render(request, "engagement/unsubscribe.html", {"invalid": True}, status=404)
    organisation, user = found
    done = request.method == "POST"
    if done:
        services.set_digest(organisation, user, wanted=False)
    return render(request, "engagement/unsubscribe.html",
                  {"done": done, "organisation_name": organisation.name, "token": token})
