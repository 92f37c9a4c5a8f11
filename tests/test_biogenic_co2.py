"""Biogenic CO2 is reported apart from the scopes (issue 10, medium; GHG Protocol Corporate Standard ch. 4).

Known answer, DESNZ conversion factors 2025 v1.0, flat file row ``99_604_1011_8_2``: "Outside of
Scopes > Outside of scopes > Forecourt fuels containing biofuel > Diesel (average biofuel blend) >
litres", kg CO2e of CO2 per unit = 0.14000. So 1,000 litres of UK average diesel (``fuel.diesel``,
2025) release 1,000 × 0.14 = 140 kg biogenic CO2, reported outside the scopes; the scope 1 figure of the
same litres (row ``1_101_1011_8_1``, 2.57082 kg CO2e per litre) and every other total stay as they were.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimabok.core.engine import ActivityLine, compute_account
from klimabok.core.factors.catalogue import Catalogue, default_catalogue
from klimabok.core.factors.desnz import curated_factors, read_desnz_file
from klimabok.core.factors.factor_csv import load_factor_csv

DATA = Path(__file__).parent / "data" / "desnz"


def without_biogenic(catalogue: Catalogue) -> Catalogue:
    """The same catalogue with every biogenic figure removed."""
    return Catalogue([replace(d, factors=tuple(replace(f, kg_co2_biogenic=0.0, biogenic_source_ref="")
                                                 for f in d.factors)) for d in catalogue.datasets],
                     catalogue.activities(), catalogue.refrigerants)


def test_1000_litres_of_diesel_give_140_kg_biogenic_co2_outside_the_scopes() -> None:
    catalogue = default_catalogue()
    factor = catalogue.factor("fuel.diesel", 2025)
    assert (factor.kg_co2_biogenic, factor.biogenic_source_ref) == (0.14, "99_604_1011_8_2")
    lines = [ActivityLine("fuel.diesel", 1000, "litres")]
    result = compute_account(lines, year=2025, catalogue=catalogue)
    assert result.biogenic_co2_t * 1000 == pytest.approx(140.0)
    plain = compute_account(lines, year=2025, catalogue=without_biogenic(catalogue))
    assert result.totals == plain.totals
    assert result.totals.scope_1 * 1000 == pytest.approx(2570.82)  # 1_101_1011_8_1: 2.57082 kg/l
    assert plain.biogenic_co2_t == 0
    combustion, wtt = result.lines_for(0)
    assert combustion.kg_co2_biogenic == pytest.approx(140.0)
    assert wtt.kg_co2_biogenic == 0.0
    data = result.to_dict()
    assert data["biogenic_co2_outside_scopes"] == {"t_co2": 0.14}
    assert data["lines"][0]["kg_co2_biogenic"] == pytest.approx(140.0)
    assert data["lines"][0]["biogenic_source_ref"] == "99_604_1011_8_2"
    assert json.dumps(data)


def test_outside_of_scopes_rows_attach_to_the_scope_1_fuel_only() -> None:
    """The fixture file holds one outside-of-scopes row: diesel per tonne, 163.17 (99_604_1011_15_2)."""
    desnz = read_desnz_file(DATA / "ghg-conversion-factors-2025-flat-format.csv")
    by_key = {f.key: f for f in curated_factors(desnz)}
    assert (by_key["fuel.diesel.tonnes"].kg_co2_biogenic,
            by_key["fuel.diesel.tonnes"].biogenic_source_ref) == (163.17, "99_604_1011_15_2")
    assert all(not f.kg_co2_biogenic for k, f in by_key.items() if k != "fuel.diesel.tonnes")
    assert not any(e.scope != 1 and e.kg_co2_biogenic for e in desnz.entries)


def test_a_user_factor_table_may_carry_biogenic_co2(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text("key,name,unit,year,region,scope,kg_co2e,source,source_ref,licence,kg_co2_biogenic,"
                    "biogenic_source_ref\nfuel.own_hvo,HVO,litres,2025,NO,1,0.035,supplier,r1,own,2.43,r1b\n",
                    encoding="utf-8")
    dataset = load_factor_csv(path, dataset_id="own", version="1")
    assert (dataset.factors[0].kg_co2_biogenic, dataset.factors[0].biogenic_source_ref) == (2.43, "r1b")
    result = compute_account([ActivityLine("fuel.own_hvo", 100, "litres")], year=2025,
                             catalogue=Catalogue([dataset]))
    assert result.biogenic_co2_t == pytest.approx(0.243)
    assert result.totals.scope_1 == pytest.approx(0.0035)


def test_the_shipped_tables_carry_the_column() -> None:
    text = (Path(__file__).parents[1] / "klimabok" / "data" / "factors" / "desnz-2025.csv").read_text("utf-8")
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["fuel.diesel"]["kg_co2_biogenic"] == "0.14"
    assert rows["fuel.diesel.wtt"]["kg_co2_biogenic"] == ""


ACTIVITIES = ("fuel.diesel", "fuel.petrol", "fuel.diesel_mineral", "electricity.no",
              "flight.short_haul.economy", "waste.mixed.landfill")


def _usable(catalogue: Catalogue) -> list[str]:
    return [a for a in ACTIVITIES if catalogue.has_key(a)]


SHIPPED = default_catalogue()
USABLE = _usable(SHIPPED)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(USABLE), st.floats(0, 1e6, allow_nan=False)), max_size=12),
       st.floats(0, 1e4, allow_nan=False))
def test_biogenic_co2_never_changes_a_scope_total(entries: list[tuple[str, float]], bio: float) -> None:
    """Any biogenic figure on any factor leaves every total, category, site and range unchanged."""
    datasets = [replace(d, factors=tuple(replace(f, kg_co2_biogenic=bio) for f in d.factors))
                for d in SHIPPED.datasets]
    with_bio = Catalogue(datasets, SHIPPED.activities(), SHIPPED.refrigerants)
    lines = [ActivityLine(a, q, SHIPPED.activity(a).unit) for a, q in entries]
    a = compute_account(lines, year=2025, catalogue=with_bio)
    b = compute_account(lines, year=2025, catalogue=without_biogenic(SHIPPED))
    assert a.totals == b.totals
    assert a.by_category() == b.by_category()
    assert a.by_site() == b.by_site()
    assert {k: r.t_co2e for k, r in a.uncertainty.items()} == {k: r.t_co2e for k, r in b.uncertainty.items()}
    assert b.biogenic_co2_t == 0
    assert a.biogenic_co2_t == pytest.approx(sum(r.kg_co2_biogenic for r in a.lines) / 1000, rel=1e-9,
                                             abs=1e-9)


