"""Double counting in Chromium (issue 10, High 5): carl sees the warning on the account page, sets the
share the activity data covers in the category's form and sees what still counts.

Figures (tests/web/spend_setup.py): 6340 Lys, varme from Oslo Kraft AS, 100 000 NOK × 0.024373795 kg
CO2e/NOK (klimabok/data/spend/factors.csv, ``electricity_heat,2025``); one site's kWh with no supplier
named. A share of 40 % leaves 60 000 NOK counted.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry
from klimabok.ledger.models import SpendCoverageRule
from tests.web.browser.test_enter_data_flow import log_in
from tests.web.spend_setup import spend_year

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOT = Path(__file__).resolve().parents[3] / "var" / "screenshots" / "double-counting.png"


def test_carl_sets_the_share_the_kwh_cover_and_sees_what_still_counts(
        live_server: Any, page: Any, carl: User, nordlys: Organisation) -> None:
    year = spend_year(nordlys)
    ActivityEntry.objects.create(reporting_year=year, activity="electricity.no", quantity=Decimal(10000),
                                 unit="kWh", description="Elhub, Drammen")
    base = live_server.url
    log_in(page, base, carl)
    page.goto(f"{base}/o/nordlys/2025/account/")
    warning = page.get_by_test_id("possible-double-count")
    assert "Mulig dobbelttelling: NOK 100\u00a0000" in warning.inner_text()
    row = page.get_by_role("form", name="Regel for Strøm og oppvarming")
    row.get_by_label("Strøm og oppvarming:").select_option("share")
    row.get_by_label("Andel dekket (%)").fill("40")
    row.get_by_label("Hvorfor").fill("kWh for én av to lokasjoner")
    row.get_by_role("button", name="Lagre").click()
    page.wait_for_url("**/account/**")
    assert "Regelen er lagret" in page.locator(".messages, [role=alert], .alert").first.inner_text()
    cells = [c.strip().replace("\u00a0", " ") for c in page.get_by_test_id("spend-double-counting")
             .locator("tbody tr").first.locator("td").all_inner_texts()]
    assert cells[1:7] == ["100 000", "0", "0", "0", "40 000", "60 000"]
    assert page.get_by_test_id("possible-double-count").count() == 0
    assert SpendCoverageRule.objects.get().share_percent == Decimal(40)
    # the rule and its reason beside the figures, the form keeps them
    assert cells[7] == "en andel: 40 %\nkWh for én av to lokasjoner"
    assert page.get_by_role("form", name="Regel for Strøm og oppvarming").get_by_label(
        "Andel dekket (%)").input_value() == "40"
    page.get_by_test_id("spend-double-counting").scroll_into_view_if_needed()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
