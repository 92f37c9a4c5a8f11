"""The organisation's certificates: the list for its members; issuing and revoking for partner staff.

Every member of the organisation (any role) may see and download its
certificates and copy the badge snippet: they are public documents anyway.
Only the climate partner's staff, who recorded the retirement in the
registry, issue and revoke them.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from klimabok.accounts.access import Access, org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability, Role
from klimabok.certificates.models import Certificate
from klimabok.certificates.services import CertificateError, issue_certificate, revoke_certificate
from klimabok.certificates.wording import wording
from klimabok.credits.models import CreditRange, Retirement


def _partner_only(access: Access) -> None:
    if access.role != Role.PARTNER:
        raise PermissionDenied(_("Only the climate partner's staff issue and revoke certificates."))


def _retirements_without_certificate(access: Access) -> list[Retirement]:
    valid = Certificate.objects.filter(retirement=OuterRef("pk"), revoked_at__isnull=True)
    return list(Retirement.objects.filter(order__client=access.organisation,
                                          order__partner_id=access.organisation.partner_id)
                .annotate(has_certificate=Exists(valid)).filter(has_certificate=False)
                .select_related("order").order_by("-retired_on", "-pk"))


@login_required
@require_safe
def certificate_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug, Capability.VIEW_SUMMARY)
    certificates = list(Certificate.objects.filter(organisation=access.organisation)
                        .select_related("retirement__matched_import"))
    rows = []
    for certificate in certificates:
        facts = certificate.certificate_facts()
        words = wording(certificate.language)
        url = facts.verification_url
        badge_text = words.badge.format(tonnes=words.number(facts.tonnes), year=facts.reporting_year)
        rows.append({
            "certificate": certificate, "facts": facts, "match": certificate.registry_match(),
            # Plain text (the template escapes it again to show the source, not the badge).
            "snippet": (f'<a href="{escape(url)}"><img src="{escape(url)}badge.svg" '
                        f'alt="{escape(badge_text)}" height="20"></a>'),
        })
    is_partner = access.role == Role.PARTNER
    pending: list[dict[str, object]] = []
    if is_partner:
        retirements = _retirements_without_certificate(access)
        tonnes: dict[int, int] = defaultdict(int)
        for retirement_id, start, end in CreditRange.objects.filter(retirement__in=retirements).values_list(
                "retirement_id", "start", "end"):
            tonnes[retirement_id] += end - start + 1
        pending = [{"retirement": r, "tonnes": tonnes[r.pk]} for r in retirements]
    return render(request, "certificates/list.html", {
        "organisation": access.organisation, "access": access, "rows": rows, "pending": pending,
        "is_partner": is_partner,
    })


@login_required
@require_POST
def issue(request: AuthenticatedHttpRequest, slug: str, retirement_id: int) -> HttpResponse:
    access = org_access(request, slug, Capability.VIEW_SUMMARY)
    _partner_only(access)
    retirement = get_object_or_404(Retirement, pk=retirement_id, order__client=access.organisation,
                                   order__partner_id=access.organisation.partner_id)
    language = request.POST.get("language", "nb")
    try:
        certificate = issue_certificate(retirement, request.user,
                                        request_url=request.build_absolute_uri("/"),
                                        language=language if language in ("nb", "en") else "nb")
    except CertificateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Certificate %(number)s issued.") % {"number": certificate.number})
    return redirect("certificates:list", slug=access.organisation.slug)


@login_required
@require_POST
def revoke(request: AuthenticatedHttpRequest, slug: str, number: str) -> HttpResponse:
    access = org_access(request, slug, Capability.VIEW_SUMMARY)
    _partner_only(access)
    certificate = get_object_or_404(Certificate, number=number, organisation=access.organisation)
    try:
        revoke_certificate(certificate, request.POST.get("reason", ""), request.user)
    except CertificateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Certificate %(number)s revoked.") % {"number": certificate.number})
    return redirect("certificates:list", slug=access.organisation.slug)
