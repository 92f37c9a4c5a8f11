"""``{% load core_messages %}``: ``{{ flag|localise }}`` shows a core message or error translated."""

from __future__ import annotations

from django import template

from klimabok.core.errors import KlimabokError
from klimabok.core.messages import Message
from klimabok.core.spend.overrides import activity_group_names
from klimabok.web.core_messages import localise as localise_message

register = template.Library()


@register.filter
def activity_groups(groups: list[str] | tuple[str, ...]) -> str:
    """Activity groups (``electricity``, ``district_heating``…) by their names in the page's language."""
    return localise_message(activity_group_names(groups))


@register.filter
def localise(item: Message | KlimabokError | str) -> str:
    """See :func:`klimabok.web.core_messages.localise` (the result is escaped like any text)."""
    return localise_message(item)
