"""Writes of the claims app: recording a year's claim prerequisites."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from klimabok.accounts.models import User
from klimabok.inventory.models import ReportingYear

from .models import ClaimPrerequisites


@transaction.atomic
def save_prerequisites(reporting_year: ReportingYear, values: dict[str, Any],
                       user: User) -> ClaimPrerequisites:
    """Record the year's prerequisites (booleans and references, as the form cleaned them)."""
    row, _created = (ClaimPrerequisites.objects.select_for_update()
                     .get_or_create(reporting_year=reporting_year))
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by = user
    row.save()
    return row
