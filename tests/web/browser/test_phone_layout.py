"""Phones (issue 15 §5): on a 390×844 screen no page scrolls sideways, the active tab is on screen (the
organisation's tabs scroll sideways by themselves; app.js brings the current one into view), and the
overview table of the years shows the totals first. Chromium; screenshots in var/screenshots/phone-*.png.
"""

from __future__ import annotations

from typing import Any

import pytest

from klimabok.accounts.models import Organisation, User
from klimabok.compensation import services
from klimabok.credits.models import CreditBlock
from tests.web.compensation_setup import closed_year, offered_block

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "phone-test-password-1"
COMPANY_PAGES = [
    "/o/nordlys/", "/o/nordlys/2025/", "/o/nordlys/2025/account/", "/o/nordlys/2025/entries/",
    "/o/nordlys/2025/entries/new/", "/o/nordlys/2025/entries/new/flight/", "/o/nordlys/2025/compensate/",
    "/o/nordlys/2025/claims/", "/o/nordlys/plan/", "/o/nordlys/plan/measures/", "/o/nordlys/reports/",
    "/o/nordlys/members/", "/o/nordlys/certificates/", "/factors/",
]
PARTNER_PAGES = ["/partner/orders/", "/partner/credits/", "/partner/credits/policy/"]

LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const current = '.tabs [aria-current="page"], .topnav [aria-current="page"]';
  const tabs = [...document.querySelectorAll(current)].map(tab => {
    const box = tab.getBoundingClientRect();
    return {text: tab.textContent.trim(), left: box.left, right: box.right, width};
  });
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5 && !e.closest('.tabs, .table-wrap'))
    .slice(0, 3).map(e => `${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 60)}`);
  return {scroll: document.documentElement.scrollWidth, width, tabs, wide};
}"""


def phone(browser: Any, live_server: Any, user: User) -> Any:
    context = browser.new_context(locale="nb-NO", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15_000)
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_label("Passord").press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def check_layout(page: Any, url: str) -> dict[str, Any]:
    layout: dict[str, Any] = page.evaluate(LAYOUT)
    assert layout["scroll"] <= layout["width"], (
        f"{url} scrolls sideways: {layout['scroll']} > {layout['width']}, {layout['wide']}")
    assert layout["tabs"], f"{url} has no active tab"
    for tab in layout["tabs"]:
        on_screen = tab["left"] >= 0 and tab["right"] <= tab["width"]
        assert on_screen, f"{url}: the active tab is off screen: {tab}"
    return layout


@pytest.fixture
def ordered(nordlys: Organisation, alice: User, klimapartner: Organisation, petra: User) -> CreditBlock:
    closed_year(nordlys, alice)
    block = offered_block(klimapartner, petra)
    services.create_order(nordlys, 2025, 7, idempotency_key="phone-order", user=alice)
    return block


def test_company_pages_fit_a_phone(live_server: Any, browser: Any, alice: User, ordered: CreditBlock) -> None:
    page = phone(browser, live_server, alice)
    try:
        for url in COMPANY_PAGES:
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("load")
            layout = check_layout(page, url)
            if url == "/o/nordlys/2025/compensate/":
                # far along the organisation's tabs: scrolled into view, not hidden to the right
                assert [t["text"] for t in layout["tabs"]] == ["Kompensasjon"]
                page.screenshot(path="var/screenshots/phone-compensate.png")
        page.goto(f"{live_server.url}/o/nordlys/")
        # The years' table: the year, then the totals, on screen without scrolling the table.
        headings = page.locator("table.data thead th").all_inner_texts()
        assert headings[:3] == ["År", "Totalt, markedsbasert (t CO₂e)", "Totalt, lokasjonsbasert (t CO₂e)"]
        total = page.locator("table.data tbody tr").first.locator("td").nth(1)
        box = total.bounding_box()
        assert total.inner_text() and box["x"] + box["width"] <= 390
        page.screenshot(path="var/screenshots/phone-overview.png", full_page=True)
    finally:
        page.context.close()


def test_partner_pages_fit_a_phone(live_server: Any, browser: Any, petra: User, ordered: CreditBlock) -> None:
    page = phone(browser, live_server, petra)
    try:
        for url in PARTNER_PAGES:
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("load")
            check_layout(page, url)
        page.goto(f"{live_server.url}/partner/orders/")
        page.screenshot(path="var/screenshots/phone-partner-orders.png", full_page=True)
    finally:
        page.context.close()
