"""Log in with e-mail address (case-insensitive) and password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class EmailBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        email = (username or kwargs.get("email") or "").strip().lower()
        return super().authenticate(request, username=email, password=password, **kwargs)
