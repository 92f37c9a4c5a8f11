"""The request a ``@login_required`` view receives: one whose user is signed in.

``HttpRequest.user`` is ``User | AnonymousUser``; behind ``@login_required`` it is always a
``User``, but mypy cannot see a decorator's guarantee. Annotating such a view's ``request`` with
:class:`AuthenticatedHttpRequest` says so once (the pattern django-stubs documents), so the view
hands ``request.user`` to services that record who acted without a cast or a ``type: ignore``.
It is a type only: Django still builds a plain ``HttpRequest``.
"""

from __future__ import annotations

from django.http import HttpRequest

from klimabok.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
