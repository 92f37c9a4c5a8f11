"""The press release's loop in Chromium: the client orders credits for a closed year, the partner
retires them, and anyone can verify the certificate without logging in.

The block is 100 Verra VCUs 941467007–941467106 at 200 NOK/t (tests/web/compensation_setup.py);
ordering 30 t reserves 941467007–941467036 and costs 30 × 200 = 6 000 NOK.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pytest_django import Settings

from klimabok.accounts.models import Organisation, User
from klimabok.certificates.models import Certificate
from klimabok.credits.models import CompensationOrder
from tests.web.browser.test_enter_data_flow import log_in
from tests.web.compensation_setup import closed_year, offered_block

pytestmark = pytest.mark.django_db(transaction=True)


def test_order_retire_and_verify(live_server: Any, browser: Any, settings: Settings, alice: User, petra: User,
                                 nordlys: Organisation, klimapartner: Organisation) -> None:
    settings.KLIMABOK_SITE_URL = live_server.url
    closed_year(nordlys, alice)
    offered_block(klimapartner, petra)
    base = live_server.url

    client = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(client, base, alice)
    client.goto(f"{base}/o/nordlys/2025/compensate/")
    client.get_by_label("Tonn CO₂e (kreditter)").fill("30")
    client.get_by_role("button", name="Reserver kreditter").click()
    order = CompensationOrder.objects.get()
    assert (order.tonnes, order.status, order.price_total) == (30, "reserved", Decimal(6000))
    assert "941467007-941467036" in client.locator("table").last.inner_text()

    partner = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(partner, base, petra)
    partner.goto(f"{base}/partner/orders/{order.pk}/retire/")
    partner.get_by_label("Dato for sletting").fill("2026-02-03")
    partner.get_by_label("Registerets referanse").fill("VCS-RET-2026-0042")
    partner.get_by_role("button", name="Registrer slettingen og utsted sertifikatet").click()
    certificate = Certificate.objects.get()

    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    response = public.goto(certificate.facts["verification_url"])
    assert response.status == 200
    text = public.locator("main").inner_text()
    assert "Gyldig sertifikat" in text and "Nordlys Kundesenter AS" in text
    assert "941467007-941467036" in text
    public.screenshot(path="var/screenshots/verify-after-retirement.png", full_page=True)
