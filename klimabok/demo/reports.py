"""Nordlys's 2025 Miljøfyrtårn report figures and its public climate page, entered as olga and alice would.

olga, the sustainability ombudsman (Nordlys's miljøfyrtårnansvarlig), enters what the account does not
have: sick leave from the payroll system (5.4 %), Oslo's heating degree days (a normal year 3,940, a mild
2025 3,610; assumed demo figures, not a published series), the share of the energy that heats the
building (55 %) and one own indicator (printed sheets per FTE). alice, the administrator, publishes the
public climate page.
"""

from __future__ import annotations

from decimal import Decimal

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ReportingYear
from klimabok.reports.services import FiguresDraft, save_miljofyrtarn_figures, set_public_page

REPORT_YEAR = 2025
FIGURES = FiguresDraft(
    sick_leave_percent=Decimal("5.4"),
    normal_degree_days=Decimal("3940"),
    actual_degree_days=Decimal("3610"),
    heating_share_percent=Decimal("55"),
    own_indicators=[("Utskrevne ark per årsverk", "ark/årsverk", Decimal("1840"))],
)


def load_demo_reports(nordlys: Organisation, alice: User, olga: User) -> None:
    year = ReportingYear.objects.get(organisation=nordlys, year=REPORT_YEAR)
    save_miljofyrtarn_figures(year, FIGURES, olga)
    set_public_page(nordlys, True, alice)
