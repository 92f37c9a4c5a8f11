"""After the order (issue 15 §4): the company's pages say the credits are reserved and waiting for the
climate partner's retirement, and the partner sees the queue of orders to retire — per role."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from klimabok.accounts.models import Organisation, User
from klimabok.compensation import services
from klimabok.credits.models import CompensationOrder, CreditBlock
from klimabok.inventory.models import ReportingYear
from tests.web.compensation_setup import closed_year, offered_block
from tests.web.conftest import ClientFor, messages_shown

COMPANY_PAGES = ("/o/nordlys/", "/o/nordlys/2025/", "/o/nordlys/2025/compensate/")
WAITING = ("7 credits for 2025 are reserved and waiting for Klimapartner AS to retire them.")
QUEUE = "/partner/orders/"


@pytest.fixture
def year(nordlys: Organisation, alice: User) -> ReportingYear:
    return closed_year(nordlys, alice)


@pytest.fixture
def block(klimapartner: Organisation, petra: User) -> CreditBlock:
    return offered_block(klimapartner, petra)


def english(client_for: ClientFor, user: User) -> Client:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def text(client: Client, url: str) -> str:
    return html.unescape(client.get(url).content.decode())


def test_the_order_message_says_the_credits_wait_for_the_partner(
        year: ReportingYear, block: CreditBlock, client_for: ClientFor, alice: User) -> None:
    client = english(client_for, alice)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', text(client, COMPANY_PAGES[2]))
    assert key
    response = client.post(COMPANY_PAGES[2], {"tonnes": 7, "coverage": "all",
                                              "idempotency_key": key.group(1)}, follow=True)
    order = CompensationOrder.objects.get()
    assert messages_shown(response)[1] == (
        "The credits are reserved for you and now wait for Klimapartner AS to retire them in the registry. "
        "Until then they are not retired and cannot be claimed; the certificate is issued with the "
        "retirement.")
    page = html.unescape(response.content.decode())
    assert WAITING in page
    assert f"#{order.pk}" in page and "Ordered " in page
    assert "Waiting for Klimapartner AS to retire the credits in the registry" in page


@pytest.mark.parametrize("name", ["alice", "carl", "aud"])
def test_every_member_who_reads_the_year_sees_the_credits_waiting(
        name: str, year: ReportingYear, block: CreditBlock, client_for: ClientFor, alice: User,
        request: pytest.FixtureRequest) -> None:
    services.create_order(year.organisation, 2025, 7, idempotency_key="order-0001", user=alice)
    client = english(client_for, request.getfixturevalue(name))
    for url in COMPANY_PAGES:
        assert WAITING in text(client, url), url


def test_retired_credits_wait_no_more(year: ReportingYear, block: CreditBlock, client_for: ClientFor,
                                      alice: User, petra: User) -> None:
    order = services.create_order(year.organisation, 2025, 7, idempotency_key="order-0001", user=alice).order
    partner = english(client_for, petra)
    assert partner.post(f"/partner/orders/{order.pk}/retire/", {
        "retired_on": "2026-02-03", "registry_reference": "VCS-RET-2026-0042"}).status_code == 302
    client = english(client_for, alice)
    for url in COMPANY_PAGES:
        assert "waiting for Klimapartner AS" not in text(client, url), url
    queue = text(partner, QUEUE)
    assert "To retire: 0 orders" in queue
    assert "Nothing to retire: every order is retired or cancelled." in queue


def test_the_partner_sees_the_queue_longest_waiting_first(
        year: ReportingYear, block: CreditBlock, client_for: ClientFor, alice: User, petra: User,
        klimapartner: Organisation) -> None:
    first, second, cancelled = (
        services.create_order(year.organisation, 2025, tonnes, idempotency_key=key, user=alice).order
        for tonnes, key in ((7, "order-0001"), (3, "order-0002"), (2, "order-0003")))
    services.cancel_order(cancelled, alice)
    queue = text(english(client_for, petra), QUEUE)
    start = queue.index('data-testid="retire-queue"')
    section = queue[start:queue.index("</section>", start)]
    assert "To retire: 2 orders" in section
    rows = re.findall(r'<li id="queue-(\d+)">', section)
    assert rows == [str(first.pk), str(second.pk)]  # the oldest first; the cancelled one is not there
    assert f'href="/partner/orders/{first.pk}/retire/"' in section and "Nordlys Kundesenter AS" in section


@pytest.mark.parametrize("name", ["alice", "carl", "aud", "mallory"])
def test_only_the_partner_sees_the_queue(name: str, year: ReportingYear, block: CreditBlock,
                                         client_for: ClientFor, alice: User,
                                         request: pytest.FixtureRequest) -> None:
    services.create_order(year.organisation, 2025, 7, idempotency_key="order-0001", user=alice)
    response = english(client_for, request.getfixturevalue(name)).get(QUEUE)
    assert response.status_code in (403, 404)
    assert "To retire" not in response.content.decode() and "order-0001" not in response.content.decode()


def test_another_organisation_sees_nothing_of_the_order(year: ReportingYear, block: CreditBlock,
                                                        client_for: ClientFor, alice: User, mallory: User,
                                                        fjordbakst: Organisation) -> None:
    services.create_order(year.organisation, 2025, 7, idempotency_key="order-0001", user=alice)
    client = english(client_for, mallory)
    for url in COMPANY_PAGES:
        assert client.get(url).status_code == 404, url
    assert "waiting for" not in text(client, "/o/fjordbakst/")
