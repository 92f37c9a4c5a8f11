"""Core messages in the user's language: the one place the web turns a core message into text.

The core (no Django) makes every user-facing text with
:func:`klimabok.core.messages.message`: an English template and its
parameters. Here the template goes through Django's ``gettext`` (the bokmål
translations live in ``klimabok/locale/nb/LC_MESSAGES/django.po``) and the
parameters are filled in afterwards. Errors get the same treatment, including
their location ("opplasting.xlsx, rad 7, kolonne mengde"). Views call
:func:`localise` (or :func:`tell_outcome` around a service call); templates use the
``localise`` filter (``{% load core_messages %}``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext

from klimabok.core.errors import SHOWN_ERRORS, InputError, InputErrors, KlimabokError
from klimabok.core.messages import Message

T = TypeVar("T")


def localise(item: Message | KlimabokError | str) -> str:
    """``item`` as text in the active language.

    A :class:`Message` is translated; an :class:`InputError` reads
    "location: problem" with the location words translated; ``InputErrors``
    one error a line under a heading. Text the web layer already translated
    (a ``str``, or an error raised with one) is returned as it is.
    """
    if isinstance(item, Message):
        return gettext(item.template) % {name: localise(value) if isinstance(value, Message) else value
                                         for name, value in item.params.items()}
    if isinstance(item, InputErrors):
        return "\n".join(map(localise, (item.message, *item.errors[:SHOWN_ERRORS], *item.more)))
    if isinstance(item, InputError):
        location = ", ".join(map(localise, item.location_parts))
        problem = localise(item.problem)
        return f"{location}: {problem}" if location else problem
    if isinstance(item, KlimabokError):
        return localise(item.message)
    return str(item)


def tell_outcome(request: HttpRequest, action: Callable[[], T], success: Callable[[T], str]) -> bool:
    """Call a service (``action``) for a POST and tell the user how it went; whether it succeeded.

    A refusal (``KlimabokError``: a closed year, a state that does not allow it…) becomes an error
    message in the user's language; otherwise ``success(result)`` is the success message.
    """
    try:
        result = action()
    except KlimabokError as exc:
        messages.error(request, localise(exc))
        return False
    messages.success(request, success(result))
    return True
