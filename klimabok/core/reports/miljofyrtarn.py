"""The Miljøfyrtårn annual climate and environment report ("årlig klima- og miljørapport"), by theme.

A Miljøfyrtårn-certified company reports each year, by 1 April, in the foundation's portal, which has
no import: the figures are typed in. :func:`assemble` puts together what the portal asks for from a
year's activity entries, its accounting ledger's spend, the year's FTE and floor area, the plan's
measures, and the few figures the account does not hold (sick leave, degree days, the heating-dependent
share of the energy, own indicators). Sections, in the order the portal's report has them — the
certification criteria's themes, then what was done, then the plan (:data:`SECTIONS`):

1. key figures: full-time equivalents, floor area;
2. working environment: sick leave (%, entered);
3. purchasing: spend by category from the ledger (NOK; what the account counts spend-based, and what
   activity data covers instead);
4. energy: kWh by carrier, kWh per m², temperature-corrected where the degree days are given;
5. transport: km and litres by mode; flights by haul (flights flown and passenger-km);
6. waste: kg per fraction and the sorting share;
7. own indicators (name, unit, value);
8. measures done in the year; 9. the action plan.

**Energy.** Electricity (``electricity.*``), district heating (``district_heating.*``) and fuels burnt
on site (``fuel.*``) in kWh. A fuel entered in litres or tonnes is listed in its own unit and not
turned into kWh: that needs a calorific value this report does not have a source for
(:attr:`EnergyTheme.other_units`). Fuel for vehicles is transport, not energy.
kWh per m² = the energy's kWh / the year's floor area (the sites' sum when the year gives none).

**Temperature correction** (the degree-day method of Norwegian energy statistics): only the
heating-dependent share ``s`` of the energy varies with the weather, so

    E_corrected = E × (1 − s) + E × s × DD_normal / DD_actual

with ``DD_normal`` the place's heating degree days in a normal year (e.g. the 1991–2020 normal),
``DD_actual`` the year's, and ``s`` as the user states it (a typical office heated by district heating
or electricity: 50–60 %). A cold year (DD_actual > DD_normal) is corrected down, a mild one up.

**Waste.** Kilograms per fraction (``waste.<fraction>.<treatment>``); sorted waste is every fraction
but mixed waste (``mixed``, restavfall); sorting share = sorted kg / all kg.

**Transport.** Company cars and vans by fuel (km from ``car.*``/``van.*`` per-km entries; litres from
``car.diesel.litres``/``car.petrol.litres``), private cars on business (``travel.car.*``, mileage
allowance), taxi, bus, rail, ferry and motorbike (passenger-km, or vehicle-km for ``.km`` keys).
Commuting (scope 3 category 7) is not business transport and is left out. Flights by haul
(``flight.<haul>.*``): flights flown (trips, × 2 for a return trip, from the flight form) and passenger-km.

**Measures.** Done in the year: status done, with the deadline in the year (or, without a deadline,
the start year): the plan records no completion date. The action plan: measures planned or in
progress, by deadline (ideas are not yet a plan; dropped and done ones are no longer in it).

Everything is keys and ``Decimal``: the web names the keys in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from klimabok.core.errors import UnitError
from klimabok.core.units import conversion_factor

#: The report's sections in the portal's order (the keys the page, the XLSX and the PDF follow).
SECTIONS = (
    "key_figures",
    "working_environment",
    "purchasing",
    "energy",
    "transport",
    "waste",
    "own_indicators",
    "measures_done",
    "action_plan",
)

ENERGY_CARRIERS = ("electricity", "district_heating", "fuel")
TRANSPORT_MODES = (
    "company_electric",
    "company_hybrid",
    "company_petrol",
    "company_diesel",
    "company_other",
    "private_car",
    "taxi",
    "bus",
    "rail",
    "ferry",
    "motorbike",
)
HAULS = ("domestic", "short_haul", "long_haul", "international")
#: The fraction that is not sorted (restavfall).
UNSORTED_FRACTION = "mixed"
PLAN_STATUSES = ("planned", "in_progress")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Activity:
    """One activity entry: catalogue key, quantity in ``unit``; ``flights`` flown for a flight entry
    made in the flight form (None: not known, e.g. an uploaded line)."""

    key: str
    quantity: Decimal
    unit: str
    flights: int | None = None


@dataclass(frozen=True)
class Spend:
    """One spend part of the ledger with a spend category: NOK, and whether the account counts it
    spend-based (False: the year's activity data covers it instead)."""

    category: str
    net_nok: Decimal
    counted: bool


@dataclass(frozen=True)
class OwnIndicator:
    name: str
    unit: str
    value: Decimal


@dataclass(frozen=True)
class EnteredFigures:
    """What the account does not have, entered once a year on the report's form."""

    sick_leave_percent: Decimal | None = None
    normal_degree_days: Decimal | None = None
    actual_degree_days: Decimal | None = None
    heating_share_percent: Decimal | None = None
    own_indicators: tuple[OwnIndicator, ...] = ()


@dataclass(frozen=True)
class PlanItem:
    """A measure of the plan as the report lists it."""

    title: str
    status: str
    owner: str
    deadline: date | None
    start_year: int


@dataclass(frozen=True)
class ReportInput:
    year: int
    fte: Decimal | None
    floor_area_m2: Decimal | None
    activities: Sequence[Activity] = ()
    spend: Sequence[Spend] = ()
    entered: EnteredFigures = field(default_factory=EnteredFigures)
    measures: Sequence[PlanItem] = ()


# --- Results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """An entry's quantity the report lists in its own unit (not converted)."""

    key: str
    quantity: Decimal
    unit: str


@dataclass(frozen=True)
class TemperatureCorrection:
    normal_degree_days: Decimal
    actual_degree_days: Decimal
    heating_share_percent: Decimal
    #: the heating-dependent kWh before and after correction
    heating_kwh: Decimal
    corrected_heating_kwh: Decimal
    corrected_kwh: Decimal
    corrected_kwh_per_m2: Decimal | None


@dataclass(frozen=True)
class EnergyTheme:
    kwh_by_carrier: dict[str, Decimal]
    total_kwh: Decimal
    floor_area_m2: Decimal | None
    kwh_per_m2: Decimal | None
    correction: TemperatureCorrection | None
    other_units: tuple[Quantity, ...] = ()


@dataclass(frozen=True)
class WasteTheme:
    kg_by_fraction: dict[str, Decimal]
    total_kg: Decimal
    sorted_kg: Decimal
    sorting_share_percent: Decimal | None


@dataclass(frozen=True)
class TransportRow:
    mode: str
    km: Decimal
    litres: Decimal


@dataclass(frozen=True)
class FlightRow:
    haul: str
    #: flights flown (None when an entry of the haul does not say how many)
    flights: int | None
    passenger_km: Decimal


@dataclass(frozen=True)
class TransportTheme:
    rows: tuple[TransportRow, ...]
    flights: tuple[FlightRow, ...]


@dataclass(frozen=True)
class PurchaseRow:
    category: str
    net_nok: Decimal
    counted_nok: Decimal


@dataclass(frozen=True)
class PurchasingTheme:
    rows: tuple[PurchaseRow, ...]
    total_nok: Decimal


@dataclass(frozen=True)
class MiljofyrtarnReport:
    year: int
    fte: Decimal | None
    floor_area_m2: Decimal | None
    sick_leave_percent: Decimal | None
    purchasing: PurchasingTheme
    energy: EnergyTheme
    transport: TransportTheme
    waste: WasteTheme
    own_indicators: tuple[OwnIndicator, ...]
    measures_done: tuple[PlanItem, ...]
    action_plan: tuple[PlanItem, ...]


# --- Assembly --------------------------------------------------------------------------------------


def _in(quantity: Decimal, unit: str, target: str) -> Decimal:
    """``quantity`` ``unit`` in ``target`` (raises UnitError when they do not convert)."""
    return quantity * Decimal(str(conversion_factor(unit, target)))


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return HUNDRED * part / whole if whole else None


def temperature_corrected(
    kwh: Decimal, heating_share_percent: Decimal, normal_degree_days: Decimal, actual_degree_days: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """(heating kWh, corrected heating kWh, corrected total kWh) by the degree-day method (module doc)."""
    heating = kwh * heating_share_percent / HUNDRED
    corrected_heating = heating * normal_degree_days / actual_degree_days
    return heating, corrected_heating, kwh - heating + corrected_heating


def energy_theme(
    activities: Iterable[Activity], floor_area_m2: Decimal | None, entered: EnteredFigures
) -> EnergyTheme:
    kwh = dict.fromkeys(ENERGY_CARRIERS, Decimal(0))
    other: list[Quantity] = []
    for activity in activities:
        carrier = activity.key.split(".", 1)[0]
        if carrier not in kwh:
            continue
        try:
            kwh[carrier] += _in(activity.quantity, activity.unit, "kWh")
        except UnitError:
            other.append(Quantity(activity.key, activity.quantity, activity.unit))
    total = sum(kwh.values(), Decimal(0))
    area = floor_area_m2 if floor_area_m2 else None
    per_m2 = total / area if area else None
    correction = None
    normal, actual, share = (
        entered.normal_degree_days,
        entered.actual_degree_days,
        entered.heating_share_percent,
    )
    if normal and actual and share is not None:
        heating, corrected_heating, corrected = temperature_corrected(total, share, normal, actual)
        correction = TemperatureCorrection(
            normal, actual, share, heating, corrected_heating, corrected, corrected / area if area else None
        )
    return EnergyTheme(kwh, total, area, per_m2, correction, tuple(other))


def waste_theme(activities: Iterable[Activity]) -> WasteTheme:
    kg: dict[str, Decimal] = {}
    for activity in activities:
        parts = activity.key.split(".")
        if parts[0] != "waste" or len(parts) < 3:
            continue
        kg[parts[1]] = kg.get(parts[1], Decimal(0)) + _in(activity.quantity, activity.unit, "kg")
    total = sum(kg.values(), Decimal(0))
    sorted_kg = total - kg.get(UNSORTED_FRACTION, Decimal(0))
    ordered = dict(sorted(kg.items(), key=lambda item: (item[0] != UNSORTED_FRACTION, -item[1], item[0])))
    return WasteTheme(ordered, total, sorted_kg, _share(sorted_kg, total))


_FUEL_GROUPS = {
    "bev": "company_electric",
    "phev": "company_hybrid",
    "hybrid": "company_hybrid",
    "petrol": "company_petrol",
    "diesel": "company_diesel",
}
_TRAVEL_MODES = {
    "taxi": "taxi",
    "bus": "bus",
    "rail": "rail",
    "ferry": "ferry",
    "motorbike": "motorbike",
    "car": "private_car",
}


def transport_mode(key: str) -> str | None:
    """The report's transport mode of an activity key (None: not business transport)."""
    parts = key.split(".")
    if parts[0] in ("car", "van"):
        if key in ("car.diesel.litres", "car.petrol.litres"):
            return f"company_{parts[1]}"
        return _FUEL_GROUPS.get(parts[2], "company_other") if len(parts) >= 3 else "company_other"
    if parts[0] == "travel" and len(parts) >= 2:
        return _TRAVEL_MODES.get(parts[1])
    return None


def _distance(activity: Activity) -> Decimal:
    try:
        return _in(activity.quantity, activity.unit, "km")
    except UnitError:
        return _in(activity.quantity, activity.unit, "passenger_km")


def transport_theme(activities: Iterable[Activity]) -> TransportTheme:
    km: dict[str, Decimal] = {}
    litres: dict[str, Decimal] = {}
    flight_km: dict[str, Decimal] = {}
    flights: dict[str, int | None] = {}
    for activity in activities:
        if activity.key.startswith("flight."):
            haul = activity.key.split(".")[1]
            flight_km[haul] = flight_km.get(haul, Decimal(0)) + _in(
                activity.quantity, activity.unit, "passenger_km"
            )
            known = flights.get(haul, 0)
            flights[haul] = None if known is None or activity.flights is None else known + activity.flights
            continue
        mode = transport_mode(activity.key)
        if mode is None:
            continue
        try:
            litres[mode] = litres.get(mode, Decimal(0)) + _in(activity.quantity, activity.unit, "litre")
        except UnitError:
            km[mode] = km.get(mode, Decimal(0)) + _distance(activity)
    rows = tuple(
        TransportRow(mode, km.get(mode, Decimal(0)), litres.get(mode, Decimal(0)))
        for mode in TRANSPORT_MODES
        if mode in km or mode in litres
    )
    hauls = [*HAULS, *sorted(set(flight_km) - set(HAULS))]
    return TransportTheme(
        rows, tuple(FlightRow(h, flights[h], flight_km[h]) for h in hauls if h in flight_km)
    )


def purchasing_theme(spend: Iterable[Spend]) -> PurchasingTheme:
    total: dict[str, Decimal] = {}
    counted: dict[str, Decimal] = {}
    for part in spend:
        total[part.category] = total.get(part.category, Decimal(0)) + part.net_nok
        if part.counted:
            counted[part.category] = counted.get(part.category, Decimal(0)) + part.net_nok
    rows = sorted(
        (PurchaseRow(c, nok, counted.get(c, Decimal(0))) for c, nok in total.items()),
        key=lambda row: (-row.net_nok, row.category),
    )
    return PurchasingTheme(tuple(rows), sum(total.values(), Decimal(0)))


def done_in_year(measures: Iterable[PlanItem], year: int) -> tuple[PlanItem, ...]:
    """Measures done in ``year``: status done, the deadline in the year (without one: the start year)."""
    return tuple(
        m
        for m in measures
        if m.status == "done" and (m.deadline.year if m.deadline is not None else m.start_year) == year
    )


def action_plan(measures: Iterable[PlanItem]) -> tuple[PlanItem, ...]:
    """Measures planned or in progress, by deadline (none last), then title."""
    chosen = [m for m in measures if m.status in PLAN_STATUSES]
    return tuple(sorted(chosen, key=lambda m: (m.deadline is None, m.deadline or date.max, m.title)))


def assemble(data: ReportInput) -> MiljofyrtarnReport:
    """The report of ``data`` (see the module docstring for every rule)."""
    activities = list(data.activities)
    return MiljofyrtarnReport(
        year=data.year,
        fte=data.fte,
        floor_area_m2=data.floor_area_m2 or None,
        sick_leave_percent=data.entered.sick_leave_percent,
        purchasing=purchasing_theme(data.spend),
        energy=energy_theme(activities, data.floor_area_m2, data.entered),
        transport=transport_theme(activities),
        waste=waste_theme(activities),
        own_indicators=data.entered.own_indicators,
        measures_done=done_in_year(data.measures, data.year),
        action_plan=action_plan(data.measures),
    )
