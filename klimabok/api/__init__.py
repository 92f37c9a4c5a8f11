"""The JSON API (django-ninja) under ``/api/v1/``, with bearer-token authentication.

``models.ApiToken`` — a token of a user for an organisation; only its SHA-256 is stored.
``tokens`` — create (prints the token once), revoke, authenticate.
``v1`` — the endpoints; the OpenAPI document is ``/api/v1/openapi.json``.

No session authentication: a browser's cookies never authorise an API call, so
the API needs no CSRF token and a page cannot be tricked into calling it.
"""
