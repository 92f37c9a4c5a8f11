"""Employee commuting and homeworking from a survey: GHG Protocol Scope 3 category 7, distance-based.

Pure maths, no Django: one employee's answers (:class:`Answer`) in, checks and yearly activity
quantities out; many answers summed and scaled to the organisation's full-time equivalents
(:func:`summarise`).

Method (GHG Protocol, *Technical Guidance for Calculating Scope 3 Emissions* v1.0, category 7,
"distance-based method"; the average-data method for the employees who did not answer):

- a respondent's yearly distance by mode = 2 (there and back) × one-way km × days on site per week ×
  :data:`WORKING_WEEKS` × the mode's share of their trips;
- bus, metro, tram, train and ferry count passenger-km; a car or motorbike counts vehicle-km,
  and a car shared by ``car_people`` counts ``1 / car_people`` of them for each of its occupants
  (the guidance's car-sharing rule), so two colleagues in one car count it once;
- walking, cycling and e-bikes have no factor (zero, their km are still shown);
- homeworking (optional in the GHG Protocol, counted in category 7 by DESNZ's factors): days at
  home per week × :data:`WORKING_WEEKS` × :data:`HOURS_PER_DAY` FTE-hours, office equipment only for
  a home heated by electricity, a heat pump, district heating or wood (Norwegian homes; DESNZ's
  heating factor assumes British gas-heated homes), office equipment and heating otherwise;
- the sums over the respondents × FTE / respondents: the respondents' average stands in for everyone
  who did not answer (average-data), each respondent counting as one FTE.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from klimabok.core.messages import Message, message

#: Working weeks in a Norwegian year: 52 weeks − 5 weeks' holiday (ferieloven § 5: 25 working days)
#: − about one week of public holidays falling on weekdays ≈ 46 (230 working days).
WORKING_WEEKS = 46
#: A Norwegian full-time working day: 37.5 hours a week over five days (arbeidsmiljøloven § 10-4 caps
#: it at 40; 37.5 is the usual agreed week).
HOURS_PER_DAY = 7.5
MAX_KM_ONE_WAY = 300
MAX_DAYS_PER_WEEK = 7
#: Below this response rate the results page warns that the answers may not stand for everyone.
REPRESENTATIVE_RESPONSE_RATE = 0.30
#: Employees (who may not see the data) see the results only from this many answers: the averages of fewer
#: could give away a colleague's answers (the survey's managers and auditors see them from the first).
MIN_RESPONDENTS_SHOWN = 5

#: Every mode, in the order the survey asks them.
MODES = ("walk", "bike", "e_bike", "bus", "metro", "tram", "train", "car_driver", "car_passenger",
         "motorbike", "ferry")
#: Modes with no factor: their emissions are zero (an e-bike's charging is too small to count).
ZERO_MODES = frozenset({"walk", "bike", "e_bike"})
CAR_MODES = frozenset({"car_driver", "car_passenger"})
#: Public transport and the motorbike: the catalogue activity of each (DESNZ commuting rows).
MODE_ACTIVITY = {
    "bus": "commute.bus.local",
    "metro": "commute.rail.underground",
    "tram": "commute.rail.light_rail",
    "train": "commute.rail.national",
    "motorbike": "commute.motorbike.average.km",
    "ferry": "commute.ferry.foot",
}
CAR_SIZES = ("small", "medium", "large", "average")
CAR_FUELS = ("petrol", "diesel", "hybrid", "phev", "bev", "unknown")
HEATING = ("electric", "heat_pump", "district", "wood", "oil_gas", "unknown")
#: Homes heated without burning fossil fuel on site: only the office equipment counts.
LOW_CARBON_HEATING = frozenset({"electric", "heat_pump", "district", "wood"})
HOMEWORKING_EQUIPMENT = "homeworking.office_equipment"
HOMEWORKING_WITH_HEATING = "homeworking"


def car_activity(size: str, fuel: str) -> str:
    """The catalogue activity of a commuting car (vehicle-km): ``commute.car.<size>.<fuel>.km``."""
    return f"commute.car.{size}.{fuel}.km"


def homeworking_activity(heating: str) -> str:
    return HOMEWORKING_EQUIPMENT if heating in LOW_CARBON_HEATING else HOMEWORKING_WITH_HEATING


def activity_unit(activity: str) -> str:
    """The unit a commuting activity is counted in: vehicle-km for cars and motorbikes."""
    if activity.startswith("homeworking"):
        return "fte_hour"
    return "km" if activity.endswith(".km") else "passenger_km"


@dataclass(frozen=True)
class Answer:
    """One respondent's answers; ``shares`` in percent by mode (only modes used)."""

    days_on_site: float
    km_one_way: float
    shares: Mapping[str, float]
    car_size: str = "average"
    car_fuel: str = "unknown"
    car_people: int = 1
    homeworking_days: float = 0.0
    heating: str = "unknown"

    @property
    def uses_car(self) -> bool:
        return any(self.shares.get(mode, 0) > 0 for mode in CAR_MODES)


@dataclass(frozen=True)
class Problem:
    """A refusal (or a flag) on one field of the answer."""

    field: str
    text: Message


@dataclass(frozen=True)
class Checked:
    refused: tuple[Problem, ...]
    flags: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.refused


def check(answer: Answer) -> Checked:
    """Answers outside sense are refused (each at its field); implausible ones are flagged."""
    refused: list[Problem] = []
    flags: list[Problem] = []
    if not 0 <= answer.km_one_way <= MAX_KM_ONE_WAY:
        refused.append(Problem("km_one_way", message(
            "The distance must be between 0 and %(max)s km one way.", max=MAX_KM_ONE_WAY)))
    for name, days in (("days_on_site", answer.days_on_site), ("homeworking_days", answer.homeworking_days)):
        if not 0 <= days <= MAX_DAYS_PER_WEEK:
            refused.append(Problem(name, message("A week has %(max)s days: give 0 to %(max)s.",
                                                 max=MAX_DAYS_PER_WEEK)))
    if (answer.days_on_site + answer.homeworking_days > MAX_DAYS_PER_WEEK
            and answer.days_on_site <= MAX_DAYS_PER_WEEK and answer.homeworking_days <= MAX_DAYS_PER_WEEK):
        refused.append(Problem("homeworking_days", message(
            "Days at the workplace and days at home add up to %(days)g, more than the %(max)s days of a "
            "week.", days=answer.days_on_site + answer.homeworking_days, max=MAX_DAYS_PER_WEEK)))
    unknown = sorted(set(answer.shares) - set(MODES))
    if unknown:
        refused.append(Problem("shares", message("Unknown way of travelling: %(modes)s.",
                                                 modes=", ".join(unknown))))
    if any(share < 0 or share > 100 for share in answer.shares.values()):
        refused.append(Problem("shares", message("Each share is between 0 and 100 %%.")))
    total = sum(answer.shares.values())
    if answer.days_on_site > 0 and abs(total - 100) > 0.5:
        refused.append(Problem("shares", message(
            "The shares add up to %(total)g %%: they must add up to 100 %%.", total=round(total, 1))))
    if answer.uses_car:
        if not 1 <= answer.car_people <= 9:
            refused.append(Problem("car_people", message("Give the number of people in the car, 1 to 9.")))
        if answer.car_size not in CAR_SIZES:
            refused.append(Problem("car_size", message("Choose the size of the car.")))
        if answer.car_fuel not in CAR_FUELS:
            refused.append(Problem("car_fuel", message("Choose what the car runs on.")))
    if answer.heating not in HEATING:
        refused.append(Problem("heating", message("Choose how your home is heated.")))
    if refused:
        return Checked(tuple(refused), ())
    # Implausible, but possible: kept, flagged for the results page.
    if answer.days_on_site >= 4 and answer.km_one_way > 100:
        flags.append(Problem("km_one_way", message(
            "over 100 km one way, four or more days a week")))
    if answer.shares.get("walk", 0) > 0 and answer.km_one_way > 15:
        flags.append(Problem("shares", message("walks more than 15 km one way")))
    if answer.shares.get("bike", 0) > 0 and answer.km_one_way > 50:
        flags.append(Problem("shares", message("cycles more than 50 km one way")))
    if answer.days_on_site > 0 and answer.km_one_way == 0:
        flags.append(Problem("km_one_way", message("comes to the workplace but gave 0 km")))
    if answer.days_on_site + answer.homeworking_days == 0:
        flags.append(Problem("days_on_site", message("works neither at the workplace nor at home")))
    return Checked((), tuple(flags))


@dataclass(frozen=True)
class Yearly:
    """One respondent's (or the sum of several) year: km by mode, activity quantities."""

    km_by_mode: Mapping[str, float] = field(default_factory=dict)
    #: ``{activity: quantity}`` in :func:`activity_unit` of each.
    quantities: Mapping[str, float] = field(default_factory=dict)


def yearly(answer: Answer) -> Yearly:
    """The respondent's year: km by mode and the catalogue quantities they make (see the module)."""
    trips_km = 2 * answer.km_one_way * answer.days_on_site * WORKING_WEEKS
    km_by_mode: dict[str, float] = {}
    quantities: dict[str, float] = {}
    for mode in MODES:
        share = answer.shares.get(mode, 0.0)
        if share <= 0:
            continue
        km = trips_km * share / 100
        km_by_mode[mode] = km
        if mode in CAR_MODES:
            key = car_activity(answer.car_size, answer.car_fuel)
            quantities[key] = quantities.get(key, 0.0) + km / max(answer.car_people, 1)
        elif mode in MODE_ACTIVITY:
            key = MODE_ACTIVITY[mode]
            quantities[key] = quantities.get(key, 0.0) + km
    hours = answer.homeworking_days * WORKING_WEEKS * HOURS_PER_DAY
    if hours > 0:
        quantities[homeworking_activity(answer.heating)] = hours
    return Yearly(km_by_mode, quantities)


def _add(into: dict[str, float], values: Mapping[str, float]) -> None:
    for key, value in values.items():
        into[key] = into.get(key, 0.0) + value


@dataclass(frozen=True)
class Summary:
    """Every answer summed, per respondent, and scaled to the organisation's FTE."""

    respondents: int
    fte: float | None
    km_by_mode: Mapping[str, float]
    quantities: Mapping[str, float]
    days_on_site: float
    homeworking_days: float

    @property
    def response_rate(self) -> float | None:
        return self.respondents / self.fte if self.fte else None

    @property
    def representative(self) -> bool:
        rate = self.response_rate
        return rate is not None and rate >= REPRESENTATIVE_RESPONSE_RATE

    @property
    def scale(self) -> float | None:
        """FTE / respondents: what every respondent's figures are multiplied by for the whole staff."""
        return self.fte / self.respondents if self.fte and self.respondents else None

    def per_respondent(self, values: Mapping[str, float]) -> dict[str, float]:
        return {k: v / self.respondents for k, v in values.items()} if self.respondents else {}

    def scaled(self, values: Mapping[str, float]) -> dict[str, float]:
        scale = self.scale
        return {k: v * scale for k, v in values.items()} if scale else {}

    def commuting(self) -> dict[str, float]:
        return {k: v for k, v in self.quantities.items() if k.startswith("commute.")}

    def homeworking(self) -> dict[str, float]:
        return {k: v for k, v in self.quantities.items() if k.startswith("homeworking")}


def summarise(answers: Sequence[Answer], fte: float | None) -> Summary:
    """The sums of ``answers`` (each :func:`yearly`), with the FTE they are scaled to."""
    km: dict[str, float] = {}
    quantities: dict[str, float] = {}
    for answer in answers:
        year = yearly(answer)
        _add(km, year.km_by_mode)
        _add(quantities, year.quantities)
    return Summary(respondents=len(answers), fte=fte if fte and fte > 0 else None,
                   km_by_mode={m: km[m] for m in MODES if m in km},
                   quantities=dict(sorted(quantities.items())),
                   days_on_site=sum(a.days_on_site for a in answers),
                   homeworking_days=sum(a.homeworking_days for a in answers))
