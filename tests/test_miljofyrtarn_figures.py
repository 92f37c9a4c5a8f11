"""The Miljøfyrtårn report's figures from hand-made data (klimabok.core.reports.miljofyrtarn): energy per m²,
the temperature correction, the sorting share, transport by mode, flights by haul, purchasing, measures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from klimabok.core.reports.miljofyrtarn import (
    SECTIONS,
    Activity,
    EnteredFigures,
    MiljofyrtarnReport,
    OwnIndicator,
    PlanItem,
    ReportInput,
    Spend,
    assemble,
    temperature_corrected,
    transport_mode,
)

ACTIVITIES = [
    Activity("electricity.no.goo", D("600000"), "kWh"),
    Activity("electricity.no", D("0.2"), "GWh"),  # 200,000 kWh
    Activity("district_heating.delivered.no_default", D("200"), "MWh"),  # 200,000 kWh
    Activity("fuel.burning_oil", D("1000"), "litres"),  # listed in litres, not in kWh
    Activity("waste.mixed.incineration", D("3"), "tonne"),
    Activity("waste.paper.recycling", D("1500"), "kg"),
    Activity("waste.food.anaerobic_digestion", D("1.2"), "tonne"),
    Activity("waste.glass.recycling", D("300"), "kg"),
    Activity("car.medium.bev.km", D("20000"), "km"),
    Activity("car.medium.diesel.km", D("5000"), "km"),
    Activity("car.diesel.litres", D("400"), "litres"),
    Activity("travel.car.average.petrol.km", D("1200"), "km"),
    Activity("travel.taxi", D("800"), "passenger.km"),
    Activity("travel.rail.national", D("3000"), "passenger_km"),
    Activity("flight.domestic.economy", D("18400"), "passenger_km", flights=40),
    Activity("flight.short_haul.economy", D("9000"), "passenger_km", flights=10),
    Activity("flight.short_haul.average", D("1000"), "passenger_km"),  # uploaded: flights unknown
    Activity("commute.bus.local", D("50000"), "passenger_km"),  # commuting: not in transport
    Activity("hotel.no", D("10"), "room_night"),
]


def _report(**entered: Any) -> MiljofyrtarnReport:
    return assemble(
        ReportInput(
            year=2025,
            fte=D("40"),
            floor_area_m2=D("5000"),
            activities=ACTIVITIES,
            entered=EnteredFigures(**entered),
        )
    )


def test_energy_is_kwh_by_carrier_and_per_m2() -> None:
    energy = _report().energy
    # electricity 600,000 + 0.2 GWh = 800,000 kWh; district heating 200 MWh = 200,000 kWh; oil in litres apart
    assert energy.kwh_by_carrier == {"electricity": D(800000), "district_heating": D(200000), "fuel": D(0)}
    assert energy.total_kwh == D(1000000)
    assert energy.kwh_per_m2 == D(200)  # 1,000,000 kWh / 5,000 m²
    assert [(o.key, o.quantity, o.unit) for o in energy.other_units] == [
        ("fuel.burning_oil", D(1000), "litres")
    ]
    assert energy.correction is None


def test_temperature_correction_scales_only_the_heating_share_by_normal_over_actual_degree_days() -> None:
    energy = _report(
        normal_degree_days=D("3900"), actual_degree_days=D("3250"), heating_share_percent=D("60")
    ).energy
    correction = energy.correction
    assert correction is not None
    # heating 60 % of 1,000,000 = 600,000 kWh; × 3,900 / 3,250 = × 1.2 → 720,000; the other 400,000 unchanged
    assert correction.heating_kwh == D(600000)
    assert correction.corrected_heating_kwh == D(720000)
    assert correction.corrected_kwh == D(1120000)
    assert correction.corrected_kwh_per_m2 == D(224)  # 1,120,000 / 5,000
    # a cold year is corrected down: 100 kWh, half heating, 4,000 actual against a 3,000 normal: 50 + 37.5
    assert temperature_corrected(D(100), D(50), D(3000), D(4000))[2] == D("87.5")


def test_waste_by_fraction_and_the_sorting_share() -> None:
    waste = _report().waste
    assert waste.kg_by_fraction == {"mixed": D(3000), "paper": D(1500), "food": D(1200), "glass": D(300)}
    assert waste.total_kg == D(6000)
    assert waste.sorted_kg == D(3000)  # everything but mixed waste: 1,500 + 1,200 + 300
    assert waste.sorting_share_percent == D(50)  # 3,000 / 6,000


def test_transport_by_mode_and_flights_by_haul() -> None:
    transport = _report().transport
    assert [(r.mode, r.km, r.litres) for r in transport.rows] == [
        ("company_electric", D(20000), D(0)),
        ("company_diesel", D(5000), D(400)),
        ("private_car", D(1200), D(0)),
        ("taxi", D(800), D(0)),
        ("rail", D(3000), D(0)),
    ]
    # short haul: 10 flights known + an uploaded line without a count → the count is unknown, pkm add up
    assert [(f.haul, f.flights, f.passenger_km) for f in transport.flights] == [
        ("domestic", 40, D(18400)),
        ("short_haul", None, D(10000)),
    ]


@pytest.mark.parametrize(
    ("key", "mode"),
    [
        ("car.small.phev.km", "company_hybrid"),
        ("van.class_2.diesel.km", "company_diesel"),
        ("car.petrol.litres", "company_petrol"),
        ("car.large.lpg.km", "company_other"),
        ("travel.bus.coach", "bus"),
        ("travel.ferry.foot", "ferry"),
        ("commute.car.medium.bev.km", None),
        ("hotel.no", None),
    ],
)
def test_transport_modes_by_key(key: str, mode: str | None) -> None:
    assert transport_mode(key) == mode


def test_purchasing_adds_spend_by_category_and_what_the_account_counts_spend_based() -> None:
    report = assemble(
        ReportInput(
            year=2025,
            fte=None,
            floor_area_m2=None,
            spend=[
                Spend("it_services", D("120000"), True),
                Spend("it_services", D("30000.50"), True),
                Spend("air_travel", D("200000"), False),
                Spend("office_supplies", D("-5000"), True),
            ],
        )
    )
    purchasing = report.purchasing
    assert [(r.category, r.net_nok, r.counted_nok) for r in purchasing.rows] == [
        ("air_travel", D(200000), D(0)),
        ("it_services", D("150000.50"), D("150000.50")),
        ("office_supplies", D(-5000), D(-5000)),
    ]
    assert purchasing.total_nok == D("345000.50")
    assert report.energy.kwh_per_m2 is None  # no floor area: no per-m² figure, not a division by zero
    assert report.waste.sorting_share_percent is None


def test_measures_done_in_the_year_and_the_action_plan() -> None:
    measures = [
        PlanItem("Sortering", "done", "Carl", date(2025, 4, 30), 2025),
        PlanItem("LED", "done", "", None, 2025),  # no deadline: its start year
        PlanItem("Gammel", "done", "", date(2024, 6, 1), 2024),  # done in another year
        PlanItem("Elbiler", "in_progress", "Carl", date(2026, 6, 30), 2025),
        PlanItem("GoO", "planned", "Olga", date(2026, 1, 31), 2026),
        PlanItem("Uten frist", "planned", "", None, 2026),
        PlanItem("Idé", "idea", "", date(2025, 1, 1), 2026),
        PlanItem("Droppet", "dropped", "", None, 2026),
    ]
    report = assemble(
        ReportInput(
            year=2025,
            fte=None,
            floor_area_m2=None,
            measures=measures,
            entered=EnteredFigures(
                sick_leave_percent=D("4.5"), own_indicators=(OwnIndicator("Ark", "ark", D(10)),)
            ),
        )
    )
    assert [m.title for m in report.measures_done] == ["Sortering", "LED"]
    assert [m.title for m in report.action_plan] == ["GoO", "Elbiler", "Uten frist"]
    assert report.sick_leave_percent == D("4.5")
    assert report.own_indicators == (OwnIndicator("Ark", "ark", D(10)),)


def test_the_sections_follow_the_portal_order() -> None:
    assert SECTIONS == (
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
