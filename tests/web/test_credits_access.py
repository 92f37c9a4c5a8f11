"""Only partner staff reach the credit pages; clients (alice) and outsiders (mallory) get a 404."""

from __future__ import annotations

from decimal import Decimal

import pytest

from klimabok.accounts.models import Organisation, User
from klimabok.core.credits.registries import Project
from klimabok.credits import services
from klimabok.credits.models import CreditBlock, CreditProject
from tests.web.conftest import ClientFor

GS = "GS1-1-KE-GS11603-16-2025-30256-110-5463"  # 5354 credits, vintage 2025


@pytest.fixture
def block(klimapartner: Organisation, petra: User) -> CreditBlock:
    return services.add_block(
        klimapartner,
        GS,
        5354,
        Project(registry="", project_id="", name="Ovner i Kenya"),
        user=petra,
        kind="reduction",
        labels=("Emission Reduction",),
        price=Decimal("95"),
    )


def pages(block: CreditBlock) -> list[str]:
    return [
        "/partner/credits/",
        "/partner/credits/import/",
        "/partner/credits/add/",
        "/partner/credits/policy/",
        f"/partner/credits/projects/{block.project_id}/",
        "/partner/log/",
        "/partner/log/?verify=1",
    ]


def test_partner_staff_see_every_page(client_for: ClientFor, block: CreditBlock, petra: User) -> None:
    client = client_for(petra)
    for url in pages(block):
        assert client.get(url).status_code == 200, url
    home = client.get("/partner/credits/").content.decode()
    assert "Klimakreditter" in home and GS in home and "Ovner i Kenya" in home


@pytest.mark.parametrize("name", ["alice", "mallory", "olga"])
def test_others_get_404(
        client_for: ClientFor, everyone: dict[str, User], block: CreditBlock, name: str) -> None:
    client = client_for(everyone[name])
    for url in pages(block):
        assert client.get(url).status_code == 404, (name, url)
    assert client.post("/partner/credits/policy/", {"require_ccp": "on"}).status_code == 404
    assert "/partner/credits/" not in client.get("/factors/").content.decode()  # no header link


def test_another_partners_project_is_404(client_for: ClientFor, block: CreditBlock, petra: User) -> None:
    other = Organisation.objects.create(slug="annen", name="Annen AS", kind=Organisation.Kind.PARTNER)
    project = CreditProject.objects.create(owner=other, registry="verra", registry_project_id="1", name="X")
    assert client_for(petra).get(f"/partner/credits/projects/{project.pk}/").status_code == 404


def test_policy_change_rescreens_and_shows_why(
        client_for: ClientFor, block: CreditBlock, petra: User) -> None:
    assert block.status == "offered"
    response = client_for(petra).post(
        "/partner/credits/policy/",
        {
            "require_ccp": "on",
            "min_vintage_year": "",
            "max_vintage_age_years": "",
            "min_removal_percent": "50",
            "inactive_methodologies": "",
            "ex_post_only": "on",
        },
    )
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.status == "rejected"
    page = client_for(petra).get("/partner/credits/").content.decode()
    assert "mangler ICVCM CCP-merking, som retningslinjene krever" in page
    # removals are 0 % of what is offered (nothing is): the portfolio check says so
    services.update_policy(block.project.owner, petra, require_ccp=False)
    block.refresh_from_db()
    assert block.status == "offered"
    page = client_for(petra).get("/partner/credits/").content.decode()
    assert "0,0 %" in page or "0.0 %" in page


def test_project_edit_sets_price_and_description(
        client_for: ClientFor, block: CreditBlock, petra: User) -> None:
    response = client_for(petra).post(
        f"/partner/credits/projects/{block.project_id}/",
        {
            "name": "Rene ovner",
            "description": "Effektive kokeovner.",
            "photo_url": "",
            "co_benefits": "SDG 3",
            "kind": "reduction",
            "nature_based": "false",
            "durability": "",
            "buffer": "",
            "rating": "",
            "corresponding_adjustment": "unknown",
            "price": "120.50",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    block.refresh_from_db()
    assert block.price_per_tonne == Decimal("120.50") and block.project.description == "Effektive kokeovner."


def test_the_former_ledger_address_leads_to_the_credit_log(petra: User, client_for: ClientFor) -> None:
    response = client_for(petra).get("/partner/ledger/?verify=1")
    assert (response.status_code, response["Location"]) == (301, "/partner/log/?verify=1")
