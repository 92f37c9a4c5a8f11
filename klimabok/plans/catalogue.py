"""The core's measure catalogue as this app reads it: the one place that imports it.

``klimabok.core.plan.measures`` holds ``MEASURE_KINDS`` (kind key → its definition) and
``validate_params(kind, params) -> list[(field, Message)]``. Neither a view nor a write, so neither
in ``services`` nor ``read_models``: both import it from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klimabok.core.messages import Message
from klimabok.core.plan.measures import MEASURE_KINDS, MeasureKind, Param, validate_params
from klimabok.core.plan.pathway import SCOPE_LABELS

__all__ = [
    "SCOPE_LABELS", "catalogue_rows", "definition", "is_kind", "kinds", "label", "param_problems",
    "params_of",
]


def kinds() -> list[str]:
    """Every measure kind the core knows, in its catalogue's order."""
    return list(MEASURE_KINDS)


def is_kind(kind: str) -> bool:
    return kind in MEASURE_KINDS


def label(kind: str) -> Message | str:
    """The kind's name for people (its key when the catalogue does not have it)."""
    definition = MEASURE_KINDS.get(kind)
    return definition.name if definition is not None else kind


def catalogue_rows() -> list[tuple[str, Message, Message, list[Param]]]:
    """``(key, name, what it acts on, parameters)`` of every kind, for the measure form's reference table."""
    return [(key, kind.name, kind.acts_on, list(kind.params)) for key, kind in MEASURE_KINDS.items()]


def definition(kind: str) -> MeasureKind | None:
    """The catalogue's entry for ``kind`` (name, what it acts on, parameters, its note), or None."""
    return MEASURE_KINDS.get(kind)


def params_of(kind: str) -> list[Param]:
    """The parameters of ``kind`` (none for a kind the catalogue does not have)."""
    definition = MEASURE_KINDS.get(kind)
    return list(definition.params) if definition is not None else []


def param_problems(kind: str, params: Mapping[str, Any]) -> list[tuple[str, Message]]:
    """The core's objections to ``params`` for ``kind``: ``(parameter name, message)`` each."""
    return list(validate_params(kind, dict(params)))
