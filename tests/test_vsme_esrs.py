"""VSME B3/C3 and ESRS E1-4 … E1-7 from a hand-made closed year, every figure worked out by hand.

The year 2025 of "Nordlys Kundesenter AS" (org. no. 923609016):
- electricity 120 000 kWh, 50 000 kWh of it covered by guarantees of origin → 50 MWh renewable, 70 MWh not;
- district heating 30 000 kWh → 30 MWh (in the total only); heating oil entered in litres → not converted;
- a biogas boiler 10 000 kWh (renewable fuel) and a gas boiler 5 000 kWh (fossil) → fuels 10 + 5 MWh;
- energy total 120 + 30 + 15 = 165 MWh;
- scope 1 = 12.5 t, scope 2 location 1.8 t, market 28.0 t, scope 3 = 100 t (cat. 1: 60, cat. 6: 40);
- revenue 50 000 000 NOK;
- targets: "S1+2" scope 1+2 market-based, 2024 → 2030, base 40 t, −42 % → 23.2 t; "S3" scope 3 2024 → 2030,
  base 150 t, −25 % → 112.5 t; "FTE" an intensity target (not in C3).
"""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from klimabok.core.claims import Audience, ClaimsInput, Prerequisites, RetiredCredit, esrs_e1_7
from klimabok.core.credits.registries import CreditKind
from klimabok.core.report.esrs import assemble, esrs_json, sink
from klimabok.core.report.vsme import (
    EnergyUse,
    TargetFacts,
    YearFacts,
    datapoints,
    energy,
    fill_template,
    template_json,
)
from klimabok.core.scope3_screening import CategoryScreening, Relevance

EXCERPT = Path(__file__).parent / "data" / "vsme" / "vsme-template-excerpt.xlsx"
D = Decimal


def _facts(*, closed: bool = True) -> YearFacts:
    uses = [
        EnergyUse("electricity.no", D(120_000), D(50_000)),
        EnergyUse("district_heating.no", D(30_000)),
        EnergyUse("fuel.heating_oil.litres", None),
        EnergyUse("fuel.biogas.kwh", D(10_000)),
        EnergyUse("fuel.natural_gas.kwh", D(5_000)),
        EnergyUse("car.diesel.km", D(999)),  # transport, not energy
    ]
    return YearFacts(
        organisation="Nordlys Kundesenter AS",
        org_number="923609016",
        year=2025,
        closed=closed,
        scope_1=D("12.5"),
        scope_2_location=D("1.8"),
        scope_2_market=D("28.0"),
        scope_3=D(100),
        energy=energy(uses),
        revenue=D(50_000_000),
        scope_3_by_category={1: D(60), 6: D(40)},
        biogenic_co2_t=D("1.9"),
        targets=(
            TargetFacts("S3", "scope_3", "market", "absolute", 2024, 2030, D(150), D(25), (1, 6)),
            TargetFacts("S1+2", "scope_1_2", "market", "absolute", 2024, 2030, D(40), D(42)),
            TargetFacts("FTE", "scope_1_2", "location", "per_fte", 2024, 2028, D(2), D(30)),
        ),
        main_actions=("Guarantees of origin for all electricity", "Electric company cars"),
    )


def test_energy_by_carrier_and_renewable_share() -> None:
    e = _facts().energy
    assert (e.electricity_renewable, e.electricity_non_renewable) == (D(50), D(70))
    assert (e.fuels_renewable, e.fuels_non_renewable, e.heat) == (D(10), D(5), D(30))
    assert e.total == D(165)  # 120 + 15 + 30
    assert e.not_converted == ("fuel.heating_oil.litres",)


def test_vsme_b3_and_c3_known_answers() -> None:
    report = datapoints(_facts())
    p = report.datapoints
    assert p["TotalEnergyConsumption"] == D(165)
    assert p["EnergyConsumptionFromElectricity_RenewableEnergyMember"] == D(50)
    assert p["EnergyConsumptionFromFuels_NonRenewableEnergyMember"] == D(5)
    assert p["GrossScope1GreenhouseGasEmissions"] == D("12.5")
    assert p["TotalGrossLocationBasedScope1AndScope2GHGEmissions"] == D("14.3")  # 12.5 + 1.8
    assert p["TotalGrossMarketBasedGHGEmissions_CurrentlyStatedMember"] == D("140.5")  # 12.5 + 28 + 100
    # 14.3 t / 50 000 000 NOK = 2.86e-7 t per NOK
    assert p["Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased"] == D("2.86E-7")
    # C3: the first absolute target (2030, "S1+2" before "S3") sets 2024 → 2030; both fill their cells
    assert p["GreenhouseGasEmissionReductionTargetBaseYear"] == 2024
    assert p["GreenhouseGasEmissionReductionTargetYear"] == 2030
    assert p["TotalGrossMarketBasedScope1AndScope2GHGEmissions_BaselineYearMember"] == D(40)
    assert p["TotalGrossMarketBasedScope1AndScope2GHGEmissions_TargetYearMember"] == D("23.2")  # 40 × 0.58
    assert p["GrossScope3GreenhouseGasEmissions_TargetYearMember"] == D("112.5")  # 150 × 0.75
    assert report.targets_not_in_c3 == ("FTE",)
    actions = p["DisclosureOfListOfMainActionsTheEntitySeeksInOrderToAchieveItsTargets"]
    assert actions == "- Guarantees of origin for all electricity\n- Electric company cars"
    assert report.draft is False


def test_vsme_json_is_keyed_by_the_taxonomy_elements_and_says_draft() -> None:
    data = template_json(datapoints(_facts(closed=False)))
    json.dumps(data)
    assert data["draft"] is True
    assert data["entity"]["org_number"] == "923609016"
    assert data["entity"]["identifier_scheme"] == ""  # an org number is not LEI, DUNS, EU ID or PermID
    assert data["datapoints"]["GrossMarketBasedScope2GreenhouseGasEmissions"] == 28.0
    # 140.5 t / 50 000 000 NOK
    assert data["datapoints"]["TotalMarketBasedGreenhouseGasEmissionsIntensityValue"] == 2.81e-06
    assert data["scope_3_by_category"] == {"1": 60.0, "6": 40.0}
    assert not any(key.startswith("Scope3Category") for key in data["datapoints"])


def test_every_vsme_datapoint_is_a_named_range_of_the_template() -> None:
    names = set(load_workbook(EXCERPT).defined_names)
    assert set(datapoints(_facts()).datapoints) <= names


def test_fill_template_writes_the_named_cells() -> None:
    report = datapoints(_facts(closed=False))
    data = fill_template(EXCERPT, report, draft_text="DRAFT", org_number_label="Org.nr.")
    workbook = load_workbook(io.BytesIO(data))
    env = workbook["Environmental Disclosures"]
    assert env["G5"].value == 165  # TotalEnergyConsumption
    assert env["D22"].value == 12.5  # GrossScope1GreenhouseGasEmissions
    assert env["G21"].value == 2024 and env["J21"].value == 2030
    assert env["J26"].value == pytest.approx(23.2)
    assert env["C1"].value == "DRAFT"
    # the scope 3 table: category 1 on row 30, category 6 on row 35; the others stay empty
    assert (env["D30"].value, env["D35"].value, env["D31"].value) == (60, 40, None)
    assert env["G29"].value is True  # "disclosing scope 3": the switch the table's sum depends on
    general = workbook["General Information"]
    assert general["D3"].value == "Nordlys Kundesenter AS"
    assert general["H4"].value == "Org.nr.: 923609016"
    assert (general["D10"].value, general["D11"].value, general["D12"].value) == (2025, 12, 31)


def test_fill_template_refuses_another_workbook(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    Workbook().save(path)
    with pytest.raises(ValueError, match="not a VSME template"):
        fill_template(path, datapoints(_facts()))


def _credit(tonnes: int, kind: CreditKind, project_type: str, *, eu: bool = False) -> RetiredCredit:
    return RetiredCredit(D(tonnes), 2025, date(2025, 11, 3), "Verra VCS" if not eu else "Puro",
                         project_type=project_type, kind=kind, eu_project=eu)


def test_esrs_e1_known_answers() -> None:
    credits = (
        _credit(60, CreditKind.REMOVAL, "Afforestation"),
        _credit(20, CreditKind.REMOVAL, "Direct air capture", eu=True),
        _credit(20, CreditKind.REDUCTION, "Cookstoves"),
    )
    claims = ClaimsInput("Nordlys Kundesenter AS", 2025, None, credits, Prerequisites(), Audience.BUSINESS,
                         date(2026, 2, 1))
    screening = (CategoryScreening(1, Relevance.RELEVANT), CategoryScreening(5, Relevance.RELEVANT),
                 CategoryScreening(7, Relevance.NOT_RELEVANT))
    report = assemble(_facts(), screening, esrs_e1_7(claims), claims.credits_cancelled_in_year)
    by_key = {(p.key, p.detail): p for p in report.datapoints}

    def value(key: str, detail: str = "") -> object:
        return by_key[(key, detail)].value

    assert value("energy_total") == D(165)
    assert value("energy_renewable") == D(60)  # 50 MWh electricity with GoO + 10 MWh biogas
    assert by_key[("gross_scope_2_location", "")].reference == "E1 §44(b), §49(a)"
    # §51: 3.1 relevant, 3.5 relevant (0 t), 3.6 has tonnes and is not screened; 3.7 not relevant
    assert value("gross_scope_3_category_1", "3.1 (relevant)") == D(60)
    assert value("gross_scope_3_category_5", "3.5 (relevant)") == D(0)
    assert value("gross_scope_3_category_6", "3.6 (not_screened)") == D(40)
    assert value("total_location") == D("114.3")  # 12.5 + 1.8 + 100
    assert value("intensity_market") == D("140.5") / D(50_000_000)
    assert value("biogenic_co2") == D("1.9")
    assert value("credits_cancelled") == D(100)
    assert value("credits_removals_share") == D(80)
    assert (value("credits_removals_biogenic"), value("credits_removals_technological")) == (D(60), D(20))
    assert value("credits_eu_share") == D(20) and value("credits_outside_eu_share") == D(80)
    assert value("credits_standard_share", "Verra VCS") == D(80)
    assert value("target_value", "S1+2") == D("23.2")
    assert value("target_coverage", "S1+2") == "scope_1_2 (market-based scope 2)"
    data = esrs_json(report)
    json.dumps(data)
    assert data["draft"] is False


def test_sink_of_a_removal() -> None:
    assert sink(_credit(1, CreditKind.REMOVAL, "ARR")) == "biogenic"
    assert sink(_credit(1, CreditKind.REMOVAL, "Enhanced weathering")) == "technological"
    assert sink(_credit(1, CreditKind.REMOVAL, "")) == "not_recorded"
