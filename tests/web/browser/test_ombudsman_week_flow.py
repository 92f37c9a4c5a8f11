"""An ombudsman's week in Chromium (issue 11 §6): olga sets a target, makes a measure of the account's
largest source from "where to cut", sees it on the cost curve and the target's pathway move, and hears of
its deadline by e-mail.

Nordlys's closed 2024, hand-made, shipped catalogue (tests/test_engine_shipped.py):

- 10,000 l diesel (scope 1): DESNZ 2024 ``1_101_1011_8_1`` 2.51279 kg/l → 25.1279 t;
- 100,000 kWh of Norwegian grid electricity (scope 2): 0.015 kg/kWh location-based (NVE 2023) → 1.5 t,
  0.40491 kg/kWh market-based (AIB residual mix NO) → 40.491 t.

The target: scope 1+2, market-based, 25.2 % less by 2030: base 25.1279 + 40.491 = 65.6189 t (kept as
65.619), 2030 on the pathway 65.619 × 0.748 = 49.083 t, a gap of 16.536 t against a flat business as
usual. The measure: 20 % less electricity from 2026 → 0.2 × 40.491 = 8.0982 t a year market-based
(0.3 t location-based); 8.0982 / 16.536 = 49.0 % of the gap.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.plans import services
from klimabok.plans.models import Measure, Target
from tests.web.browser.test_enter_data_flow import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "var/screenshots"


def _next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def _closed_2024(nordlys: Organisation) -> ReportingYear:
    year = ReportingYear.objects.create(organisation=nordlys, year=2024, status=ReportingYear.Status.CLOSED)
    ActivityEntry.objects.create(reporting_year=year, activity="fuel.diesel", quantity=10_000, unit="litres")
    ActivityEntry.objects.create(reporting_year=year, activity="electricity.no", quantity=100_000, unit="kWh")
    return year


def _words(page: Any, selector: str) -> str:
    return re.sub(r"\s+", " ", page.locator(selector).first.inner_text()).replace("\u00a0", " ")


def test_olga_sets_a_target_makes_a_measure_and_sees_the_gap_close(
    live_server: Any, page: Any, olga: User, nordlys: Organisation
) -> None:
    _closed_2024(nordlys)
    monday = _next_monday()
    deadline = monday + timedelta(days=4)  # the Friday of next week: not late on the dashboard today
    base = live_server.url
    log_in(page, base, olga)

    # Monday: the target, from the form (the closed 2024 is offered as the base year)
    page.goto(f"{base}/o/nordlys/plan/targets/new/")
    page.fill("[name=name]", "Scope 1 og 2 innen 2030")
    page.fill("[name=target_year]", "2030")
    page.select_option("[name=coverage]", "scope_1_2")
    page.select_option("[name=scope2_method]", "market")
    page.fill("[name=reduction_percent]", "25,2")
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(re.compile(r"/plan/targets/\d+/$"))
    target = Target.objects.get()
    assert target.base_t_co2e == Decimal("65.619")  # 25.1279 + 40.491 = 65.6189
    assert "Ingen tiltak i planen ennå" in _words(page, ".plan-sequence")
    assert page.locator(".target-gap").count() == 0
    page.screenshot(path=f"{SHOTS}/plan-target-before.png", full_page=True)

    # Tuesday: "where to cut" on the 2024 account, the electricity made a measure
    page.goto(f"{base}/o/nordlys/2024/account/")
    cut = page.locator("section", has=page.locator("#cut-heading"))
    cut.screenshot(path=f"{SHOTS}/plan-where-to-cut.png")
    cut.locator("a.make-measure[href*='acts_on=electricity.no']").click()
    page.wait_for_url(re.compile(r"/plan/measures/new/"))
    assert page.locator("#id_kind").input_value() == "energy_efficiency"
    assert page.locator("input[type=checkbox][name=acts_on][value='electricity.no']").is_checked()
    form = page.locator("form", has=page.get_by_role("button", name="Lagre", exact=True))
    form.locator("[name=title]").fill("Sparepærer og styring")
    form.locator("[name=p_pct]").fill("20")  # the kind's one parameter, its own field
    form.locator("[name=status]").select_option("planned")
    form.locator("[name=owner]").select_option(str(olga.pk))
    form.locator("[name=deadline]").fill(deadline.isoformat())
    form.locator("[name=start_year]").fill("2026")
    form.locator("[name=capex_nok]").fill("120000")  # LED and sensors, over 10 years at 4 %
    form.locator("[name=opex_delta_nok]").fill("-8000")  # the power bill down
    page.screenshot(path=f"{SHOTS}/plan-measure-form.png", full_page=True)
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(re.compile(r"/plan/measures/\d+/$"))
    measure = Measure.objects.get()
    assert measure.params == {"pct": 20.0} and measure.acts_on == ["electricity.no"]
    # 0.2 × 1.5 = 0.3 t location-based, 0.2 × 40.491 = 8.0982 t market-based
    assert "0,3 t CO₂e lokasjonsbasert · 8,1 t CO₂e markedsbasert" in _words(page, ".effect-tonnes")
    page.screenshot(path=f"{SHOTS}/plan-measure.png", full_page=True)

    # Wednesday: the cost curve has its block, the table its row: 120,000 NOK × 0.04 × 1.04¹⁰ / (1.04¹⁰ − 1)
    # = 14,794.9 NOK a year − 8,000 saved = 6,794.9 NOK a year / 8.0982 t = 839 NOK per tonne
    page.goto(f"{base}/o/nordlys/plan/cost-curve/")
    assert page.locator("svg").filter(has_text="1. Sparepærer og styring").count() == 1
    row = _words(page, ".macc-table tbody tr")
    assert "Sparepærer og styring" in row and "839" in row
    page.screenshot(path=f"{SHOTS}/plan-cost-curve.png", full_page=True)

    # Thursday: the target's pathway moves; the dashboard says the same
    page.goto(f"{base}/o/nordlys/plan/targets/{target.pk}/")
    sentence = "Denne planen lukker 49 % av gapet til målet for 2030."  # 8.0982 / 16.536 = 49.0 %
    assert _words(page, ".target-gap") == sentence
    assert "Planen: alle tiltak som er planlagt, i gang eller gjennomført." in _words(page, ".plan-named")
    assert "8,1" in _words(page, ".plan-sequence")
    page.screenshot(path=f"{SHOTS}/plan-target-after.png", full_page=True)
    page.goto(f"{base}/o/nordlys/plan/")
    assert _words(page, ".plan-pathway .target-gap") == sentence
    page.screenshot(path=f"{SHOTS}/plan-dashboard.png", full_page=True)

    # and the Monday before the deadline, `klimabok remind`'s service: the owner hears of it, and the
    # ombudsman (olga herself) gets the weekly summary
    mail.outbox.clear()
    services.send_reminders(monday, days_ahead=7, weekly=True, organisations=[nordlys])
    to_olga = {m.subject: m for m in mail.outbox if m.to == [olga.email]}
    reminder = to_olga[f"Påminnelse: «Sparepærer og styring» har frist {deadline:%d.%m.%Y}"]
    with translation.override("nb"):
        long_date = formats.date_format(deadline, "DATE_FORMAT")
    assert f"Frist {long_date} (om 4 dager) i Nordlys Kundesenter AS." in reminder.body
    assert f"Planen denne uken (uke {monday.isocalendar().week}): Nordlys Kundesenter AS" in to_olga
