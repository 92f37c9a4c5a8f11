"""What the engagement services share: refusing bad input at its field, recording audit events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from django.db import models

from klimabok.accounts.models import Organisation, User
from klimabok.audit.services import record_event, subject_of
from klimabok.core.errors import InputError, InputErrors
from klimabok.core.messages import Message


def refuse(field: str, template: str, /, **params: Any) -> NoReturn:
    """Raise one problem at ``field`` (``template``: English, marked with ``gettext_noop`` by the caller)."""
    raise InputErrors([InputError(Message(template, params), field=field)])


def record(row: models.Model, area: str, organisation: Organisation, actor: User | None, kind: str,
           payload: Mapping[str, Any]) -> None:
    """The audit event of a change to ``row`` (subject ``<area>:<org slug>/<pk>``): call it last."""
    record_event(organisation=organisation, actor=actor, kind=kind,
                 subject=subject_of(area, organisation.slug, row.pk), payload=payload)
