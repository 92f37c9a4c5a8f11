"""The Miljøfyrtårn report as labelled tables in the portal's order, in the active language.

One layout for the three ways the report is shown — the page, the XLSX and the PDF — so they list the
same rows in the same order (:data:`klimabok.core.reports.miljofyrtarn.SECTIONS`), and a user typing
the figures into the portal finds them where the portal asks. Not a read model (it loads nothing) and
not a view: it names the core's keys in words and leaves formatting numbers to each output
(:class:`Figure` carries its decimals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from klimabok.core.reports.miljofyrtarn import MiljofyrtarnReport, PlanItem
from klimabok.inventory.forms.entry_other import WASTE_FRACTIONS
from klimabok.ledger.models import category_label
from klimabok.plans.models import Status


@dataclass(frozen=True)
class Figure:
    """A number and how many decimals it is shown with."""

    value: Decimal
    decimals: int = 0


Cell = str | int | date | Figure | None


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    #: rows shown as a total (bold)
    total_rows: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Section:
    key: str
    number: int
    title: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    empty: str = ""


def _f(value: Decimal | int | None, decimals: int = 0) -> Figure | None:
    return None if value is None else Figure(Decimal(value), decimals)


def carrier_names() -> dict[str, str]:
    return {
        "electricity": _("Electricity"),
        "district_heating": _("District heating"),
        "fuel": _("Fuels for heating (oil, gas, bio)"),
    }


def mode_names() -> dict[str, str]:
    return {
        "company_electric": _("Company cars and vans, electric"),
        "company_hybrid": _("Company cars and vans, hybrid and plug-in hybrid"),
        "company_petrol": _("Company cars and vans, petrol"),
        "company_diesel": _("Company cars and vans, diesel"),
        "company_other": _("Company cars and vans, other or unknown fuel"),
        "private_car": _("Private cars on business (mileage allowance)"),
        "taxi": _("Taxi"),
        "bus": _("Bus and coach"),
        "rail": _("Rail, metro and tram"),
        "ferry": _("Ferry"),
        "motorbike": _("Motorbike"),
    }


def haul_names() -> dict[str, str]:
    """DESNZ's distance bands, as the flight form chooses them (klimabok.inventory.flights.haul_for): a flight
    between two airports outside the UK is "domestic" under 483 km (Oslo–Stockholm too), not by country."""
    return {
        "domestic": _("Short flights (under 483 km)"),
        "short_haul": _("Medium flights (483–3,700 km)"),
        "long_haul": _("Long flights (over 3,700 km)"),
        "international": _("International flights, unspecified"),
    }


def _indicator_table(rows: list[tuple[Cell, ...]], total_rows: frozenset[int] = frozenset()) -> Table:
    return Table((_("Indicator"), _("Value"), _("Unit")), rows, total_rows)


def _measure_rows(items: tuple[PlanItem, ...], with_status: bool) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for item in items:
        status = (str(Status(item.status).label),) if with_status else ()
        rows.append((item.title, *status, item.owner or "—", item.deadline))
    return rows


def temperature_method() -> str:
    return _(
        "Temperature correction: only the heating-dependent share of the energy depends on the weather, "
        "so corrected energy = energy × (1 − share) + energy × share × degree days in a normal year / "
        "degree days in the year. A cold year is corrected down, a mild one up."
    )


def sections(report: MiljofyrtarnReport) -> list[Section]:
    """The report's sections in the portal's order."""
    unit_fte, unit_m2, kwh = _("FTE"), "m²", "kWh"
    out: list[Section] = []

    out.append(
        Section(
            "key_figures",
            1,
            _("Key figures"),
            [
                _indicator_table(
                    [
                        (_("Full-time equivalents"), _f(report.fte, 1), unit_fte),
                        (_("Floor area"), _f(report.floor_area_m2), unit_m2),
                    ]
                )
            ],
        )
    )

    out.append(
        Section(
            "working_environment",
            2,
            _("Working environment"),
            [_indicator_table([(_("Sick leave"), _f(report.sick_leave_percent, 1), "%")])],
            notes=[] if report.sick_leave_percent is not None else [_("Sick leave is not entered yet.")],
        )
    )

    purchasing = report.purchasing
    rows: list[tuple[Cell, ...]] = [
        (
            category_label(r.category) if r.category != "own" else _("Own spend factor"),
            _f(r.net_nok),
            _f(r.counted_nok),
        )
        for r in purchasing.rows
    ]
    rows.append(
        (_("Total"), _f(purchasing.total_nok), _f(sum((r.counted_nok for r in purchasing.rows), Decimal(0))))
    )
    out.append(
        Section(
            "purchasing",
            3,
            _("Purchasing"),
            [
                Table(
                    (
                        _("Spend category (accounting ledger)"),
                        _("NOK"),
                        _("of which estimated spend-based (NOK)"),
                    ),
                    rows,
                    frozenset({len(rows) - 1}),
                )
            ]
            if purchasing.rows
            else [],
            notes=[
                _(
                    "Net spend per category from the year's accounting ledger. Spend that activity data "
                    "measures (electricity, travel, fuel) is counted from the activity data in the climate "
                    "account, not from the spend."
                )
            ],
            empty=_("No accounting ledger is imported for the year."),
        )
    )

    energy = report.energy
    names = carrier_names()
    rows = [(names[c], _f(v), kwh) for c, v in energy.kwh_by_carrier.items()]
    rows.append((_("Total energy"), _f(energy.total_kwh), kwh))
    totals = {len(rows) - 1}
    rows.append((_("Floor area"), _f(energy.floor_area_m2), unit_m2))
    rows.append((_("Energy per m²"), _f(energy.kwh_per_m2, 1), "kWh/m²"))
    notes = []
    correction = energy.correction
    if correction is not None:
        rows += [
            (_("Heating-dependent share"), _f(correction.heating_share_percent, 1), "%"),
            (_("Degree days in a normal year"), _f(correction.normal_degree_days), _("degree days")),
            (_("Degree days in the year"), _f(correction.actual_degree_days), _("degree days")),
            (_("Temperature-corrected energy"), _f(correction.corrected_kwh), kwh),
            (_("Temperature-corrected energy per m²"), _f(correction.corrected_kwh_per_m2, 1), "kWh/m²"),
        ]
        totals.add(len(rows) - 2)
        notes.append(temperature_method())
    else:
        notes.append(
            _(
                "Not temperature-corrected: enter the degree days and the heating-dependent share on the "
                "report's form."
            )
        )
    for other in energy.other_units:
        notes.append(
            _("%(activity)s: %(quantity)s %(unit)s is not counted in kWh (no calorific value).")
            % {"activity": other.key, "quantity": f"{other.quantity.normalize():f}", "unit": other.unit}
        )
    out.append(Section("energy", 4, _("Energy"), [_indicator_table(rows, frozenset(totals))], notes=notes))

    transport = report.transport
    tables = []
    if transport.rows:
        modes = mode_names()
        tables.append(
            Table(
                (_("Mode"), _("km"), _("Litres of fuel")),
                [
                    (modes[r.mode], _f(r.km) if r.km else None, _f(r.litres) if r.litres else None)
                    for r in transport.rows
                ],
            )
        )
    if transport.flights:
        hauls = haul_names()
        tables.append(
            Table(
                (_("Flights"), _("Flights flown"), _("Passenger-km")),
                [(hauls.get(f.haul, f.haul), _f(f.flights), _f(f.passenger_km)) for f in transport.flights],
            )
        )
    out.append(
        Section(
            "transport",
            5,
            _("Transport"),
            tables,
            notes=[
                _(
                    "Taxi, bus, rail and ferry in passenger-km; cars in km driven. Flights flown count "
                    "each one-way flight (a return trip is two). Commuting is not business "
                    "transport and is not included."
                )
            ],
            empty=_("No transport recorded for the year."),
        )
    )

    waste = report.waste
    fractions = dict(WASTE_FRACTIONS)
    rows = [(str(fractions.get(k, k)), _f(kg), "kg") for k, kg in waste.kg_by_fraction.items()]
    rows += [
        (_("Total waste"), _f(waste.total_kg), "kg"),
        (_("Sorted waste"), _f(waste.sorted_kg), "kg"),
        (_("Sorting share"), _f(waste.sorting_share_percent, 1), "%"),
    ]
    out.append(
        Section(
            "waste",
            6,
            _("Waste"),
            [_indicator_table(rows, frozenset({len(rows) - 3, len(rows) - 1}))]
            if waste.kg_by_fraction
            else [],
            notes=[
                _(
                    "Sorting share = sorted waste / total waste; sorted is every fraction but mixed "
                    "waste (restavfall)."
                )
            ],
            empty=_("No waste recorded for the year."),
        )
    )

    out.append(
        Section(
            "own_indicators",
            7,
            _("Own indicators"),
            [
                _indicator_table(
                    [(i.name, Figure(i.value, _decimals(i.value)), i.unit) for i in report.own_indicators]
                )
            ]
            if report.own_indicators
            else [],
            empty=_("No own indicators entered."),
        )
    )

    measure_columns = (_("Measure"), _("Owner"), _("Deadline"))
    out.append(
        Section(
            "measures_done",
            8,
            pgettext("report section", "Measures done in the year"),
            [Table(measure_columns, _measure_rows(report.measures_done, False))]
            if report.measures_done
            else [],
            empty=_("No measure of the plan was done in the year."),
        )
    )
    out.append(
        Section(
            "action_plan",
            9,
            pgettext("Miljøfyrtårn report section", "Action plan"),
            [
                Table(
                    (_("Measure"), _("Status"), _("Owner"), _("Deadline")),
                    _measure_rows(report.action_plan, True),
                )
            ]
            if report.action_plan
            else [],
            notes=[_("Measures planned or in progress in the plan (ideas are not yet part of it).")],
            empty=_("No measure is planned or in progress."),
        )
    )
    return out


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def cell_text(cell: Cell) -> str:
    """A cell as text in the active language: grouped numbers with their decimals, short dates, "—"."""
    if cell is None:
        return "—"
    if isinstance(cell, Figure):
        return formats.number_format(
            round(cell.value, cell.decimals), cell.decimals, use_l10n=True, force_grouping=True
        )
    if isinstance(cell, date):
        return formats.date_format(cell, "SHORT_DATE_FORMAT")
    return str(cell)
