"""The compensate page per role, ordering and cancelling from it, and the partner's retirement pages."""

from __future__ import annotations

import re

import pytest

from klimabok.accounts.models import Organisation, User
from klimabok.certificates.models import Certificate
from klimabok.certificates.services import revoke_certificate
from klimabok.compensation import services
from klimabok.credits.models import CompensationOrder, CreditBlock, CreditRange
from klimabok.inventory.models import ReportingYear
from tests.web.compensation_setup import FIRST_SERIAL, closed_year, offered_block, year_with_data
from tests.web.conftest import ClientFor, messages_shown

PAGE = "/o/nordlys/2025/compensate/"


@pytest.fixture(autouse=True)
def site_url(settings: object) -> None:
    settings.KLIMABOK_SITE_URL = "https://klimabok.example"  # type: ignore[attr-defined]


@pytest.fixture
def year(nordlys: Organisation, alice: User) -> ReportingYear:
    return closed_year(nordlys, alice)


@pytest.fixture
def block(klimapartner: Organisation, petra: User) -> CreditBlock:
    return offered_block(klimapartner, petra)


def form_key(page: str) -> str:
    found = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page)
    assert found, "the order form carries a fresh idempotency key"
    return found.group(1)


def test_alice_sees_residuals_suggestion_and_portfolio(year: ReportingYear, block: CreditBlock,
                                                       client_for: ClientFor, alice: User) -> None:
    page = client_for(alice).get(PAGE).content.decode()
    assert "Kompensasjon 2025" in page
    assert "Rapporteres ved siden av, trekkes aldri fra." in page
    # market-based: scope 1 26,6155 (10 000 l diesel) + scope 2 40,491 (100 000 kWh × 0,40491 kg) = 67,1 t
    # → 68; all scopes 73,3834 t → 74 (⌈73,3834⌉)
    assert "67,1" in page and "73,4" in page
    assert re.search(r"<strong>74</strong>", page)
    assert "Skogplanting i Etiopia" in page and "Opptak (removal)" in page
    assert "200,00 NOK" in page and "100 t" in page
    assert "Foreslåtte 74 t koster 14\xa0800,00 kr" in page  # 74 × 200 NOK
    assert 'value="74"' in page  # the order form is prefilled with the suggestion
    form_key(page)


def test_safety_margin_raises_the_suggestion(year: ReportingYear, block: CreditBlock, client_for: ClientFor,
                                             alice: User) -> None:
    page = client_for(alice).get(PAGE, {"coverage": "scope_1_2", "margin": "10"}).content.decode()
    assert 'value="74"' in page  # ⌈67,1065 × 1,10⌉ = ⌈73,817⌉ = 74


def test_alice_orders_once_even_when_she_submits_twice(year: ReportingYear, block: CreditBlock,
                                                       client_for: ClientFor, alice: User) -> None:
    client = client_for(alice)
    key = form_key(client.get(PAGE).content.decode())
    form = {"tonnes": 7, "project": "", "coverage": "all", "idempotency_key": key}
    first = client.post(PAGE, form)
    assert first.status_code == 302
    order = CompensationOrder.objects.get()
    # 7 t × 200 NOK
    # The first message; the second says the credits wait for the partner (tests/web/test_order_waiting.py).
    assert messages_shown(first)[0] == f"Bestilling {order.pk}: 7 t reservert for 2025, 1\xa0400,00 NOK."
    assert len(messages_shown(first)) == 2
    client.get(PAGE)  # the message is shown
    second = client.post(PAGE, form)
    assert messages_shown(second) == [
        f"Bestilling {order.pk} var allerede lagt inn fra dette skjemaet; ingenting ble bestilt to ganger."]
    assert CompensationOrder.objects.count() == 1
    page = client.get(PAGE).content.decode()
    assert "941467007-941467013" in page  # the reserved serials, formatted as the registry does
    assert "Avbestill" in page
    assert "<td class=\"num\">7</td>" in page  # 7 t reserved or retired beside the emissions


def test_not_enough_credits_says_how_many_are_left(year: ReportingYear, block: CreditBlock,
                                                   client_for: ClientFor, alice: User) -> None:
    client = client_for(alice)
    key = form_key(client.get(PAGE).content.decode())
    page = client.post(PAGE, {"tonnes": 101, "coverage": "all", "idempotency_key": key}).content.decode()
    assert "ikke nok kreditter: 101 t bestilt, men bare 100 t tilgjengelig" in page
    assert not CompensationOrder.objects.exists()


def test_cancel_from_the_page_releases_the_credits(year: ReportingYear, block: CreditBlock,
                                                    client_for: ClientFor, nordlys: Organisation,
                                                    alice: User) -> None:
    order = services.create_order(nordlys, 2025, 7, idempotency_key="order-0001", user=alice).order
    response = client_for(alice).post(f"{PAGE}orders/{order.pk}/cancel/")
    assert messages_shown(response) == [f"Bestilling {order.pk} er avbestilt; kredittene er frigitt."]
    assert list(CreditRange.objects.values_list("status", flat=True)) == ["available"]


@pytest.mark.parametrize("name", ["emma", "aud", "olga", "carl"])
def test_other_roles_read_but_cannot_order(name: str, year: ReportingYear, block: CreditBlock,
                                           everyone: dict[str, User], client_for: ClientFor,
                                           nordlys: Organisation, alice: User) -> None:
    order = services.create_order(nordlys, 2025, 7, idempotency_key="order-0001", user=alice).order
    client = client_for(everyone[name])
    page = client.get(PAGE).content.decode()
    assert "Rollen din kan se kompensasjonen, men ikke bestille kreditter" in page
    assert "idempotency_key" not in page and "Avbestill" not in page
    assert client.post(PAGE, {"tonnes": 7, "idempotency_key": "x" * 32}).status_code == 403
    assert client.post(f"{PAGE}orders/{order.pk}/cancel/").status_code == 403
    assert CompensationOrder.objects.get().status == "reserved"


def test_mallory_gets_404_everywhere(year: ReportingYear, block: CreditBlock, client_for: ClientFor,
                                     nordlys: Organisation, alice: User, mallory: User) -> None:
    order = services.create_order(nordlys, 2025, 7, idempotency_key="order-0001", user=alice).order
    client = client_for(mallory)
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"tonnes": 7, "idempotency_key": "x" * 32}).status_code == 404
    assert client.post(f"{PAGE}orders/{order.pk}/cancel/").status_code == 404
    assert client.get("/partner/orders/").status_code == 404
    assert client.get(f"/partner/orders/{order.pk}/retire/").status_code == 404


def test_an_open_year_explains_why_it_cannot_be_compensated(block: CreditBlock, nordlys: Organisation,
                                                            client_for: ClientFor, alice: User) -> None:
    year_with_data(nordlys)
    client = client_for(alice)
    page = client.get(PAGE).content.decode()
    assert "Regnskapet for 2025 er fortsatt åpent" in page
    assert "ville vært villedende" in page
    assert "Bestilling åpner når året er lukket." in page
    response = client.post(PAGE, {"tonnes": 7, "coverage": "all", "idempotency_key": "k" * 32})
    assert "klimaregnskapet for 2025 er fortsatt åpent" in response.content.decode()
    assert not CompensationOrder.objects.exists()


def test_petra_orders_for_her_client_and_retires_it(year: ReportingYear, block: CreditBlock,
                                                    client_for: ClientFor, petra: User) -> None:
    client = client_for(petra)
    key = form_key(client.get(PAGE).content.decode())
    client.post(PAGE, {"tonnes": 30, "coverage": "all", "idempotency_key": key})
    order = CompensationOrder.objects.get()
    listing = client.get("/partner/orders/").content.decode()
    assert "Nordlys Kundesenter AS" in listing and "Registrer sletting" in listing
    form = client.get(f"/partner/orders/{order.pk}/retire/").content.decode()
    assert "Nordlys Kundesenter AS" in form  # the beneficiary
    assert f"rapporteringsår 2025; klimabok-bestilling {order.pk}" in form  # details prefilled
    response = client.post(f"/partner/orders/{order.pk}/retire/", {
        "retired_on": "2026-02-03", "registry_reference": "VCS-RET-2026-0042",
        "registry_url": "https://registry.verra.org/", "reason": "Kompensasjon 2025",
        "details": "Nordlys Kundesenter AS, 2025"})
    certificate = Certificate.objects.get()
    assert messages_shown(response) == [f"Bestilling {order.pk} er slettet for Nordlys Kundesenter AS; "
                                        f"sertifikat {certificate.number} er utstedt."]
    assert [(r.start, r.end, r.status) for r in CreditRange.objects.order_by("start")] == [
        (FIRST_SERIAL, FIRST_SERIAL + 29, "retired"), (FIRST_SERIAL + 30, FIRST_SERIAL + 99, "available")]
    again = client.post(f"/partner/orders/{order.pk}/retire/", {
        "retired_on": "2026-02-03", "registry_reference": "VCS-RET-2"}).content.decode()
    assert "Bare en reservert bestilling kan slettes." in again
    page = client.get(PAGE).content.decode()
    assert f"Sertifikat {certificate.number}" in page and "VCS-RET-2026-0042" in page
    assert "Tilbakekalt" not in page

    revoke_certificate(certificate, "Feil mottaker", petra)
    assert f"Sertifikat {certificate.number}</a> <span class=\"badge badge-warning\">Tilbakekalt</span>" in (
        client.get(PAGE).content.decode())


def test_alice_cannot_reach_the_partner_pages(year: ReportingYear, block: CreditBlock, client_for: ClientFor,
                                              nordlys: Organisation, alice: User) -> None:
    order = services.create_order(nordlys, 2025, 7, idempotency_key="order-0001", user=alice).order
    client = client_for(alice)
    assert client.get("/partner/orders/").status_code == 404
    assert client.post(f"/partner/orders/{order.pk}/retire/", {
        "retired_on": "2026-02-03", "registry_reference": "X"}).status_code == 404


def test_the_account_page_links_to_compensation(year: ReportingYear, client_for: ClientFor,
                                                alice: User) -> None:
    page = client_for(alice).get("/o/nordlys/2025/account/").content.decode()
    assert f'href="{PAGE}"' in page and "Kompenser" in page


def test_any_project_takes_the_oldest_vintage_first_as_the_form_says(
        year: ReportingYear, klimapartner: Organisation, nordlys: Organisation, petra: User,
        client_for: ClientFor, alice: User) -> None:
    # The 2023 block is added before the 2020 one: "oldest credits first" is the vintage, not the order added.
    congo_2023 = "19406-942158406-942158505-VCS-VCU-576-VER-CG-14-2319-01012023-02122023-0"
    offered_block(klimapartner, petra, congo_2023, price="300.00", name="Skog i Kongo")
    offered_block(klimapartner, petra)  # vintage 2020, 200 NOK
    client = client_for(alice)
    page = client.get(PAGE).content.decode()
    assert "Hvilket som helst prosjekt (eldste kreditter først)" in page
    assert "Foreslåtte 74 t koster 14\xa0800,00 kr" in page  # 74 × 200 NOK, all from 2020
    placed = services.create_order(nordlys, 2025, 7, idempotency_key="order-0001", user=alice)
    assert [(r.start, r.end, r.block.vintage) for r in CreditRange.objects.filter(order=placed.order)] == [
        (FIRST_SERIAL, FIRST_SERIAL + 6, 2020)]
    assert placed.order.price_total == 7 * 200


def test_the_client_sees_the_quality_facts_the_partner_records(year: ReportingYear, block: CreditBlock,
                                                               client_for: ClientFor, petra: User,
                                                               alice: User) -> None:
    response = client_for(petra).post(f"/partner/credits/projects/{block.project_id}/", {
        "name": "Skogplanting i Etiopia", "description": "", "photo_url": "", "co_benefits": "",
        "kind": "removal", "nature_based": "true", "durability": "40 år", "buffer": "20 % til bufferpott",
        "rating": "BeZero A", "url": "registry.verra.org/app/projectDetail/VCS/1340", "program": "Verra VCS",
        "corsia": "on", "article6": "Autorisert av Etiopia", "corresponding_adjustment": "true", "price": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client_for(alice).get(PAGE).content.decode()
    for shown in ("Godkjent for CORSIA", "<dt>Varighet</dt><dd>40 år</dd>",
                  "<dt>Bidrag til bufferpott</dt><dd>20 % til bufferpott</dd>",
                  "<dt>Vurdering</dt><dd>BeZero A</dd>",
                  "<dt>Autorisasjon etter artikkel 6</dt><dd>Autorisert av Etiopia</dd>",
                  "<dt>Tilsvarende justering</dt><dd>ja</dd>",
                  'href="https://registry.verra.org/app/projectDetail/VCS/1340"'):
        assert shown in page, shown
