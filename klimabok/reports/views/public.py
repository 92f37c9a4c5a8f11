"""The public climate page, ``/climate/<slug>/``: no login, only what the organisation chose to publish.

An organisation that has not turned its page on (or does not exist) is a 404 that says so, in the
style of the certificates' verification page. The page shows a
:class:`~klimabok.core.reports.public_page.PublicClimatePage` and nothing else: the template is
rendered with exactly :data:`PUBLIC_CONTEXT` (no request context, so no user, no organisations menu),
in ``?lang=nb|en`` (bokmål by default).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_safe

from klimabok.reports.read_models import load_public_page, published_organisation

LANGUAGES = ("nb", "en")
PAGE_CACHE = "public, max-age=300"
#: Every name the public page's template is given.
PUBLIC_CONTEXT = ("page", "language", "other_language")


@require_safe
def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    asked = request.GET.get("lang", "")
    language = asked if asked in LANGUAGES else "nb"
    organisation = published_organisation(slug)
    with translation.override(language):
        if organisation is None:
            html = render_to_string("reports/public_not_found.html", {"language": language})
            response = HttpResponse(html, status=404)
        else:
            page = load_public_page(organisation)
            context = {
                "page": page,
                "language": language,
                "other_language": "en" if language == "nb" else "nb",
            }
            response = HttpResponse(render_to_string("reports/public_page.html", context))
            response["Cache-Control"] = PAGE_CACHE
    response["Content-Language"] = language
    return response
