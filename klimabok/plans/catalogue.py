"""The core's measure catalogue as this app reads it: the one place that imports it.

``klimabok.core.plan.measures`` holds ``MEASURE_KINDS`` (kind key → its definition) and
``validate_params(kind, params) -> list[(field, Message)]``. Neither a view nor a write, so neither
in ``services`` nor ``read_models``: both import it from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klimabok.core.messages import Message
from klimabok.core.plan.measures import MEASURE_KINDS, Param, validate_params
from klimabok.core.plan.pathway import SCOPE_LABELS

__all__ = ["SCOPE_LABELS", "catalogue_rows", "is_kind", "kinds", "label", "param_problems"]


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


def param_problems(kind: str, params: Mapping[str, Any]) -> list[tuple[str, Message]]:
    """The core's objections to ``params`` for ``kind``: ``(parameter name, message)`` each."""
    return list(validate_params(kind, dict(params)))
