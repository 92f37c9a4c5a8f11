"""The domain exception hierarchy.

Every error a user can cause carries a message that names *where* (file, row,
column/field) and *what*; the CLI prints ``str(error)`` and exits non-zero,
the web shows the same text next to the row.
"""

from __future__ import annotations


class KlimabokError(Exception):
    """Base class for every error klimabok reports to a user."""


class UnitError(KlimabokError):
    """A quantity's unit is unknown or does not convert to the factor's unit."""


class FactorNotFound(KlimabokError):
    """No emission factor for an activity key (or none for the requested year)."""


class InputError(KlimabokError):
    """Bad input in an uploaded or given file.

    ``location`` is the human-readable place ("activities.csv, row 7, column quantity");
    the message is ``"{location}: {problem}"``.
    """

    def __init__(self, problem: str, *, source: str | None = None, row: int | None = None,
                 field: str | None = None) -> None:
        self.problem = problem
        self.source = source
        self.row = row
        self.field = field
        super().__init__(f"{self.location}: {problem}" if self.location else problem)

    @property
    def location(self) -> str:
        parts = []
        if self.source:
            parts.append(self.source)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"column {self.field}")
        return ", ".join(parts)


class InputErrors(KlimabokError):
    """Several row-level errors from one file: the whole file is rejected."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        shown = "\n".join(str(e) for e in errors[:50])
        more = f"\n… and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} error(s):\n{shown}{more}")
