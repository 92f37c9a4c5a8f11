"""The public face of a certificate: verification page, PDF and badge. No login, nothing but the certificate.

Everything shown comes from the certificate's frozen facts (what was
printed) plus two live facts: whether and why it was revoked, and whether the
registry's own export has since confirmed the retirement — no prices, orders,
people or other data of the organisation. The address's token is the only key; an
unknown token is a 404 that says there is no such certificate.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from klimabok.certificates.badge import badge_svg
from klimabok.certificates.facts import LANGUAGES
from klimabok.certificates.models import Certificate
from klimabok.certificates.render import render_certificate_pdf
from klimabok.certificates.wording import wording

PAGE_CACHE = "public, max-age=300"  # a revocation shows within five minutes
BADGE_CACHE = "public, max-age=3600"  # embedded on other sites: fetched often, changes rarely
NOT_FOUND_BADGE = {"nb": "sertifikatet finnes ikke", "en": "no such certificate"}
REVOKED_BADGE = {"nb": "sertifikatet er tilbakekalt", "en": "certificate revoked"}


def _find(request: HttpRequest, token: str) -> tuple[Certificate | None, str]:
    """The certificate of ``token`` (``None``: there is none) and the language to show it in:
    ``?lang=nb|en``, else the certificate's own language, else bokmål."""
    certificate = Certificate.objects.filter(token=token).select_related(
        "retirement__matched_import").first()
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return certificate, asked
    return certificate, certificate.language if certificate is not None else "nb"


@require_safe
def verify(request: HttpRequest, token: str) -> HttpResponse:
    certificate, language = _find(request, token)
    with translation.override(language):
        if certificate is None:
            response = render(request, "certificates/not_found.html", {"language": language}, status=404)
        else:
            facts = certificate.certificate_facts(language)
            words = wording(language)
            response = render(request, "certificates/verify.html", {
                "certificate": certificate, "facts": facts, "words": words, "language": language,
                "statement": words.statement_for(facts.organisation_name),
                "retired_on": words.date(facts.retired_on), "tonnes": words.number(facts.tonnes),
                "registry_check": words.registry_check_for(certificate.registry_match()),
                "registry_matched": certificate.registry_match() is not None,
                "issued_on": words.date(timezone.localdate(facts.issued_at)),
                "revoked_on": words.date(timezone.localdate(certificate.revoked_at))
                if certificate.revoked_at else "",
                "projects": [(p, words.kinds.get(p.kind, words.kinds["unknown"]),
                              words.natures.get(p.nature, "")) for p in facts.projects],
                "serial_ranges": [(r, words.number(r.quantity)) for r in facts.serial_ranges],
                "other_language": "en" if language == "nb" else "nb",
            })
            response["Cache-Control"] = PAGE_CACHE
    response["Content-Language"] = language
    return response


@require_safe
def certificate_pdf(request: HttpRequest, token: str) -> HttpResponse:
    certificate, language = _find(request, token)
    if certificate is None:
        return verify(request, token)
    revoked_on = timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None
    pdf = render_certificate_pdf(certificate.certificate_facts(language), revoked_on=revoked_on,
                                 registry_match=certificate.registry_match())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}-{language}.pdf"'
    response["Cache-Control"] = PAGE_CACHE
    return response


@require_safe
def badge(request: HttpRequest, token: str) -> HttpResponse:
    certificate, language = _find(request, token)
    if certificate is None:
        svg, status = badge_svg(NOT_FOUND_BADGE[language], revoked=True), 404
    elif certificate.is_revoked:
        svg, status = badge_svg(REVOKED_BADGE[language], revoked=True), 200
    else:
        facts = certificate.certificate_facts(language)
        words = wording(language)
        svg = badge_svg(words.badge.format(tonnes=words.number(facts.tonnes), year=facts.reporting_year))
        status = 200
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8", status=status)
    response["Cache-Control"] = BADGE_CACHE if status == 200 else "no-cache"
    # The badge is meant for other sites' pages: let them load it as an image.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
