"""Messages kept in an import's JSON fields (errors, warnings, notes), shown later in the reader's language.

The worker reads a file without a request (no user language), so a core
:class:`~klimabok.core.messages.Message` is stored as its English template and parameters and
translated when a page shows it (:func:`klimabok.web.core_messages.localise`). Text that is already
a string (an earlier import's warnings, an unexpected error's generic text) stays as it is.
"""

from __future__ import annotations

from typing import Any

from klimabok.core.errors import InputError, KlimabokError, input_errors
from klimabok.core.messages import Message

#: At most this many errors of a failed import are kept (the reader stops at 1,000).
STORED_ERRORS = 200


def message_to_json(item: Message | str) -> dict[str, Any] | str:
    """A message as JSON: ``{"template", "params"}``, or the text itself."""
    if isinstance(item, Message):
        return {"template": item.template, "params": dict(item.params)}
    return str(item)


def message_from_json(value: dict[str, Any] | str) -> Message | str:
    if isinstance(value, dict):
        return Message(value["template"], value.get("params") or {})
    return str(value)


def errors_to_json(error: KlimabokError) -> list[dict[str, Any]]:
    """Every problem of ``error`` (one, or an ``InputErrors`` list) with where it is: file, row, column."""
    return [{"problem": message_to_json(e.problem), "source": e.source, "row": e.row, "field": e.field}
            for e in input_errors(error)[:STORED_ERRORS]]


def errors_from_json(values: list[dict[str, Any]]) -> list[InputError]:
    return [InputError(message_from_json(v["problem"]), source=v.get("source"), row=v.get("row"),
                       field=v.get("field")) for v in values]
