"""The commuting and homeworking survey (issue 12 §3): answering without login, once per device, refusals at
the field, results with only aggregates, rights, and "use in the account" replacing the commuting lines.

Known answer (DESNZ 2025 via the shipped catalogue, kg CO2e per unit; see tests/test_commuting.py):
three respondents of 30 FTE — 5 days × 10 km by bus; 3 days × 20 km as driver of a medium petrol car of
two, 2 days at home with oil heating; 4 days × 30 km half train, half bike, 1 day at home with a heat pump.
  bus 2 × 10 × 5 × 46 = 4,600 pkm × 10 (30 FTE ÷ 3) = 46,000 pkm × (0.10385 + 0.02649) = 5,995.64 kg
  car 2 × 20 × 3 × 46 / 2 = 2,760 km × 10 = 27,600 km × (0.17474 + 0.04957) = 6,190.956 kg
  train 2 × 30 × 4 × 46 / 2 = 5,520 pkm × 10 = 55,200 pkm × (0.03546 + 0.00897) = 2,452.536 kg
  → 14,639.132 kg = 14.6 t commuting; homeworking 6,900 h × 0.33378 + 3,450 h × 0.03144 = 2,411.55 kg = 2.4 t
"""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from klimabok.accounts.models import Organisation, User
from klimabok.audit.models import Event
from klimabok.audit.read_models import verify_chain
from klimabok.core.errors import KlimabokError
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.inventory.services import YearFacts, create_year, update_year_facts
from klimabok.survey import services
from klimabok.survey.models import Survey, SurveyResponse
from klimabok.survey.read_models import survey_invitation
from klimabok.survey.views.answer import COOKIE
from tests.web.conftest import ClientFor, messages_shown

BUS = {"days_on_site": "5", "km_one_way": "10", "share_bus": "100", "heating": "electric"}
CAR = {"days_on_site": "3", "km_one_way": "20", "share_car_driver": "100", "car_size": "medium",
       "car_fuel": "petrol", "car_people": "2", "homeworking_days": "2", "heating": "oil_gas"}
TRAIN_BIKE = {"days_on_site": "4", "km_one_way": "30", "share_train": "50", "share_bike": "50",
              "homeworking_days": "1", "heating": "heat_pump"}


@pytest.fixture
def year(nordlys: Organisation) -> ReportingYear:
    reporting_year = create_year(nordlys, 2025)
    return update_year_facts(reporting_year, YearFacts(fte=Decimal(30)))


@pytest.fixture
def survey(year: ReportingYear, olga: User) -> Survey:
    return services.open_survey(year, closes_on=None, user=olga)


def device(n: int) -> str:
    return f"device-{n:04d}-" + "x" * 32


def answer(survey: Survey, data: dict[str, str], secret: str | None = None) -> Any:
    client = Client()
    if secret:
        client.cookies[COOKIE] = secret
    return client.post(reverse("survey:answer", args=[survey.token]), data)


def texts(response: Any, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def test_the_survey_opens_without_login_and_sets_only_a_device_cookie(survey: Survey) -> None:
    response = Client().get(f"/s/{survey.token}/")
    assert response.status_code == 200
    assert "Hvordan kommer du deg på jobb? (2025)" in response.content.decode()
    cookie = response.cookies[COOKIE]
    assert len(cookie.value) >= 32 and cookie["httponly"] and cookie["path"] == "/s/"
    assert Client().get("/s/not-the-token/").status_code == 404


def test_one_answer_per_device_and_nothing_that_names_anyone(survey: Survey) -> None:
    first = answer(survey, BUS, device(1))
    assert first.status_code == 302
    again = answer(survey, CAR, device(1))  # the same phone: the thank-you, no second answer
    assert again.status_code == 200 and "Takk!" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    stored = SurveyResponse.objects.values().get()
    assert stored["device"] == services.device_hash(device(1)) and device(1) not in str(stored)
    assert set(stored) == {"id", "survey_id", "device", "submitted_on", "days_on_site", "km_one_way",
                           "shares", "car_size", "car_fuel", "car_people", "homeworking_days", "heating",
                           "flags"}
    with pytest.raises(services.AlreadyAnswered):
        from klimabok.core.commuting import Answer
        services.submit_response(survey, device(1), Answer(5, 10, {"bus": 100}, heating="electric"))


def test_answers_outside_sense_are_refused_at_the_field(survey: Survey) -> None:
    too_far = answer(survey, {**BUS, "km_one_way": "301"}, device(2))
    assert too_far.status_code == 400
    assert texts(too_far, "km_one_way") == ["Avstanden må være mellom 0 og 300 km én vei."]
    eight = answer(survey, {**BUS, "days_on_site": "8"}, device(2))
    assert texts(eight, "days_on_site") == ["En uke har 7 dager: oppgi 0 til 7."]
    shares = answer(survey, {**BUS, "share_bus": "60", "share_walk": "30"}, device(2))
    assert texts(shares, "shares") == ["Andelene blir 90 %: de må bli 100 % til sammen."]
    week = answer(survey, {**BUS, "homeworking_days": "3"}, device(2))
    assert texts(week, "homeworking_days") == [
        "Dager på arbeidsplassen og dager hjemme blir 8 til sammen, mer enn de 7 dagene i en uke."]
    car = answer(survey, {**BUS, "share_bus": "", "share_car_driver": "100"}, device(2))
    assert texts(car, "car_fuel") == ["Velg ett («Vet ikke» går fint)."]
    assert SurveyResponse.objects.count() == 0


def test_implausible_answers_are_saved_and_flagged_for_the_managers_only(
        survey: Survey, client_for: ClientFor, olga: User, emma: User) -> None:
    assert answer(survey, {**BUS, "km_one_way": "120", "share_bus": "", "share_walk": "100"},
                  device(3)).status_code == 302
    assert SurveyResponse.objects.get().flags == ["over 100 km one way, four or more days a week",
                                                  "walks more than 15 km one way"]
    url = reverse("survey:results", args=["nordlys", 2025])
    assert "går mer enn 15 km én vei" in client_for(olga).get(url).content.decode()
    page = client_for(emma).get(url).content.decode()
    assert "går mer enn 15 km én vei" not in page and 'data-testid="flagged"' not in page


def test_the_page_speaks_english_after_the_language_switch(survey: Survey) -> None:
    client = Client()
    client.post(reverse("accounts:set_language"), {"language": "en", "next": f"/s/{survey.token}/"})
    page = client.get(f"/s/{survey.token}/").content.decode()
    assert "How do you get to work? (2025)" in page and 'value="en"' in page


def test_a_closed_survey_takes_no_answers(survey: Survey) -> None:
    services.close_survey(survey)
    response = answer(survey, BUS, device(4))
    assert "Denne undersøkelsen er avsluttet" in response.content.decode()
    assert SurveyResponse.objects.count() == 0
    assert survey_invitation(survey.reporting_year.organisation, 2025) is None


def test_the_invitation_seam_gives_the_link_and_the_last_day(survey: Survey, nordlys: Organisation) -> None:
    assert survey_invitation(nordlys, 2025) == (f"/s/{survey.token}/", None)
    assert survey_invitation(nordlys, 2024) is None


def test_the_start_page_and_the_digest_invite_to_the_open_survey(
        survey: Survey, nordlys: Organisation, olga: User, emma: User, client_for: ClientFor,
        settings: Settings) -> None:
    """Engagement's seams (survey/_invitation.html, survey/email/_digest_invitation.txt): the link of
    the open survey on every member's start page and in the monthly digest; none once it is closed."""
    from django.core import mail

    from klimabok.engagement import services as engagement
    start = client_for(emma).get("/o/nordlys/").content.decode()
    assert 'data-testid="survey-invitation"' in start
    assert f'href="/s/{survey.token}/"' in start and "Svar på undersøkelsen" in start
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KLIMABOK_SITE_URL = "https://klimabok.example"
    post = engagement.save_post(nordlys, engagement.PostDraft("Sykkelbod", "Åpner mandag."), olga)
    engagement.publish_post(post, olga)
    engagement.send_digests(timezone.localdate())
    emmas = next(m for m in mail.outbox if m.to == ["emma@nordlys.example"])
    assert (f"Hvordan kommer du deg på jobb? Svar på pendleundersøkelsen for 2025 (to minutter, anonymt): "
            f"https://klimabok.example/s/{survey.token}/") in emmas.body
    services.close_survey(survey)
    assert 'data-testid="survey-invitation"' not in client_for(emma).get("/o/nordlys/").content.decode()


def test_a_device_posting_too_often_is_slowed_down(survey: Survey, settings: Settings) -> None:
    settings.KLIMABOK_SURVEY_DEVICE_PER_MINUTE = 3
    statuses = [answer(survey, {**BUS, "km_one_way": "999"}, device(5)).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_a_survey_flooded_past_its_limit_refuses_more(survey: Survey, settings: Settings) -> None:
    settings.KLIMABOK_SURVEY_PER_MINUTE = 2
    statuses = [answer(survey, BUS, device(n)).status_code for n in range(10, 13)]
    assert statuses == [302, 302, 429]
    assert SurveyResponse.objects.count() == 2


def three_answers(survey: Survey) -> None:
    for n, data in enumerate((BUS, CAR, TRAIN_BIKE)):
        assert answer(survey, data, device(20 + n)).status_code == 302


def test_results_show_aggregates_scaled_to_fte_with_the_method(
        survey: Survey, client_for: ClientFor, emma: User, aud: User, mallory: User) -> None:
    three_answers(survey)
    url = reverse("survey:results", args=["nordlys", 2025])
    response = client_for(aud).get(url)
    page = response.content.decode()
    assert response.context["results"].commuting_t_scaled == pytest.approx(14.639132)
    assert response.context["results"].homeworking_t_scaled == pytest.approx(2.41155)
    assert 'data-testid="t-scaled">14,6<' in page
    assert 'data-testid="respondents">3<' in page and "Svarprosent 10,0\u00a0%" in page
    assert "Bare 10,0\u00a0% av årsverkene svarte" in page  # under 30 %: the warning
    assert "gjennomsnittsdata" in page and "25_314_3145_11_1" in page  # method and the DESNZ rows
    assert client_for(mallory).get(url).status_code == 404
    # employees read the aggregates, but not of three answers: a colleague's could be read from them
    few = client_for(emma).get(url).content.decode()
    assert ("Resultatene vises når minst 5 har svart, så ingen enkeltes svar kan leses ut av dem."
            in few) and 'data-testid="t-scaled"' not in few
    for n in range(2):
        answer(survey, BUS, device(40 + n))
    five = client_for(emma).get(url).content.decode()
    assert 'data-testid="respondents">5<' in five and 'data-testid="too-few-answers"' not in five


def test_results_compare_with_last_years_survey(survey: Survey, nordlys: Organisation, olga: User,
                                                client_for: ClientFor) -> None:
    earlier = update_year_facts(create_year(nordlys, 2024), YearFacts(fte=Decimal(30)))
    last = services.open_survey(earlier, closes_on=None, user=olga)
    answer(last, CAR, device(30))
    three_answers(survey)
    page = client_for(olga).get(reverse("survey:results", args=["nordlys", 2025])).content.decode()
    assert "Sammenlignet med undersøkelsen for 2024" in page


def test_use_in_the_account_replaces_the_commuting_lines(
        survey: Survey, year: ReportingYear, client_for: ClientFor, olga: User, carl: User) -> None:
    three_answers(survey)
    for activity, quantity, unit in (("commute.bus.local", 1000, "passenger_km"),
                                     ("homeworking", 100, "fte_hour"), ("electricity.no", 5000, "kWh")):
        ActivityEntry.objects.create(reporting_year=year, activity=activity, quantity=quantity, unit=unit)
    url = reverse("survey:use", args=["nordlys", 2025])
    assert client_for(carl).post(url, {"homeworking": "on"}).status_code == 403  # a contributor does not
    response = client_for(olga).post(url, {"homeworking": "on"}, follow=True)
    assert messages_shown(response) == [
        "Resultatene fra undersøkelsen er årets pendlelinjer nå: 5 linjer skrevet, 2 erstattet."]
    entries = {e.activity: e for e in ActivityEntry.objects.filter(reporting_year=year)}
    assert {a: (e.quantity, e.origin) for a, e in entries.items() if a != "electricity.no"} == {
        "commute.bus.local": (Decimal(46000), "survey"),
        "commute.car.medium.petrol.km": (Decimal(27600), "survey"),
        "commute.rail.national": (Decimal(55200), "survey"), "homeworking": (Decimal(6900), "survey"),
        "homeworking.office_equipment": (Decimal(3450), "survey")}
    assert entries["commute.bus.local"].details["survey"] == survey.pk
    # again: the survey's own lines are replaced too, never added to
    client_for(olga).post(url, {"homeworking": "on"})
    assert ActivityEntry.objects.filter(reporting_year=year, origin="survey").count() == 5
    event = Event.objects.filter(kind="survey.used_in_account").first()
    assert event is not None and event.payload["replaced"][0][:3] == ["commute.bus.local", "1000.000000",
                                                                       "passenger_km"]
    assert verify_chain().ok
    account = client_for(olga).get(reverse("account:account_lines", args=["nordlys", 2025])
                                   + "?scope=scope_3.7").content.decode()
    assert "Fra pendleundersøkelsen" in account
    assert 'data-testid="lines-total">17,1<' in account  # 14.639132 + 2.41155 t
    entries_page = client_for(olga).get(reverse("account:entries", args=["nordlys", 2025])).content.decode()
    assert entries_page.count('data-testid="survey-source"') == 5


def test_without_homeworking_its_lines_stay(survey: Survey, year: ReportingYear, olga: User) -> None:
    three_answers(survey)
    ActivityEntry.objects.create(reporting_year=year, activity="homeworking.office_equipment", quantity=10,
                                 unit="fte_hour")
    used = services.use_in_account(survey, olga, homeworking=False)
    assert (used.written, used.replaced) == (3, 0)
    kept = ActivityEntry.objects.get(reporting_year=year, activity="homeworking.office_equipment")
    assert kept.origin == "form"


def test_use_in_the_account_is_refused_for_a_closed_year(survey: Survey, year: ReportingYear,
                                                         olga: User) -> None:
    three_answers(survey)
    ReportingYear.objects.filter(pk=year.pk).update(status="closed")
    with pytest.raises(KlimabokError, match="2025 er lukket"):
        services.use_in_account(survey, olga)
    assert not ActivityEntry.objects.filter(origin="survey").exists()


def test_the_poster_has_the_qr_code_for_the_managers(survey: Survey, client_for: ClientFor, petra: User,
                                                     emma: User) -> None:
    url = reverse("survey:poster", args=["nordlys", 2025])
    page = client_for(petra).get(url).content.decode()
    assert "<svg" in page and f"/s/{survey.token}/" in page
    assert client_for(emma).get(url).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_1000_answers_saves_every_device_once(klimapartner: Organisation) -> None:
    """1,000 submissions from 8 threads (16 s here on PostgreSQL, two cores): 900 devices once, 100 of them
    a second time, racing their first. No error; every device is saved exactly once, nothing valid is lost."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL: run with DATABASE_URL=postgres://… (CI does)")
    organisation = Organisation.objects.create(slug="sorlys", name="Sørlys", partner=klimapartner)
    reporting_year = update_year_facts(create_year(organisation, 2025), YearFacts(fte=Decimal(1200)))
    burst = services.open_survey(reporting_year, closes_on=None, user=None)
    devices = [device(n) for n in range(900)] + [device(n) for n in range(0, 900, 9)]
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def worker(chunk: list[str]) -> None:
        close_old_connections()
        try:
            for secret in chunk:
                status = answer(burst, BUS, secret).status_code
                with lock:
                    statuses[status] += 1
        finally:
            connections.close_all()

    chunks = [devices[i::8] for i in range(8)]
    threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    # a first answer redirects to the thank-you; a repeat that finds its first saved gets the thank-you (200)
    assert sum(statuses.values()) == 1000 and set(statuses) <= {302, 200} and statuses[302] >= 900
    saved = Counter(SurveyResponse.objects.filter(survey=burst).values_list("device", flat=True))
    assert len(saved) == 900 and set(saved.values()) == {1}
    assert set(saved) == {services.device_hash(device(n)) for n in range(900)}
