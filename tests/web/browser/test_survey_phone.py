"""An employee answers the commuting survey on a phone (390×844, Chromium), with no login: a wrong sum of
shares is refused at the shares, the fixed answer is saved, and the same phone then sees the thank-you.
Screenshots: var/screenshots/survey-phone.png (the filled form) and survey-phone-thanks.png."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.services import YearFacts, create_year, update_year_facts
from klimabok.survey import services
from klimabok.survey.models import SurveyResponse

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_employee_answers_the_survey_on_a_phone(live_server: Any, browser: Any, nordlys: Organisation,
                                                    olga: User) -> None:
    year = update_year_facts(create_year(nordlys, 2025), YearFacts(fte=Decimal(400)))
    survey = services.open_survey(year, closes_on=None, user=olga)
    context = browser.new_context(locale="nb-NO", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/s/{survey.token}/")
        assert page.get_by_role("heading", name="Hvordan kommer du deg på jobb? (2025)").is_visible()
        page.get_by_label("Dager i uka på arbeidsplassen").fill("3")
        page.get_by_label("Dager i uka med hjemmekontor").fill("2")
        page.get_by_label("Avstand hjemmefra til jobb, én vei (km)").fill("38")
        page.get_by_label("Tog", exact=True).fill("80")
        page.get_by_label("Sykkel", exact=True).fill("10")
        assert page.locator("[data-share-total]").inner_text() == "90"  # the running sum, before sending
        page.get_by_label("Varmepumpe").check()
        page.get_by_role("button", name="Send svarene mine").click()
        assert page.get_by_text("Andelene blir 90 %: de må bli 100 % til sammen.").is_visible()
        assert SurveyResponse.objects.count() == 0
        page.get_by_label("Sykkel", exact=True).fill("20")
        # the page is no wider than the phone: nothing to scroll sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path="var/screenshots/survey-phone.png", full_page=True)
        page.get_by_role("button", name="Send svarene mine").click()
        assert page.get_by_role("heading", name="Takk!").is_visible()
        page.screenshot(path="var/screenshots/survey-phone-thanks.png")
        saved = SurveyResponse.objects.get()
        assert (saved.km_one_way, saved.shares, saved.heating) == (Decimal("38.0"), {"train": 80, "bike": 20},
                                                                   "heat_pump")
        page.reload()
        assert page.get_by_role("heading", name="Takk!").is_visible()  # the same phone answers once
    finally:
        context.close()
