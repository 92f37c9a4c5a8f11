"""Refrigerants under AR6: computed from their components' mass fractions, AR5 as DESNZ publishes.

Known answers: DESNZ 2025 ``Refrigerant & other`` rows (excerpt in ``tests/data/desnz``, ``ID`` cited),
the compositions of ``klimabok/data/factors/refrigerant-blends.csv`` (US EPA GHG Emission Factors Hub
2025, Table 12; ASHRAE Standard 34), and the AR6 GWPs of IPCC AR6 WG1 Table 7.SM.7 (HFC-32 771,
HFC-125 3,740, HFC-134a 1,530, HFC-143a 5,810).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import globalwarmingpotentials
import pytest
from hypothesis import given
from hypothesis import strategies as st

from klimabok.core.engine import AccountResult, ActivityLine, compute_account
from klimabok.core.factors.catalogue import Catalogue, default_catalogue
from klimabok.core.factors.desnz import load_desnz_flat_file
from klimabok.core.factors.model import FactorDataset
from klimabok.core.factors.refrigerants import read_blends, shipped_blends

CATALOGUE = default_catalogue()
DESNZ = Path(__file__).resolve().parent / "data" / "desnz"
PUBLISHED = {year: {f.key: f for f in load_desnz_flat_file(DESNZ / name).factors} for year, name in
             [(2024, "ghg-conversion-factors-2024-flat-format-v1.1.csv"),
              (2025, "ghg-conversion-factors-2025-flat-format.csv")]}
AR6 = globalwarmingpotentials.data["AR6GWP100"]
#: Every refrigerant the catalogue has that DESNZ gives as CO2e only (R-744 is CO2, split as such).
CO2E_ONLY = sorted(f.key for f in PUBLISHED[2025].values()
                   if f.key.startswith("refrigerant.") and f.kg_other_co2e)


def compute(*lines: ActivityLine, gwp_set: str, catalogue: Catalogue = CATALOGUE) -> AccountResult:
    return compute_account(lines, year=2025, catalogue=catalogue, gwp_set=gwp_set)


def test_r410a_2_kg_under_ar6() -> None:
    # R-410A = HFC-32 50 % + HFC-125 50 % by mass (EPA GHG Emission Factors Hub 2025, Table 12).
    # AR6 (IPCC AR6 WG1 Table 7.SM.7): HFC-32 771, HFC-125 3,740
    #   2 kg × (0.5 × 771 + 0.5 × 3,740) = 2 × 2,255.5 = 4,511 kg CO2e
    assert (AR6["HFC32"], AR6["HFC125"]) == (771, 3740)
    line = compute(ActivityLine("refrigerant.r410a", 2, "kg"), gwp_set="AR6").lines[0]
    assert line.kg_co2e == pytest.approx(4511)
    assert line.kg_co2e_per_unit == pytest.approx(2255.5)
    assert line.kg_other_co2e == pytest.approx(4511)  # the gas column shows the AR6 figure too
    assert [str(flag) for flag in line.flags] == ["AR6, from components: HFC-32 50 %, HFC-125 50 %"]
    assert line.factor.source_ref == "3_201_2156_3_1"  # still the DESNZ row the refrigerant is


def test_r410a_2_kg_under_ar5_is_the_desnz_row() -> None:
    # DESNZ 2025 ID 3_201_2156_3_1 (Refrigerant & other, Blends, R410A): 1,924 kg CO2e/kg (AR5)
    #   2 kg × 1,924 = 3,848 kg CO2e — the published figure, unchanged and unflagged
    published = PUBLISHED[2025]["refrigerant.r410a"]
    assert (published.source_ref, published.kg_co2e) == ("3_201_2156_3_1", 1924)
    line = compute(ActivityLine("refrigerant.r410a", 2, "kg"), gwp_set="AR5").lines[0]
    assert line.kg_co2e == 2 * published.kg_co2e == 3848
    assert line.flags == ()


@pytest.mark.parametrize("year", [2024, 2025])
@pytest.mark.parametrize("key", CO2E_ONLY)
def test_component_weighted_ar5_reproduces_the_desnz_row(key: str, year: int) -> None:
    # DESNZ states blends in whole kg CO2e/kg: Σ mass fraction × AR5 GWP is within rounding of the row
    # (R-410A 1,923.5 → 1,924; R-404A 3,942.8 → 3,943; R-417A 2,127.22 → 2,127), so for AR5 the
    # published row stays the figure.
    assert abs(shipped_blends()[key].gwp("AR5") - PUBLISHED[year][key].kg_co2e) <= 0.5


def test_every_co2e_only_refrigerant_has_a_composition() -> None:
    assert set(CO2E_ONLY) <= set(shipped_blends())
    assert {"refrigerant.r404a", "refrigerant.r407a", "refrigerant.r407c", "refrigerant.r407f",
            "refrigerant.r410a", "refrigerant.r417a", "refrigerant.r422d", "refrigerant.r507a",
            "refrigerant.r134a", "refrigerant.r32"} == set(CO2E_ONLY)


@given(st.sampled_from(CO2E_ONLY), st.floats(min_value=0, max_value=1e5, allow_nan=False))
def test_ar6_is_the_mass_weighted_sum_of_the_components(key: str, kg: float) -> None:
    blend = shipped_blends()[key]
    weighted = sum(c.mass_percent / 100 * AR6[c.gas] for c in blend.components if c.gas)
    line = compute(ActivityLine(key, kg, "kg"), gwp_set="AR6").lines[0]
    assert line.kg_co2e_per_unit == pytest.approx(weighted, rel=1e-12)
    assert line.kg_co2e == pytest.approx(kg * weighted, rel=1e-12, abs=1e-9)
    assert str(line.flags[0]).startswith("AR6, from components: ")


def test_hydrocarbons_count_zero_and_the_line_says_so() -> None:
    # R-417A = HFC-125 46.6 %, HFC-134a 50 %, butane 3.4 % (EPA Hub 2025, Table 12); butane is no
    # Kyoto gas (DESNZ: "Emissions including only Kyoto products"):
    #   AR6 0.466 × 3,740 + 0.5 × 1,530 = 1,742.84 + 765 = 2,507.84 kg CO2e/kg
    line = compute(ActivityLine("refrigerant.r417a", 1, "kg"), gwp_set="AR6").lines[0]
    assert line.kg_co2e == pytest.approx(2507.84)
    assert str(line.flags[0]) == ("AR6, from components: HFC-125 46.6 %, HFC-134a 50 %; butane (R-600) "
                                  "3.4 % not counted (not a Kyoto gas, as in DESNZ)")


def test_a_figure_the_composition_does_not_give_is_flagged_not_converted() -> None:
    # An imported factor under the R-410A key with another figure (2,088, AR4-like) is not the DESNZ
    # blend the table describes: it stays as given and the line says it cannot be converted.
    other = replace(PUBLISHED[2025]["refrigerant.r410a"], kg_co2e=2088.0, kg_other_co2e=2088.0,
                    dataset_id="own", dataset_version="1")
    catalogue = Catalogue([FactorDataset("own", "1", 2025, "own", "own", "", (other,))])
    line = compute(ActivityLine("refrigerant.r410a", 1, "kg"), gwp_set="AR6", catalogue=catalogue).lines[0]
    assert line.kg_co2e == 2088.0
    assert [str(f) for f in line.flags] == ["CO2e only, published under AR5: no gas split to convert to AR6"]


def test_the_table_must_add_up(tmp_path: Path) -> None:
    path = tmp_path / "blends.csv"
    path.write_text("refrigerant,factor_key,component,gas,mass_percent,source,source_ref,licence\n"
                    "R-410A,refrigerant.r410a,HFC-32,HFC32,50,s,r,l\n"
                    "R-410A,refrigerant.r410a,HFC-125,HFC125,40,s,r,l\n", encoding="utf-8")
    with pytest.raises(ValueError, match="sum to 90"):
        read_blends(path)


def test_the_shipped_table_has_a_source_on_every_refrigerant() -> None:
    for blend in shipped_blends().values():
        assert blend.source and blend.source_ref, blend.designation
        assert sum(c.mass_percent for c in blend.components) == pytest.approx(100)
