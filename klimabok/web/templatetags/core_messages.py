"""``{% load core_messages %}``: ``{{ flag|localise }}`` shows a core message or error translated."""

from __future__ import annotations

from django import template

from klimabok.core.errors import KlimabokError
from klimabok.core.messages import Message
from klimabok.web.core_messages import localise as localise_message

register = template.Library()


@register.filter
def localise(item: Message | KlimabokError | str) -> str:
    """See :func:`klimabok.web.core_messages.localise` (the result is escaped like any text)."""
    return localise_message(item)
