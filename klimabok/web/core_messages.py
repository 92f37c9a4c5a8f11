"""Core messages in the user's language: the one place the web turns a core message into text.

The core (no Django) makes every user-facing text with
:func:`klimabok.core.messages.message`: an English template and its
parameters. Here the template goes through Django's ``gettext`` (the bokmål
translations live in ``klimabok/locale/nb/LC_MESSAGES/django.po``) and the
parameters are filled in afterwards. Errors get the same treatment, including
their location ("opplasting.xlsx, rad 7, kolonne mengde"). Views call
:func:`localise`; templates use the ``localise`` filter (``{% load core_messages %}``).
"""

from __future__ import annotations

from django.utils.translation import gettext

from klimabok.core.errors import SHOWN_ERRORS, InputError, InputErrors, KlimabokError
from klimabok.core.messages import Message


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
