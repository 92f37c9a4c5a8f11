"""What every plan service shares: refusing bad input field by field, and recording what changed.

A refusal names the field it is about (``InputError.field``: the form field's name, or
``params.<name>`` for a measure parameter), so the page shows each message at its field; a service
collects every problem before it writes anything, then raises them together (``InputErrors``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn

from django.db import models

from klimabok.accounts.access import role_in
from klimabok.accounts.models import Organisation, User
from klimabok.audit.services import record_event, subject_of
from klimabok.core.errors import InputError, InputErrors
from klimabok.core.messages import Message

Problems = list[tuple[str, Message]]


def problem(template: str, /, **params: Any) -> Message:
    """A refusal's text: an English template (marked with ``gettext_noop`` by the caller) and its values."""
    return Message(template, params)


def refuse_if(problems: Problems) -> None:
    """Raise every problem at once (``InputErrors``, each with its field), or do nothing."""
    if problems:
        raise InputErrors([InputError(text, field=field) for field, text in problems])


def refuse(field: str, text: Message) -> NoReturn:
    """Raise one problem at ``field``."""
    raise InputErrors([InputError(text, field=field)])


def is_member(user: User | None, organisation: Organisation) -> bool:
    """Whether ``user`` may own an item of ``organisation``: a member, or the partner's staff."""
    return user is not None and role_in(user, organisation) is not None


def plain(value: object) -> object:
    """A field's value as the audit payload stores it (JSON: no floats, no dates, no model rows)."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def snapshot(row: models.Model, fields: Iterable[str]) -> dict[str, object]:
    """``row``'s ``fields`` as the audit payload stores them."""
    return {name: plain(getattr(row, name)) for name in fields}


def changes(before: Mapping[str, object] | None, after: Mapping[str, object]) -> dict[str, list[object]]:
    """``{field: [old, new]}`` for every field that differs (every field, old ``None``, when new)."""
    before = before or {}
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value or name not in before
    }


def record(
    row: models.Model,
    organisation: Organisation,
    actor: User | None,
    kind: str,
    area: str,
    payload: Mapping[str, Any],
) -> None:
    """The audit event of a change to ``row`` (subject ``<area>:<org slug>/<pk>``): call it last."""
    record_event(
        organisation=organisation,
        actor=actor,
        kind=kind,
        subject=subject_of(area, organisation.slug, row.pk),
        payload=payload,
    )
