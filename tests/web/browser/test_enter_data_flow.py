"""A person's path through klimabok in Chromium: log in, enter data, see the account change.

Hand-checkable figures for 100 000 kWh of Norwegian grid electricity in 2025
without guarantees of origin (shipped catalogue):
- location-based: NVE klimadeklarasjon 2023, 15 g CO2e/kWh → 100 000 × 0.015 = 1 500 kg = 1,5 t
- market-based: AIB residual mix NO 2021 (ignite "Scope2_Electricity_NO_kWh_2021"), 0.40491 kg/kWh
  → 100 000 × 0.40491 = 40 491 kg = 40,5 t
"""

from __future__ import annotations

from typing import Any

import pytest

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry
from klimabok.inventory.services import create_year
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Any, base_url: str, user: User) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


def stat_values(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".stat-primary .stat-value").all_inner_texts()]


def test_alice_enters_electricity_and_sees_both_totals_change(
        live_server: Any, page: Any, alice: User, nordlys: Organisation) -> None:
    create_year(nordlys, 2025)
    base = live_server.url
    log_in(page, base, alice)

    page.goto(f"{base}/o/nordlys/2025/account/")
    assert page.get_by_role("heading", name="Ingen aktivitetsdata ennå").is_visible()
    assert stat_values(page) == []

    page.goto(f"{base}/o/nordlys/2025/entries/new/electricity/")
    page.get_by_label("Strømforbruk i året").fill("100000")
    page.get_by_role("button", name="Vis utslipp").click()
    preview = page.locator(".preview-totals").filter(has_text="Totalt, markedsbasert").inner_text()
    assert "40,5 t CO₂e" in preview and "1,5 t CO₂e" in preview
    page.get_by_role("button", name="Lagre", exact=True).click()

    assert ActivityEntry.objects.filter(activity="electricity.no", quantity=100000).count() == 1
    page.goto(f"{base}/o/nordlys/2025/account/")
    assert stat_values(page) == ["40,5", "1,5"]  # market-based first, then location-based
    page.screenshot(path="var/screenshots/account-after-entry.png", full_page=True)


def test_bad_quantity_is_named_and_nothing_is_saved(
        live_server: Any, page: Any, carl: User, nordlys: Organisation) -> None:
    create_year(nordlys, 2025)
    base = live_server.url
    log_in(page, base, carl)
    page.goto(f"{base}/o/nordlys/2025/entries/new/electricity/")
    page.get_by_label("Strømforbruk i året").fill("-5")
    page.get_by_role("button", name="Lagre", exact=True).click()
    assert page.locator(".errorlist").first.is_visible()
    assert ActivityEntry.objects.count() == 0


def test_employee_sees_the_summary_without_write_buttons(
        live_server: Any, page: Any, emma: User, nordlys: Organisation) -> None:
    create_year(nordlys, 2025)
    base = live_server.url
    log_in(page, base, emma)
    page.goto(f"{base}/o/nordlys/2025/account/")
    assert page.get_by_role("heading", name="Klimaregnskap 2025").is_visible()
    assert page.get_by_role("link", name="Last ned Excel").count() == 0


def test_outsider_gets_not_found(live_server: Any, page: Any, mallory: User,
                                 nordlys: Organisation) -> None:
    create_year(nordlys, 2025)
    base = live_server.url
    log_in(page, base, mallory)
    response = page.goto(f"{base}/o/nordlys/2025/account/")
    assert response.status == 404
