"""Messages the core gives a user, translatable without the core knowing Django.

The core reports problems and notes in English, but the web shows them in the
user's language. So every user-facing text of the core is made with
:func:`message`: an English ``%``-template with named parameters, kept apart
until it is shown. ``str(msg)`` is the English text (what the CLI and the JSON
output print); the web renders ``gettext(msg.template) % msg.params`` instead
(``klimabok.web.core_messages.localise``).

:func:`message` is also the marker translators rely on: a test collects the
literal template of every call in ``klimabok/core`` and checks it has a bokmål
translation in ``klimabok/locale/nb/LC_MESSAGES/django.po``. So the template
must be a string literal, and a literal ``%`` is written ``%%``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeAlias

#: What a parameter may be: shown with ``%s``, a number with a numeric conversion (``%(x)g``), or
#: another message (a word the reader's language names differently; translated when shown).
Param: TypeAlias = "str | int | float | Message"


class Message:
    """An English template with its parameters; equal and hashable by both (flags are counted by it)."""

    __slots__ = ("params", "template")

    def __init__(self, template: str, params: Mapping[str, Param] | None = None) -> None:
        self.template = template
        self.params: Mapping[str, Param] = MappingProxyType(dict(params or {}))

    def __str__(self) -> str:
        return self.template % dict(self.params)

    def __repr__(self) -> str:
        return f"Message({self.template!r}, {dict(self.params)!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Message) and self.template == other.template
                and dict(self.params) == dict(other.params))

    def __hash__(self) -> int:
        return hash((self.template, tuple(sorted(self.params.items()))))

    def __reduce__(self) -> tuple[type[Message], tuple[str, dict[str, Param]]]:
        return Message, (self.template, dict(self.params))


def message(template: str, /, **params: Param) -> Message:
    """A user-facing core message: ``template`` (a string literal, English) with named ``params``."""
    return Message(template, params)
