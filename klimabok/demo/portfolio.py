"""Klimapartner AS's demo credit portfolio: five real registry rows, imported and screened as uploads are.

The rows (``registry_exports/``, source and licence in its README) are
afforestation/reforestation removals from Verra and Gold Standard cookstove
reductions. The demo policy asks for vintage 2020 or later, so the 2019
Uruguay plantation is rejected with its reason on the portfolio page. ARR
projects carry no removal label in Verra's export: the partner records them as
removals on the project, as a user would on the project page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from klimabok.accounts.models import Organisation, User
from klimabok.certificates.models import Certificate
from klimabok.compensation.services import create_order, record_retirement
from klimabok.credits import services
from klimabok.credits.models import (
    CompensationOrder,
    CreditBlock,
    CreditProject,
    CreditRange,
    PortfolioPolicy,
    RegistryImport,
    Retirement,
    ScreeningCheck,
)

EXPORTS = Path(__file__).parent / "registry_exports"
#: Price per tonne (NOK) by registry project ID; the stories clients read.
PROJECTS = {
    "2319": ("245.00", "removal", True,
             "Agroforestry on the Batéké Plateau: acacia and eucalyptus planted on savannah grassland, "
             "with cassava grown between the young trees."),
    "2401": ("280.00", "removal", True, "Trees planted on degraded land in Sierra Leone."),
    "4268": ("310.00", "removal", True,
             "Small family forest owners in the United States paid to let their forests grow older "
             "instead of harvesting early."),
    "960": ("190.00", "removal", True, "Eucalyptus and pine plantations on degraded grazing land, Uruguay."),
    "10792": ("95.00", "reduction", False,
              "Efficient cookstoves for households in Kenya: less firewood, cleaner air in the kitchen."),
}


def remove_demo_credits(slugs: list[str]) -> None:
    """Delete the credits of the demo partners (their audit events stay: the trail is append-only)."""
    partners = Organisation.objects.filter(slug__in=slugs)
    blocks = CreditBlock.objects.filter(project__owner__in=partners)
    CreditRange.objects.filter(block__in=blocks).delete()
    ScreeningCheck.objects.filter(block__in=blocks).delete()
    orders = CompensationOrder.objects.filter(partner__in=partners)
    Certificate.objects.filter(retirement__order__in=orders).delete()
    Retirement.objects.filter(order__in=orders).delete()
    orders.delete()
    blocks.delete()
    RegistryImport.objects.filter(partner__in=partners).delete()
    CreditProject.objects.filter(owner__in=partners).delete()
    PortfolioPolicy.objects.filter(partner__in=partners).delete()


def load_demo_credits(partner: Organisation, user: User) -> None:
    # Not the strict default policy, on purpose and shown on its policy page: the demo's Verra forest
    # issuances are real rows, and the registry gives them no ICVCM CCP label, so requiring it would
    # reject the forest credits the demo client compensated with. A fixed oldest vintage (2020)
    # instead of the 5-year age rule keeps the demo the same whatever year it is loaded in.
    services.update_policy(partner, user, require_ccp=False, min_vintage_year=2020,
                           max_vintage_age_years=None, min_removal_share=Decimal("0.5"))
    services.import_registry_file(partner, EXPORTS / "verra-transactions.csv", "verra", user)
    services.import_registry_file(partner, EXPORTS / "gold-standard-issuances.csv", "gold-standard", user)
    for project in CreditProject.objects.filter(owner=partner):
        price, kind, nature_based, description = PROJECTS[project.registry_project_id]
        services.update_project(project, user, kind=kind, nature_based=nature_based, description=description)
        for block in project.blocks.all():
            services.set_price(block, Decimal(price), user)


@dataclass(frozen=True)
class DemoRetirement:
    """The press release's story: the call centre compensated 138 t of its residual emissions by forest
    planting. The serials are a real Verra issuance; the retirement is the demo's own (its reference
    says so), not a registry record."""

    tonnes: int = 138
    year: int = 2024
    project: str = "2319"
    retired_on: date = date(2025, 3, 14)
    reference: str = "DEMO-VCS-RETIREMENT-2025-0314 (demo data, not a registry record)"
    reason: str = "Kompensasjon av restutslipp 2024 (scope 1, 2 og forretningsreiser)"


DEMO_RETIREMENT = DemoRetirement()


def load_demo_compensation(client: Organisation, admin: User, partner_staff: User, *, site_url: str) -> None:
    """The client orders 138 t of forest credits for its closed 2024 account; the partner retires them.

    ``site_url`` is where the demo is served: the certificate prints its verification address.
    """
    demo = DEMO_RETIREMENT
    project = CreditProject.objects.get(owner=client.partner, registry_project_id=demo.project)
    placed = create_order(client, demo.year, demo.tonnes, project=project,
                          idempotency_key=f"demo-{client.slug}-{demo.year}", user=admin,
                          coverage="scope_1_2_travel")
    record_retirement(placed.order, demo.retired_on, demo.reference, "", demo.reason,
                      f"{client.legal_name}, klimaregnskap {demo.year}", partner_staff, request_url=site_url)
