"""The domain exception hierarchy.

Every error a user can cause carries a message that names *where* (file, row,
column/field) and *what*. The core makes those messages with
:func:`~klimabok.core.messages.message`, so the CLI prints ``str(error)`` in
English and exits non-zero, while the web shows the same message translated
(``klimabok.web.core_messages.localise``).
"""

from __future__ import annotations

from klimabok.core.messages import Message, message

#: How many row-level errors ``str(InputErrors)`` spells out.
SHOWN_ERRORS = 50


class KlimabokError(Exception):
    """Base class for every error klimabok reports to a user.

    ``message`` is a :class:`Message` when the core raised it; the web layer
    raises its own with text it has already translated (a plain ``str``).
    """

    def __init__(self, message: Message | str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


class UnitError(KlimabokError):
    """A quantity's unit is unknown or does not convert to the factor's unit."""


class FactorNotFound(KlimabokError):
    """No emission factor for an activity key (or none for the requested year)."""


class InputError(KlimabokError):
    """Bad input in an uploaded or given file.

    ``location`` is the human-readable place ("activities.csv, row 7, column quantity");
    the message is ``"{location}: {problem}"``.
    """

    def __init__(self, problem: Message | str, *, source: str | None = None, row: int | None = None,
                 field: str | None = None) -> None:
        self.problem = problem
        self.source = source
        self.row = row
        self.field = field
        super().__init__(problem)

    def __str__(self) -> str:
        return f"{self.location}: {self.problem}" if self.location else str(self.problem)

    @property
    def location_parts(self) -> tuple[Message | str, ...]:
        """The file name (as it is), "row N" and "column X" — whichever are known."""
        parts: list[Message | str] = []
        if self.source:
            parts.append(self.source)
        if self.row is not None:
            parts.append(message("row %(row)s", row=self.row))
        if self.field:
            parts.append(message("column %(field)s", field=self.field))
        return tuple(parts)

    @property
    def location(self) -> str:
        return ", ".join(map(str, self.location_parts))


class InputErrors(KlimabokError):
    """Several row-level errors from one file: the whole file is rejected."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__(message("%(count)s error(s):", count=len(errors)))
        self.args = (errors,)  # as constructed, so a copy (pickle) is made the same way

    def __str__(self) -> str:
        return "\n".join(map(str, (self.message, *self.errors[:SHOWN_ERRORS], *self.more)))

    @property
    def more(self) -> tuple[Message, ...]:
        """"… and N more" when not every error is spelled out (else nothing)."""
        hidden = len(self.errors) - SHOWN_ERRORS
        return (message("… and %(count)s more", count=hidden),) if hidden > 0 else ()


def input_errors(error: KlimabokError) -> list[InputError]:
    """The row-level errors of any klimabok error: its list, itself, or one without a location."""
    if isinstance(error, InputErrors):
        return error.errors
    if isinstance(error, InputError):
        return [error]
    return [InputError(error.message)]
