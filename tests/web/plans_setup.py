"""Shared set-up of the plan tests: Nordlys with a closed 2024 (a possible base year) and an open 2025."""

from __future__ import annotations

import pytest

from klimabok.accounts.models import Organisation
from klimabok.inventory.models import ActivityEntry, ReportingYear


@pytest.fixture
def closed_2024(nordlys: Organisation) -> ReportingYear:
    """2024, closed (set directly: the plan only asks whether the year is closed), with a diesel line so
    a measure can act on ``fuel.`` lines."""
    year = ReportingYear.objects.create(organisation=nordlys, year=2024, status=ReportingYear.Status.CLOSED)
    ActivityEntry.objects.create(reporting_year=year, activity="fuel.diesel", quantity=1000, unit="litres")
    return year


@pytest.fixture
def open_2025(nordlys: Organisation) -> ReportingYear:
    return ReportingYear.objects.create(organisation=nordlys, year=2025)
