"""Nordlys's 2025 commuting and homeworking survey: 180 generated answers from a 400-person call centre
with offices in Oslo and Drammen (seeded, so every load gives the same answers).

Many come by train (Drammen–Oslo is about 40 km), metro, bus or tram; some drive (half of them electric
cars, as in Norway's fleet of new cars), some cycle or walk; most work two days a week from home. One
answer is implausible on purpose (walking 18 km each way), so the results page shows a flagged answer.

The demo does not "use it in the account": that would replace the 2025 commuting and homeworking lines
the demo's activity data has (:mod:`klimabok.demo.activity`), and with them the 2025 totals other pages
and reports are checked against. The ombudsman can press the button in the demo.
"""

from __future__ import annotations

import random

from klimabok.accounts.models import User
from klimabok.core.commuting import Answer
from klimabok.inventory.models import ReportingYear
from klimabok.survey import services

YEAR = 2025
RESPONSES = 180
SEED = 2025_12

#: (weight, mode, km one way (low, high)): how the answers are drawn.
MODES = (
    (28, "train", (22, 48)), (22, "metro", (4, 16)), (14, "bus", (3, 15)), (6, "tram", (2, 8)),
    (12, "car_driver", (8, 40)), (3, "car_passenger", (8, 35)), (8, "bike", (2, 12)), (3, "e_bike", (4, 18)),
    (4, "walk", (0.5, 3)),
)
#: A second mode for some: a bike or a walk to the station.
FEEDERS = {"train": "bike", "metro": "walk", "bus": "walk"}
HEATING = (("electric", 45), ("heat_pump", 30), ("district", 15), ("wood", 5), ("oil_gas", 1), ("unknown", 4))
CAR_SIZES = (("small", 20), ("medium", 50), ("large", 15), ("average", 15))
CAR_FUELS = (("bev", 45), ("petrol", 20), ("diesel", 15), ("phev", 10), ("hybrid", 10))


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _ in table], weights=[w for _, w in table])[0]


def demo_answers() -> list[Answer]:
    """The 180 answers (deterministic)."""
    rng = random.Random(SEED)
    answers = []
    for _ in range(RESPONSES - 1):
        _weight, mode, (low, high) = rng.choices(MODES, weights=[m[0] for m in MODES])[0]
        km = round(rng.uniform(low, high), 1)
        days = rng.choices([2, 3, 4, 5], weights=[8, 55, 22, 15])[0]
        home = rng.choices([5 - days, 0, 1], weights=[80, 12, 8])[0]
        shares = {mode: 100.0}
        if mode in FEEDERS and rng.random() < 0.2:
            shares = {mode: 80.0, FEEDERS[mode]: 20.0}
        car = mode.startswith("car_")
        answers.append(Answer(
            days_on_site=days, km_one_way=km, shares=shares, homeworking_days=max(home, 0),
            car_size=_pick(rng, CAR_SIZES) if car else "average",
            car_fuel=_pick(rng, CAR_FUELS) if car else "unknown",
            car_people=rng.choices([1, 2, 3], weights=[78, 18, 4])[0] if car else 1,
            heating=_pick(rng, HEATING)))
    answers.append(Answer(days_on_site=4, km_one_way=18, shares={"walk": 100}, homeworking_days=1,
                          heating="heat_pump"))
    return answers


def load_demo_survey(reporting_year: ReportingYear, ombudsman: User) -> None:
    """Open the year's survey (no last day: the demo does not depend on the clock) and take the answers."""
    survey = services.open_survey(reporting_year, closes_on=None, user=ombudsman)
    for n, answer in enumerate(demo_answers()):
        services.submit_response(survey, f"demo-device-{n:03d}-{SEED}", answer)
