"""Measures whose effect is computed from the account's own lines, applied in sequence on what is left.

The contract the plans app codes against:

- :data:`MEASURE_KINDS` — the catalogue for office and service companies (:class:`MeasureKind`, its
  :class:`Param`\\ s with unit, range and default);
- :func:`validate_params` / :func:`validate_measure` — every problem as ``(field, message)``;
- :func:`plan_lines` — an account's lines as :class:`PlanLine`\\ s (numpy, no per-line Python);
- :func:`apply_in_sequence` — each :class:`MeasureInput` applied, in order, to what the measures
  before it left: two measures on the same kWh or the same flights never count them twice (an
  electric-car switch adds kWh that guarantees of origin then cover; fewer flights leave fewer
  flights for video meetings). One :class:`MeasureEffect` per measure, with the remaining totals.

Each kind acts on lines by activity key (the catalogue's keys: ``car.*``, ``electricity.*``,
``flight.*``, ``commute.*``, ``homeworking``, ``waste.*``, ``spend.*``…); a measure's ``refs`` narrow
it to named lines (a flight route, an entry). A plan line is one scope label's part of an account line
(:mod:`.lines`): a kind acts on every part of the lines of its activities (50 % less diesel is half the
scope 1 combustion and half the scope 3.3 well-to-tank part), quantities it reads from them (km,
passenger-km, tonnes) count each account line once, and the generic kind's scope labels choose parts (a
cut on scope 3.3 cuts the well-to-tank tonnes, not the fuel burnt). Effects are tonnes CO2e a year in
both views (location- and market-based scope 2), split by scope label. Where a measure brings something
in (the electricity of electric cars, rail kilometres, homeworking hours, sorted waste), the factor is
the one the account already uses for it — the remaining kg per unit of its lines of that activity at
that point of the sequence, scope by scope, so after guarantees of origin an electric car's kWh count 0
kg market-based — or a parameter; without either the measure cannot be computed and says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from klimabok.core.errors import InputError, InputErrors
from klimabok.core.messages import Message, message
from klimabok.core.plan.costs import annual_cost, nok_per_tonne
from klimabok.core.plan.lines import LineState, PlanLine, PlanLines, Rows, plan_lines
from klimabok.core.plan.pathway import SCOPE_LABELS

__all__ = [
    "MEASURE_KINDS", "MeasureEffect", "MeasureInput", "MeasureKind", "Param", "PlanLine", "PlanLines",
    "apply_in_sequence", "plan_lines", "validate_measure", "validate_params",
]

View = Literal["location", "market"]
#: Costs above this (NOK, one-off or a year) are taken for a typing error, not a measure.
MAX_NOK = 1e10
FIRST_YEAR, LAST_YEAR = 2000, 2100
FOSSIL_CARS = ("diesel", "petrol", "hybrid", "phev", "lpg", "cng", "unknown")


@dataclass(frozen=True, slots=True)
class Param:
    """A measure parameter: ``label``, ``unit``, allowed ``minimum``–``maximum`` and ``default``.

    ``default`` None: the user must give it, unless ``optional`` (then None means "from the
    account's lines").
    """

    key: str
    label: Message
    unit: str
    minimum: float
    maximum: float
    default: float | None = None
    optional: bool = False
    integer: bool = False


@dataclass(frozen=True)
class MeasureKind:
    """A kind of measure in the catalogue: its name, what it acts on, its parameters."""

    key: str
    name: Message
    acts_on: Message
    params: tuple[Param, ...]
    apply: Callable[[LineState, MeasureInput, dict[str, float | None]], _Outcome] = field(repr=False)
    #: shown with every effect of the kind ("market-based figure only")
    note: Message | None = None
    check: Callable[[dict[str, float | None]], list[tuple[str, Message]]] | None = field(default=None,
                                                                                           repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasureInput:
    """One measure of a plan: its kind and parameters, when it starts, what it costs.

    ``ramp_years``: years to reach the full effect (0 or 1: full from ``start_year``);
    ``opex_delta_nok_per_year`` is the change in running cost (negative = a saving); ``discount_rate``
    0.05 = 5 %. ``refs`` (lines by ref), ``activity_prefixes`` (``flight.``, ``spend.it_telecom``)
    and ``scope_labels`` (``scope_3.6``) choose the lines of the generic kind; ``refs`` also narrows
    any other kind to those lines (rail instead of named routes).
    """

    id: str | int
    kind: str
    start_year: int
    params: Mapping[str, object] = field(default_factory=dict)
    ramp_years: int = 0
    capex_nok: float = 0.0
    opex_delta_nok_per_year: float = 0.0
    lifetime_years: int = 10
    discount_rate: float = 0.0
    refs: tuple[str, ...] = ()
    activity_prefixes: tuple[str, ...] = ()
    scope_labels: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False, kw_only=True)
class MeasureEffect:
    """A measure's effect where it stands in the sequence: tonnes a year avoided in each view
    (negative: it adds emissions in that view), the lines it acted on (``line_index``: plan line
    positions, parts of account lines, ``n + k`` for the k-th part an earlier measure added), the lines
    it ``added`` (a part per scope label), the
    account's totals left after it, its yearly cost and NOK per tonne in each view."""

    id: str | int
    kind: str
    t_location_per_year: float
    t_market_per_year: float
    line_index: NDArray[np.intp]
    added: tuple[PlanLine, ...]
    remaining_t_location: float
    remaining_t_market: float
    annual_cost_nok: float
    nok_per_tonne_location: float | None
    nok_per_tonne_market: float | None
    start_year: int
    ramp_years: int
    notes: tuple[Message, ...] = ()
    #: The tonnes a year avoided split by scope label (``scope_1``, ``scope_2``, ``scope_3.6``…):
    #: ``(location, market)`` each; what the measure brings in counts negative under its own label
    #: (an electric car's kWh under ``scope_2``). Their sum in a view is that view's tonnes.
    t_by_label: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def t_per_year(self, view: View) -> float:
        return self.t_location_per_year if view == "location" else self.t_market_per_year

    def t_in(self, labels: Collection[str], view: View) -> float:
        """Tonnes a year avoided on the lines of ``labels`` (a target's boundary) in ``view``."""
        column = 0 if view == "location" else 1
        return sum(pair[column] for label, pair in self.t_by_label.items() if label in labels)

    def nok_per_tonne(self, view: View) -> float | None:
        return self.nok_per_tonne_location if view == "location" else self.nok_per_tonne_market


@dataclass
class _Outcome:
    rows: list[Rows]
    removed_location: float = 0.0
    removed_market: float = 0.0
    added: list[PlanLine] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)


# --- parameters ------------------------------------------------------------------------------------

def _pct(key: str, label: Message, default: float | None = None) -> Param:
    return Param(key, label, "%", 0.0, 100.0, default)


def _share(params: dict[str, float | None], key: str) -> float:
    value = params[key]
    assert value is not None
    return value / 100


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def validate_params(kind: str, params: Mapping[str, object]) -> list[tuple[str, Message]]:
    """Every problem of ``params`` for measure ``kind``, by field: unknown kind or parameter, a
    missing value, a value that is not a number, outside its range or not whole."""
    measure_kind = MEASURE_KINDS.get(kind)
    if measure_kind is None:
        return [("kind", message("unknown kind of measure '%(kind)s'", kind=kind))]
    known = {p.key for p in measure_kind.params}
    problems = [(key, message("unknown parameter '%(key)s'", key=key)) for key in params if key not in known]
    for param in measure_kind.params:
        value = params.get(param.key)
        if value is None:
            if param.default is None and not param.optional:
                problems.append((param.key, message("%(label)s is required", label=param.label)))
            continue
        number = _number(value)
        if number is None:
            problems.append((param.key, message("%(label)s must be a number", label=param.label)))
        elif not param.minimum <= number <= param.maximum:
            problems.append((param.key, message(
                "%(label)s must be between %(minimum)s and %(maximum)s %(unit)s, got %(value)s",
                label=param.label, minimum=f"{param.minimum:g}", maximum=f"{param.maximum:g}",
                unit=param.unit, value=f"{number:g}")))
        elif param.integer and number != int(number):
            problems.append((param.key, message("%(label)s must be a whole number", label=param.label)))
    if not problems and measure_kind.check is not None:
        problems += measure_kind.check(resolved_params(kind, params))
    return problems


def resolved_params(kind: str, params: Mapping[str, object]) -> dict[str, float | None]:
    """The parameters with defaults filled in, as floats (None: optional and not given)."""
    out: dict[str, float | None] = {}
    for param in MEASURE_KINDS[kind].params:
        value = params.get(param.key)
        out[param.key] = param.default if value is None else _number(value)
    return out


def validate_measure(measure: MeasureInput,
                     lines: Sequence[PlanLine] | None = None) -> list[tuple[str, Message]]:
    """Every problem of a measure by field: its parameters (:func:`validate_params`), years, costs
    ("absurd" above :data:`MAX_NOK`), lifetime, discount rate, the generic kind's choice of lines and,
    given ``lines``, refs that name no line."""
    problems = validate_params(measure.kind, measure.params)
    if not FIRST_YEAR <= measure.start_year <= LAST_YEAR:
        problems.append(("start_year", message("the start year must be between %(first)s and %(last)s",
                                                first=FIRST_YEAR, last=LAST_YEAR)))
    if not 0 <= measure.ramp_years <= 30:
        problems.append(("ramp_years", message("the ramp must be 0 to 30 years")))
    for name, value, low in (("capex_nok", measure.capex_nok, 0.0),
                             ("opex_delta_nok_per_year", measure.opex_delta_nok_per_year, -MAX_NOK)):
        if not (math.isfinite(value) and low <= value <= MAX_NOK):
            problems.append((name, message("a cost of %(value)s NOK is not plausible for a measure",
                                           value=f"{value:,.0f}" if math.isfinite(value) else str(value))))
    if not 1 <= measure.lifetime_years <= 100:
        problems.append(("lifetime_years", message("the lifetime must be 1 to 100 years")))
    if not (math.isfinite(measure.discount_rate) and 0 <= measure.discount_rate <= 0.5):
        problems.append(("discount_rate", message("the discount rate must be 0 to 50 %%")))
    if measure.kind == "generic" and not (measure.refs or measure.activity_prefixes or measure.scope_labels):
        problems.append(("refs", message("choose the lines or categories the measure acts on")))
    unknown_labels = sorted(set(measure.scope_labels) - set(SCOPE_LABELS))
    if unknown_labels:
        problems.append(("scope_labels", message("unknown scope or category: %(labels)s",
                                                 labels=", ".join(unknown_labels))))
    if lines is not None and measure.refs:
        refs = lines.line_refs if isinstance(lines, PlanLines) else [line.ref for line in lines]
        missing = sorted(set(measure.refs) - set(refs))
        if missing:
            problems.append(("refs", message("no line of the account has %(refs)s", refs=", ".join(missing))))
    return problems


# --- applying measures -----------------------------------------------------------------------------

def apply_in_sequence(lines: Sequence[PlanLine], measures: Sequence[MeasureInput]) -> list[MeasureEffect]:
    """Each measure applied, in order, to what the ones before it left; one effect per measure.

    Raises :class:`InputErrors` naming each bad measure and field (nothing is computed then).
    Σ effects in a view = the lines' total − what is left after the last measure.
    """
    table = lines if isinstance(lines, PlanLines) else PlanLines.from_lines(lines)
    problems = [InputError(text, source=f"measure {m.id}", field=key)
                for m in measures for key, text in validate_measure(m, table)]
    if problems:
        raise InputErrors(problems)
    state = LineState(table, extra_rows=len(measures))
    effects = []
    for measure in measures:
        kind = MEASURE_KINDS[measure.kind]
        removed_before = {label: tuple(pair) for label, pair in state.removed_by_label.items()}
        outcome = kind.apply(state, measure, resolved_params(measure.kind, measure.params))
        by_label = {label: ((pair[0] - removed_before.get(label, (0.0, 0.0))[0]) / 1000,
                            (pair[1] - removed_before.get(label, (0.0, 0.0))[1]) / 1000)
                    for label, pair in state.removed_by_label.items()}
        cost = annual_cost(measure.capex_nok, measure.opex_delta_nok_per_year, measure.lifetime_years,
                           measure.discount_rate)
        t_location, t_market = outcome.removed_location / 1000, outcome.removed_market / 1000
        notes = ([kind.note] if kind.note else []) + outcome.notes
        if not outcome.rows:
            notes.append(message("no line of the account is of the kind this measure acts on"))
        effects.append(MeasureEffect(
            id=measure.id, kind=measure.kind, t_location_per_year=t_location, t_market_per_year=t_market,
            line_index=state.line_index(outcome.rows), added=tuple(outcome.added),
            remaining_t_location=state.total_location / 1000, remaining_t_market=state.total_market / 1000,
            annual_cost_nok=cost, nok_per_tonne_location=nok_per_tonne(cost, t_location),
            nok_per_tonne_market=nok_per_tonne(cost, t_market), start_year=measure.start_year,
            ramp_years=measure.ramp_years, notes=tuple(notes),
            t_by_label={label: pair for label, pair in by_label.items() if pair != (0.0, 0.0)}))
    return effects


def _select(state: LineState, measure: MeasureInput, keep: Callable[[str, str], bool]) -> list[Rows]:
    return state.rows(state.groups(keep), measure.refs)


def _starts(*prefixes: str) -> Callable[[str, str], bool]:
    return lambda activity, _label: activity.startswith(prefixes)


def _cut(state: LineState, rows: list[Rows], share: float, *, quantity: bool = True) -> _Outcome:
    """Remove ``share`` of the rows' emissions (and of their quantity, unless ``quantity`` is False)."""
    loc, mkt = state.scale(rows, quantity=1 - share if quantity else 1.0, location=1 - share,
                           market=1 - share)
    return _Outcome(rows, loc, mkt)


#: kg CO2e per unit of a line a measure brings in, by part: ``(scope label, location, market)``.
Parts = list[tuple[str, float, float]]


def _bring_in(state: LineState, outcome: _Outcome, measure: MeasureInput, *, activity: str, unit: str,
              quantity: float, per_unit: Callable[[], Parts]) -> None:
    """Add ``quantity`` of ``activity`` at ``per_unit()`` kg (a part per scope label) to the state and the
    outcome (the factor is looked up only when there is something to add)."""
    if quantity <= 0:
        return
    for k, (label, location, market) in enumerate(per_unit()):
        kg_location, kg_market = quantity * location, quantity * market
        row = state.add(activity=activity, label=label, unit=unit, quantity=quantity,
                        kg_location=kg_location, kg_market=kg_market, first=k == 0)
        outcome.removed_location -= kg_location
        outcome.removed_market -= kg_market
        outcome.added.append(PlanLine(ref=f"measure:{measure.id}", activity=activity, scope_label=label,
                                      quantity=quantity, unit=unit, kg_co2e_location=kg_location,
                                      kg_co2e_market=kg_market))
        outcome.rows.append(np.array([row], dtype=np.intp))


def _factor_from_lines(state: LineState, keep: Callable[[str, str], bool], location: float | None,
                       market: float | None, field_key: str, measure: MeasureInput, what: Message, *,
                       label: str) -> Parts:
    """kg per unit by part (scope label, location, market): the parameters given, under ``label``; else
    what the lines ``keep`` picks have left per unit at this point of the sequence, label by label (a
    factor given for one view replaces that view's figures by its own under ``label``)."""
    if location is not None and market is not None:
        return [(label, location, market)]
    groups = state.groups(keep)
    q = state.sums(state.rows(groups))[0]
    if q <= 0:
        raise InputErrors([InputError(message(
            "the account has no %(what)s line to take its factor from: give the kg CO2e per unit",
            what=what), source=f"measure {measure.id}", field=field_key)])
    by_label: dict[str, list[float]] = {}
    for g in groups:
        _q, loc, mkt = state.sums(state.group_rows[g])
        kg = by_label.setdefault(state.group_label[g], [0.0, 0.0])
        kg[0] += loc / q
        kg[1] += mkt / q
    for column, given in enumerate((location, market)):
        if given is not None:
            for kg in by_label.values():
                kg[column] = 0.0
            by_label.setdefault(label, [0.0, 0.0])[column] = given
    return [(part, loc, mkt) for part, (loc, mkt) in by_label.items()]


def _electric_cars(state: LineState, measure: MeasureInput, p: dict[str, float | None]) -> _Outcome:
    share = _share(p, "share")
    km_lines = _select(state, measure, lambda a, _l: a.startswith("car.") and a.endswith(".km")
                       and a.split(".")[-2] in FOSSIL_CARS)
    litre_lines = _select(state, measure, lambda a, _l: a.startswith("car.") and a.endswith(".litres"))
    km_per_litre = 100 / (p["litres_per_100_km"] or 1.0)
    km = share * (state.sums(km_lines)[0] + state.sums(litre_lines)[0] * km_per_litre)
    outcome = _cut(state, km_lines + litre_lines, share)
    _bring_in(state, outcome, measure, activity="electricity.no", unit="kWh",
              quantity=km * (p["kwh_per_km"] or 0.0), per_unit=lambda: _factor_from_lines(
                  state, _starts("electricity.no"), p["kg_per_kwh_location"], p["kg_per_kwh_market"],
                  "kg_per_kwh_location", measure, message("Norwegian electricity"), label="scope_2"))
    return outcome


def _guarantees_of_origin(state: LineState, measure: MeasureInput, p: dict[str, float | None]) -> _Outcome:
    rows = _select(state, measure, lambda a, label: a.startswith("electricity.") and label == "scope_2")
    loc, mkt = state.scale(rows, quantity=1.0, location=1.0, market=1 - _share(p, "share"))
    return _Outcome(rows, loc, mkt)


FLIGHT_BANDS = (("domestic_pct", "flight.domestic"), ("short_haul_pct", "flight.short_haul"),
                ("long_haul_pct", "flight.long_haul"), ("international_pct", "flight.international"))


def _fewer_flights(state: LineState, measure: MeasureInput, p: dict[str, float | None]) -> _Outcome:
    outcome = _Outcome([])
    for key, prefix in FLIGHT_BANDS:
        part = _cut(state, _select(state, measure, _starts(prefix)), _share(p, key))
        if _share(p, key):
            outcome.rows += part.rows
        outcome.removed_location += part.removed_location
        outcome.removed_market += part.removed_market
    return outcome


def _rail_for_flights(state: LineState, measure: MeasureInput, p: dict[str, float | None]) -> _Outcome:
    rows = _select(state, measure, _starts("flight.domestic"))
    share = _share(p, "share")
    passenger_km = state.sums(rows)[0] * share * (p["rail_km_per_flight_km"] or 1.0)
    outcome = _cut(state, rows, share)
    given = p["rail_kg_per_passenger_km"]
    _bring_in(state, outcome, measure, activity="travel.rail.national", unit="passenger.km",
              quantity=passenger_km, per_unit=lambda: _factor_from_lines(
                  state, _starts("travel.rail.national"), given, given, "rail_kg_per_passenger_km", measure,
                  message("national rail"), label="scope_3.6"))
    return outcome


def _video_meetings(state: LineState, measure: MeasureInput, p: dict[str, float | None]) -> _Outcome:
    return _cut(state, _select(state, measure, _starts("flight.", "hotel.", "travel.", "spend.travel")),
                _share(p, "pct"))


def _homeworking(state: LineState, measure: MeasureInput, p: dict[str, float | None]) -> _Outcome:
    extra, office = p["extra_home_days"] or 0.0, p["office_days_now"] or 5.0
    outcome = _cut(state, _select(state, measure, _starts("commute.")), extra / office)
    hours = (p["fte"] or 0.0) * extra * (p["working_weeks"] or 0.0) * (p["hours_per_day"] or 0.0)
    given = p["kg_per_fte_hour"]
    _bring_in(state, outcome, measure, activity="homeworking", unit="fte_hour",
              quantity=hours, per_unit=lambda: _factor_from_lines(
                  state, _starts("homeworking"), given, given, "kg_per_fte_hour", measure,
                  message("homeworking"), label="scope_3.7"))
    return outcome


def _check_homeworking(p: dict[str, float | None]) -> list[tuple[str, Message]]:
    if (p["extra_home_days"] or 0.0) > (p["office_days_now"] or 0.0):
        return [("extra_home_days", message("more days at home than days at the office now"))]
    return []


def _waste_sorting(state: LineState, measure: MeasureInput, p: dict[str, float | None]) -> _Outcome:
    rows = _select(state, measure, _starts("waste.mixed."))
    share = _share(p, "share")
    tonnes = state.sums(rows)[0] * share
    outcome = _cut(state, rows, share)
    given = p["sorted_kg_per_tonne"]
    _bring_in(state, outcome, measure, activity="waste.sorted", unit="tonnes",
              quantity=tonnes, per_unit=lambda: _factor_from_lines(
                  state, lambda a, _l: a.startswith("waste.") and ".recycling" in a, given, given,
                  "sorted_kg_per_tonne", measure, message("recycled waste"), label="scope_3.5"))
    return outcome


def _energy_efficiency(state: LineState, measure: MeasureInput, p: dict[str, float | None]) -> _Outcome:
    rows = _select(state, measure, _starts("electricity.", "district_heating."))
    return _cut(state, rows, _share(p, "pct"))


def _less_floor_area(state: LineState, measure: MeasureInput, p: dict[str, float | None]) -> _Outcome:
    premises = ("electricity.", "district_heating.", "spend.rent_premises", "spend.premises_mixed")
    leased = {a for a, label in zip(state.group_activity, state.group_label, strict=True)
              if label == "scope_3.8"}
    rows = _select(state, measure, lambda a, _l: a.startswith(premises) or a in leased)  # every part
    return _cut(state, rows, _share(p, "pct"))


def _canteen_menu(state: LineState, measure: MeasureInput, p: dict[str, float | None]) -> _Outcome:
    rows = _select(state, measure, _starts("goods.food_and_drink", "spend.food_entertainment"))
    return _cut(state, rows, _share(p, "pct"), quantity=False)


def _supplier_engagement(state: LineState, measure: MeasureInput, p: dict[str, float | None]) -> _Outcome:
    groups = state.groups(lambda a, _l: a.startswith("spend.") and not a.startswith("spend.electricity_heat"))
    by_activity: dict[str, list[int]] = {}
    for g in groups:
        by_activity.setdefault(state.group_activity[g], []).append(g)
    ranked = sorted(by_activity, key=lambda a: (-state.sums(state.rows(by_activity[a]))[2], a))
    chosen = [g for a in ranked[:int(p["categories"] or 0)] for g in by_activity[a]]
    return _cut(state, state.rows(chosen, measure.refs), _share(p, "pct"), quantity=False)


def _generic(state: LineState, measure: MeasureInput, p: dict[str, float | None]) -> _Outcome:
    prefixes, labels = tuple(measure.activity_prefixes), set(measure.scope_labels)
    if not prefixes and not labels:
        rows = state.rows(range(len(state.group_activity)), measure.refs)  # refs alone choose the lines
    else:
        rows = _select(state, measure, lambda a, label: (bool(prefixes) and a.startswith(prefixes))
                       or label in labels or (label == "scope_2" and bool(labels & {"scope_2_location",
                                                                                     "scope_2_market"})))
    return _cut(state, rows, _share(p, "pct"))


_FACTOR = "kg CO2e"
MEASURE_KINDS: dict[str, MeasureKind] = {kind.key: kind for kind in (
    MeasureKind("electric_cars", message("Company cars to electric"),
                message("fossil company cars (per km or per litre): scope 1 fuel out, "
                        "scope 2 electricity in"),
                (_pct("share", message("Share of the fossil car driving moved to electric cars"), 100.0),
                 Param("kwh_per_km", message("Electricity use of the electric cars"), "kWh/km",
                       0.05, 0.5, 0.2),
                 Param("litres_per_100_km", message("Fuel use of the cars replaced (for lines in litres)"),
                       "l/100 km", 2.0, 25.0, 7.0),
                 Param("kg_per_kwh_location", message("Electricity factor, location-based"),
                       f"{_FACTOR}/kWh", 0.0, 2.0, optional=True),
                 Param("kg_per_kwh_market", message("Electricity factor, market-based"),
                       f"{_FACTOR}/kWh", 0.0, 2.0, optional=True)),
                _electric_cars),
    MeasureKind("guarantees_of_origin", message("Guarantees of origin for electricity"),
                message("electricity (scope 2), market-based figure only"),
                (_pct("share", message("Share of the electricity covered"), 100.0),),
                _guarantees_of_origin,
                note=message("guarantees of origin change the market-based figure only; the location-based "
                             "figure is unchanged")),
    MeasureKind("fewer_flights", message("Fewer flights"), message("flights, by haul"),
                (_pct("domestic_pct", message("Fewer domestic flights"), 0.0),
                 _pct("short_haul_pct", message("Fewer short-haul flights"), 0.0),
                 _pct("long_haul_pct", message("Fewer long-haul flights"), 0.0),
                 _pct("international_pct", message("Fewer international flights (non-UK average)"), 0.0)),
                _fewer_flights),
    MeasureKind("rail_instead_of_flights", message("Rail instead of domestic flights"),
                message("domestic flights, under 482.8 km (name the routes to narrow it)"),
                (_pct("share", message("Share of the flights replaced by rail"), 100.0),
                 Param("rail_km_per_flight_km", message("Rail distance per flight distance"), "km/km",
                       0.5, 3.0, 1.0),
                 Param("rail_kg_per_passenger_km", message("Rail factor"), f"{_FACTOR}/passenger.km",
                       0.0, 0.5, optional=True)),
                _rail_for_flights),
    MeasureKind("video_meetings", message("Video meetings instead of trips"),
                message("business travel: flights, hotels, ground travel"),
                (_pct("pct", message("Share of the trips replaced")),), _video_meetings),
    MeasureKind("homeworking_policy", message("Homeworking policy"),
                message("employee commuting down, homeworking up"),
                (Param("extra_home_days", message("Extra days at home per week"), "days", 0.5, 5.0),
                 Param("office_days_now", message("Days at the office per week now"), "days", 1.0, 5.0, 5.0),
                 Param("fte", message("Employees (FTE) under the policy"), "FTE", 1.0, 100_000.0),
                 Param("working_weeks", message("Working weeks a year"), "weeks", 20.0, 52.0, 46.0),
                 Param("hours_per_day", message("Hours per working day"), "h", 1.0, 12.0, 7.5),
                 Param("kg_per_fte_hour", message("Homeworking factor"), f"{_FACTOR}/FTE-hour", 0.0, 2.0,
                       optional=True)),
                _homeworking, check=_check_homeworking),
    MeasureKind("waste_sorting", message("Waste sorting"),
                message("residual (mixed) waste into sorted fractions"),
                (_pct("share", message("Share of the residual waste sorted")),
                 Param("sorted_kg_per_tonne", message("Factor of the sorted fractions"), f"{_FACTOR}/t",
                       0.0, 5000.0, optional=True)),
                _waste_sorting),
    MeasureKind("energy_efficiency", message("Energy efficiency"),
                message("electricity and district heating (kWh)"),
                (_pct("pct", message("Less energy used")),), _energy_efficiency),
    MeasureKind("less_floor_area", message("Less floor area"),
                message("the premises' energy, rent and leased assets"),
                (_pct("pct", message("Less floor area")),), _less_floor_area),
    MeasureKind("canteen_menu", message("Canteen menu"), message("food and canteen purchases"),
                (_pct("pct", message("Lower emissions per meal")),), _canteen_menu),
    MeasureKind("supplier_engagement", message("Supplier engagement"),
                message("the largest spend-based categories: a supplier-specific factor instead"),
                (Param("categories", message("Number of the largest spend categories"), "categories",
                       1.0, 30.0, 3.0, integer=True),
                 _pct("pct", message("Supplier-specific factor lower than the spend-based one by"))),
                _supplier_engagement),
    MeasureKind("generic", message("Other measure (a cut on chosen lines)"),
                message("the lines, activities or categories chosen"),
                (_pct("pct", message("Cut")),), _generic),
)}
