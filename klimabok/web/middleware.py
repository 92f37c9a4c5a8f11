"""Security headers Django does not set by itself, and the interface language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

# No CDN, no inline script: every script and style is served from our own origin.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


class UserLanguageMiddleware:
    """Choose the interface language: the language cookie, else the user's saved choice, else bokmål.

    Runs after Django's LocaleMiddleware and AuthenticationMiddleware and
    overrides the browser's Accept-Language on purpose: klimabok is Norwegian
    first, and English is something a user picks (and keeps, on their user).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return self.get_response(request)

    @staticmethod
    def chosen_language(request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        for candidate in (request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
                          getattr(user, "language", "") if user is not None else ""):
            if candidate and candidate in dict(settings.LANGUAGES):
                return candidate
        return settings.LANGUAGE_CODE
