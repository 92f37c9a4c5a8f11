"""What the compensation tests share: a closed 2025 account for Nordlys and an offered, priced block.

The account (market-based): 10 000 l diesel in the company's cars (scope 1),
100 000 kWh electricity (scope 2) and 20 hotel nights (scope 3.6, business travel).
The block: Verra VCUs 941467007–941467106 (100 t), removals, 200 NOK per tonne.
"""

from __future__ import annotations

from decimal import Decimal

from klimabok.account import services as account_services
from klimabok.accounts.models import Organisation, User
from klimabok.core.credits.registries import Project
from klimabok.credits import services as credits
from klimabok.credits.models import CreditBlock
from klimabok.inventory.models import ActivityEntry, ReportingYear

#: 100 credits: 941467106 − 941467007 + 1.
VERRA_100 = "19385-941467007-941467106-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
FIRST_SERIAL = 941467007


def offered_block(partner: Organisation, user: User | None, serial: str = VERRA_100, quantity: int = 100,
                  price: str = "200.00", name: str = "Skogplanting i Etiopia") -> CreditBlock:
    block = credits.add_block(partner, serial, quantity, Project(registry="", project_id="", name=name,
                                                                 country="ET"),
                              user=user, kind="removal", price=Decimal(price))
    assert block.status == CreditBlock.Status.OFFERED, "the test block must pass screening"
    return block


def year_with_data(organisation: Organisation, year: int = 2025) -> ReportingYear:
    reporting_year = ReportingYear.objects.create(organisation=organisation, year=year)
    for activity, quantity, unit in (("fuel.diesel_mineral", 10_000, "litres"),
                                     ("electricity.no", 100_000, "kWh"), ("hotel.no", 20, "room_night")):
        ActivityEntry.objects.create(reporting_year=reporting_year, activity=activity,
                                     quantity=Decimal(quantity), unit=unit)
    return reporting_year


def closed_year(organisation: Organisation, user: User | None, year: int = 2025) -> ReportingYear:
    reporting_year = year_with_data(organisation, year)
    account_services.close_year(reporting_year, user)
    reporting_year.refresh_from_db()
    return reporting_year
