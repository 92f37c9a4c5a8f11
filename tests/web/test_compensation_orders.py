"""Orders of credits through the service: reserve, idempotency, cancel, retirement and its certificate."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from klimabok.accounts.models import Organisation, User
from klimabok.audit.models import Event
from klimabok.certificates.models import Certificate
from klimabok.compensation import services
from klimabok.core.credits.blocks import NotEnoughCredits
from klimabok.credits import verification
from klimabok.credits.models import CompensationOrder, CreditBlock, CreditRange
from klimabok.inventory.models import ReportingYear
from tests.web.compensation_setup import FIRST_SERIAL, closed_year, offered_block, year_with_data
from tests.web.conftest import ClientFor

RETIRED_ON = datetime.date(2026, 2, 3)


@pytest.fixture(autouse=True)
def site_url(settings: object) -> None:
    settings.KLIMABOK_SITE_URL = "https://klimabok.example"  # type: ignore[attr-defined]


@pytest.fixture
def year(nordlys: Organisation, alice: User) -> ReportingYear:
    return closed_year(nordlys, alice)


@pytest.fixture
def block(klimapartner: Organisation, petra: User) -> CreditBlock:
    return offered_block(klimapartner, petra)


def ranges_of(order: CompensationOrder) -> list[tuple[int, int, str]]:
    return [(r.start, r.end, r.status) for r in CreditRange.objects.filter(order=order).order_by("start")]


def test_an_order_reserves_the_lowest_serials_and_prices_them(
        year: ReportingYear, block: CreditBlock, nordlys: Organisation, alice: User) -> None:
    placed = services.create_order(nordlys, 2025, 7, idempotency_key="order-0001", user=alice)
    assert placed.created
    order = placed.order
    assert ranges_of(order) == [(FIRST_SERIAL, FIRST_SERIAL + 6, "reserved")]
    assert order.price_total == 7 * 200  # 7 t × 200 NOK
    assert (order.partner.slug, order.status) == ("klimapartner", "reserved")


def test_the_same_key_twice_places_one_order(year: ReportingYear, block: CreditBlock, nordlys: Organisation,
                                             alice: User) -> None:
    first = services.create_order(nordlys, 2025, 7, idempotency_key="order-0001", user=alice)
    again = services.create_order(nordlys, 2025, 7, idempotency_key="order-0001", user=alice)
    assert (again.created, again.order.pk) == (False, first.order.pk)
    assert CompensationOrder.objects.count() == 1
    assert CreditRange.objects.filter(status="reserved").count() == 1


def test_a_key_reused_for_another_order_is_refused(year: ReportingYear, block: CreditBlock,
                                                   nordlys: Organisation, alice: User) -> None:
    services.create_order(nordlys, 2025, 7, idempotency_key="order-0001", user=alice)
    with pytest.raises(services.IdempotencyConflict, match="already used for order"):
        services.create_order(nordlys, 2025, 8, idempotency_key="order-0001", user=alice)
    assert CompensationOrder.objects.count() == 1


def test_more_than_available_is_refused_and_changes_nothing(year: ReportingYear, block: CreditBlock,
                                                            nordlys: Organisation, alice: User) -> None:
    services.create_order(nordlys, 2025, 98, idempotency_key="order-0001", user=alice)
    events = Event.objects.count()
    with pytest.raises(NotEnoughCredits, match="3 t ordered, but only 2 t available"):  # 100 − 98 = 2
        services.create_order(nordlys, 2025, 3, idempotency_key="order-0002", user=alice)
    assert CompensationOrder.objects.count() == 1
    assert Event.objects.count() == events
    # the refused key stored nothing, so it can be used for an order that fits
    assert services.create_order(nordlys, 2025, 2, idempotency_key="order-0002", user=alice).created


def test_an_open_year_cannot_be_compensated(block: CreditBlock, nordlys: Organisation, alice: User) -> None:
    year_with_data(nordlys)
    with pytest.raises(services.YearNotClosed, match="still open"):
        services.create_order(nordlys, 2025, 7, idempotency_key="order-0001", user=alice)
    with pytest.raises(services.YearNotClosed, match="no climate account for 2024"):
        services.create_order(nordlys, 2024, 7, idempotency_key="order-0002", user=alice)
    assert not CompensationOrder.objects.exists()


def test_the_chosen_project_is_the_only_source(year: ReportingYear, block: CreditBlock,
                                               klimapartner: Organisation, nordlys: Organisation,
                                               alice: User, petra: User) -> None:
    other = offered_block(klimapartner, petra, serial="GS1-1-KE-GS11603-16-2025-30256-110-209", quantity=100,
                          price="95.50", name="Rene kokeovner")
    placed = services.create_order(nordlys, 2025, 5, project=other.project, idempotency_key="order-0001",
                                   user=alice)
    assert [(r.block_id, r.start, r.end) for r in CreditRange.objects.filter(order=placed.order)] == [
        (other.pk, 110, 114)]
    assert placed.order.price_total == Decimal("477.50")  # 5 t × 95.50 NOK


def test_cancel_releases_and_the_credits_can_be_ordered_again(year: ReportingYear, block: CreditBlock,
                                                              nordlys: Organisation, alice: User) -> None:
    first = services.create_order(nordlys, 2025, 100, idempotency_key="order-0001", user=alice).order
    services.cancel_order(first, alice)
    first.refresh_from_db()
    assert first.status == "cancelled" and first.cancelled_at is not None
    assert ranges_of(first) == []
    assert [(r.start, r.end, r.status) for r in CreditRange.objects.all()] == [
        (FIRST_SERIAL, FIRST_SERIAL + 99, "available")]
    again = services.create_order(nordlys, 2025, 100, idempotency_key="order-0002", user=alice).order
    assert ranges_of(again) == [(FIRST_SERIAL, FIRST_SERIAL + 99, "reserved")]
    assert verification.verify().ok


def test_retirement_splits_the_block_and_issues_the_certificate(
        year: ReportingYear, block: CreditBlock, nordlys: Organisation, alice: User, petra: User) -> None:
    first = services.create_order(nordlys, 2025, 30, idempotency_key="order-0001", user=alice).order
    second = services.create_order(nordlys, 2025, 20, idempotency_key="order-0002", user=alice).order
    retirement, certificate = services.record_retirement(
        first, RETIRED_ON, "VCS-RET-2026-0042", "https://registry.verra.org/app/search/VCS", "compensation",
        "Nordlys Kundesenter AS, 2025, order", petra)
    assert retirement.beneficiary == "Nordlys Kundesenter AS"
    # one block, three contiguous sub-ranges: 30 retired, 20 reserved, 50 available — never renumbered
    assert [(r.start, r.end, r.status) for r in CreditRange.objects.order_by("start")] == [
        (FIRST_SERIAL, FIRST_SERIAL + 29, "retired"), (FIRST_SERIAL + 30, FIRST_SERIAL + 49, "reserved"),
        (FIRST_SERIAL + 50, FIRST_SERIAL + 99, "available")]
    first.refresh_from_db()
    assert first.status == "retired"
    assert Certificate.objects.get().retirement == retirement == certificate.retirement
    assert second.status == "reserved"
    assert verification.verify().ok


def test_a_second_retirement_and_a_cancel_after_retirement_are_refused(
        year: ReportingYear, block: CreditBlock, nordlys: Organisation, alice: User, petra: User) -> None:
    order = services.create_order(nordlys, 2025, 30, idempotency_key="order-0001", user=alice).order
    services.record_retirement(order, RETIRED_ON, "VCS-RET-1", "", "", "", petra)
    with pytest.raises(services.CompensationError, match="already retired \\(VCS-RET-1, 2026-02-03\\)"):
        services.record_retirement(order, RETIRED_ON, "VCS-RET-2", "", "", "", petra)
    with pytest.raises(services.CompensationError, match="can no longer be cancelled"):
        services.cancel_order(order, alice)
    assert order.retirements.count() == 1


def test_only_partner_staff_record_retirements(year: ReportingYear, block: CreditBlock, nordlys: Organisation,
                                               alice: User) -> None:
    order = services.create_order(nordlys, 2025, 30, idempotency_key="order-0001", user=alice).order
    with pytest.raises(services.NotAllowed, match=r"^only the climate partner's staff can record"):
        services.record_retirement(order, RETIRED_ON, "VCS-RET-1", "", "", "", alice)
    assert ranges_of(order) == [(FIRST_SERIAL, FIRST_SERIAL + 29, "reserved")]


def test_a_cancelled_order_cannot_be_retired(year: ReportingYear, block: CreditBlock, nordlys: Organisation,
                                             alice: User, petra: User) -> None:
    order = services.create_order(nordlys, 2025, 30, idempotency_key="order-0001", user=alice).order
    services.cancel_order(order, alice)
    with pytest.raises(services.CompensationError, match="was cancelled"):
        services.record_retirement(order, RETIRED_ON, "VCS-RET-1", "", "", "", petra)


def test_the_ledger_page_names_the_order_serials_and_certificate_of_each_event(
        year: ReportingYear, block: CreditBlock, nordlys: Organisation, alice: User, petra: User,
        client_for: ClientFor) -> None:
    order = services.create_order(nordlys, 2025, 30, idempotency_key="order-0001", user=alice).order
    _, certificate = services.record_retirement(order, RETIRED_ON, "VCS-RET-2026-0042", "", "", "", petra)
    page = client_for(petra).get("/partner/log/").content.decode()
    retired = "19385-941467007-941467036-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"  # 30 t
    assert f"bestilling {order.pk}<br><code>{retired}</code> · 30 t" in page  # reserved and retired
    # the certificate event is filed under the client, yet the partner who issued it sees its hash
    assert f"{certificate.number} · bestilling {order.pk}" in page
    assert Event.objects.get(kind="certificate_issued").hash[:16] in page
    other = services.create_order(nordlys, 2025, 5, idempotency_key="order-0002", user=alice).order
    services.cancel_order(other, alice)
    released = client_for(petra).get("/partner/log/").content.decode()
    assert f"bestilling {other.pk} · 5 t" in released
