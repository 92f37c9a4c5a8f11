"""The commuting survey's maths (klimabok.core.commuting): checks, a respondent's year, scaling to FTE, and
the known answer from three respondents to category 7 tonnes with the shipped DESNZ 2025 rows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klimabok.core import commuting
from klimabok.core.commuting import Answer, check, summarise, yearly
from klimabok.core.engine import ActivityLine, compute_account
from klimabok.core.factors.catalogue import default_catalogue

#: Three respondents worked by hand below.
BUS = Answer(days_on_site=5, km_one_way=10, shares={"bus": 100}, heating="electric")
CAR = Answer(days_on_site=3, km_one_way=20, shares={"car_driver": 100}, car_size="medium", car_fuel="petrol",
             car_people=2, homeworking_days=2, heating="oil_gas")
TRAIN_BIKE = Answer(days_on_site=4, km_one_way=30, shares={"train": 50, "bike": 50}, homeworking_days=1,
                    heating="heat_pump")


def refused_fields(answer: Answer) -> list[str]:
    return [problem.field for problem in check(answer).refused]


def test_a_respondents_year() -> None:
    # bus: 2 × 10 km × 5 days × 46 weeks = 4,600 passenger-km
    assert yearly(BUS).quantities == {"commute.bus.local": 4600}
    # car: 2 × 20 × 3 × 46 = 5,520 km in a car of two → 2,760 vehicle-km; home: 2 days × 46 × 7.5 h = 690 h,
    # oil/gas heating → the full homeworking factor
    assert yearly(CAR).quantities == {"commute.car.medium.petrol.km": 2760, "homeworking": 690}
    assert yearly(CAR).km_by_mode == {"car_driver": 5520}
    # 2 × 30 × 4 × 46 = 11,040 km, half by train, half by bike (no factor); home 1 × 46 × 7.5 = 345 h,
    # heat pump → office equipment only
    assert yearly(TRAIN_BIKE).quantities == {"commute.rail.national": 5520,
                                             "homeworking.office_equipment": 345}
    assert yearly(TRAIN_BIKE).km_by_mode == {"train": 5520, "bike": 5520}


def test_answers_outside_sense_are_refused_at_their_field() -> None:
    unknown_mode = Answer(days_on_site=5, km_one_way=301, shares={"car": 100})
    assert refused_fields(unknown_mode) == ["km_one_way", "shares"]
    assert refused_fields(Answer(days_on_site=5, km_one_way=301, shares={"train": 100})) == ["km_one_way"]
    assert refused_fields(Answer(days_on_site=8, km_one_way=5, shares={"bus": 100})) == ["days_on_site"]
    assert refused_fields(Answer(days_on_site=5, km_one_way=5, shares={"bus": 60, "walk": 30})) == ["shares"]
    assert refused_fields(Answer(days_on_site=5, km_one_way=5, shares={"bus": 100}, homeworking_days=3)) == [
        "homeworking_days"]
    ninety = Answer(days_on_site=5, km_one_way=5, shares={"bus": 60, "walk": 30})
    assert str(check(ninety).refused[0].text) == (
        "The shares add up to 90 %: they must add up to 100 %.")
    assert str(check(Answer(days_on_site=4.5, km_one_way=5, shares={"bus": 100}, homeworking_days=3))
               .refused[0].text) == ("Days at the workplace and days at home add up to 7.5, more than the 7 "
                                     "days of a week.")
    # 300 km and 7 days are the limits themselves: allowed (and flagged, see below)
    assert check(Answer(days_on_site=7, km_one_way=300, shares={"train": 100})).ok


def test_implausible_answers_are_kept_and_flagged() -> None:
    checked = check(Answer(days_on_site=5, km_one_way=120, shares={"walk": 100}))
    assert checked.ok
    assert [str(flag.text) for flag in checked.flags] == [
        "over 100 km one way, four or more days a week", "walks more than 15 km one way"]


def test_scaled_to_fte_with_the_average_of_the_respondents() -> None:
    summary = summarise([BUS, CAR, TRAIN_BIKE], fte=30)
    assert summary.respondents == 3
    assert summary.response_rate == pytest.approx(0.1)
    assert not summary.representative  # 10 % < 30 %
    assert summary.scale == 10  # 30 FTE ÷ 3 respondents
    assert summary.scaled(summary.commuting()) == {
        "commute.bus.local": 46000, "commute.car.medium.petrol.km": 27600, "commute.rail.national": 55200}
    assert summarise([BUS] * 3, fte=10).representative  # 30 %


def test_known_answer_survey_to_category_7_tonnes() -> None:
    """Three respondents of 30 FTE, DESNZ 2025 (shipped catalogue), kg CO2e per unit:
    commute.bus.local 25_314_3145_11_1 0.10385 + WTT 26_910_3145_11_1 0.02649 = 0.13034 per passenger-km
    commute.car.medium.petrol.km 25_301_3054_4_1 0.17474 + WTT 26_904_3054_4_1 0.04957 = 0.22431 per km
    commute.rail.national 25_315_3147_11_1 0.03546 + WTT 26_911_3147_11_1 0.00897 = 0.04443 per passenger-km
    homeworking 32_603_9999_12_1 0.33378, homeworking.office_equipment 32_601_9999_12_1 0.03144 per FTE-hour

    respondents' commuting: 4,600 × 0.13034 = 599.564; 2,760 × 0.22431 = 619.0956; 5,520 × 0.04443 = 245.2536
      → 1,463.9132 kg, × 10 (30 FTE ÷ 3) = 14.639132 t category 7 commuting
    homeworking: 690 × 0.33378 = 230.3082; 345 × 0.03144 = 10.8468 → 241.155 kg × 10 = 2.41155 t
    """
    summary = summarise([BUS, CAR, TRAIN_BIKE], fte=30)
    scaled = summary.scaled(dict(summary.quantities))
    result = compute_account([ActivityLine(a, q, commuting.activity_unit(a)) for a, q in scaled.items()],
                             year=2025, catalogue=default_catalogue(), gwp_set="AR5")
    assert result.by_category() == {"scope_3.7": pytest.approx(14.639132 + 2.41155)}
    commute_kg = sum(line.kg_co2e for line in result.lines if line.activity.startswith("commute."))
    assert commute_kg == pytest.approx(14_639.132)
    assert sorted(line.factor.source_ref for line in result.lines) == sorted([
        "25_314_3145_11_1", "26_910_3145_11_1", "25_301_3054_4_1", "26_904_3054_4_1", "25_315_3147_11_1",
        "26_911_3147_11_1", "32_603_9999_12_1", "32_601_9999_12_1"])


@given(km=st.floats(0, 300), days=st.floats(0, 7), share=st.integers(0, 100))
def test_a_year_is_linear_in_distance_and_days(km: float, days: float, share: int) -> None:
    answer = Answer(days_on_site=days, km_one_way=km, shares={"bus": share, "walk": 100 - share})
    total = sum(yearly(answer).km_by_mode.values())
    assert total == pytest.approx(2 * km * days * commuting.WORKING_WEEKS if share or 100 - share else 0)
