"""Spend factors from Open CEDA 2025: a known answer by hand, flags, and the bridge to the engine."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from klimabok.core.engine import compute_account
from klimabok.core.errors import FactorNotFound
from klimabok.core.factors.catalogue import default_catalogue
from klimabok.core.spend import (
    ATTRIBUTION,
    OwnFactor,
    account_emissions,
    categories,
    classify,
    spend_activity_line,
    spend_emissions,
    spend_factor,
    spend_factor_dataset,
)
from klimabok.core.spend.tables import rule_table, spend_data_dir

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CEDA = DATA / "spend" / "open-ceda-2025" / "ceda-2025.json"
CODELISTS = DATA / "saf-t" / "codelists"
needs_data = pytest.mark.skipif(not CEDA.is_file(), reason=f"{CEDA} is absent (the shared source data)")


def test_known_answer_electricity_2024() -> None:
    # Open CEDA 2025, NOR, sector 221100 "Electric power generation, transmission, and distribution":
    # 0.272254 kg CO2e per 2023 USD; CEDA exchange rate NOR 2024: 10.6494355 NOK per USD.
    # 0.272254 / 10.6494355 = 0.0255651…  → 0.025565111 kg CO2e per NOK (9 decimals).
    f = spend_factor("electricity_heat", 2024)
    assert f.sector_values == (("221100", Decimal("0.272254")),)
    assert f.nok_per_usd == Decimal("10.6494355")
    assert f.kg_co2e_per_nok == Decimal("0.025565111")
    assert (f.region, f.base_year, f.rate_year, f.deflator) == ("NOR", 2023, 2024, None)
    # 100 000 NOK × 0.025565111 kg/NOK = 2 556.5111 kg = 2.557 t
    r = spend_emissions(Decimal("100000"), "electricity_heat", 2024)
    assert r.kg_co2e == Decimal("2556.5111")
    assert r.t_co2e == Decimal("2.557")
    assert (r.method, r.data_quality, r.attribution) == ("spend-based", 4, ATTRIBUTION) == (
        "spend-based", 4, "CEDA by Watershed")


def test_known_answer_mean_of_sectors_2025() -> None:
    # travel = mean of NOR 481000 Air transportation 1.28278, 721000 Accommodation 0.139809 and
    # 485000 Transit and ground passenger transportation 0.402208 kg/USD:
    # (1.28278 + 0.139809 + 0.402208) / 3 = 1.824797 / 3 = 0.608265667 kg/USD;
    # ÷ 10.59874556 NOK/USD (CEDA, NOR 2025) = 0.057389… kg/NOK.
    f = spend_factor("travel", 2025)
    assert f.kg_co2e_per_usd == Decimal("0.608265667")
    assert f.kg_co2e_per_nok == (Decimal("1.824797") / 3 / Decimal("10.59874556")).quantize(Decimal("1e-9"))


@needs_data
def test_every_factor_recomputes_from_the_ceda_file() -> None:
    ceda = json.loads(CEDA.read_text(encoding="utf-8"))
    nor = next(c for c in ceda["countries"] if c["code"] == "NOR")["efs"]
    rates = next(r for r in ceda["exchangeRates"] if r["code"] == "NOR")["rates"]
    for category in categories():
        for year in (2024, 2025):
            f = spend_factor(category.key, year)
            values = [Decimal(str(nor[code])) for code in category.ceda_sectors]
            expected = sum(values, Decimal(0)) / len(values) / Decimal(str(rates[str(year)]))
            assert f.kg_co2e_per_nok == expected.quantize(Decimal("1e-9")), category.key


def test_every_factor_is_flagged_without_a_deflator() -> None:
    for category in categories():
        f = spend_factor(category.key, 2025)
        assert "no price-year adjustment: deflator not available" in [str(m) for m in f.flags]
        assert f.deflator is None
        assert "CEDA by Watershed" in f.source and f.licence.startswith("CC BY-SA 4.0")


def test_later_year_uses_the_newest_and_says_so_earlier_year_has_none() -> None:
    f = spend_factor("it_telecom", 2027)
    assert (f.year, f.published_year) == (2027, 2025)
    assert "factor from 2025: none built for 2027 yet" in [str(m) for m in f.flags]
    with pytest.raises(FactorNotFound, match="no spend factor for 'it_telecom' in 2023 or earlier"):
        spend_factor("it_telecom", 2023)
    with pytest.raises(FactorNotFound, match="unknown spend category 'nope'"):
        spend_factor("nope", 2025)


def test_own_factor_replaces_ceda() -> None:
    # a supplier reports 0.02 kg CO2e/NOK: 50 000 NOK × 0.02 = 1 000 kg = 1.000 t
    r = spend_emissions(Decimal("50000"), "electricity_heat", 2025,
                        own_factor=OwnFactor(Decimal("0.02"), "Supplier climate report 2025"))
    assert (r.kg_co2e, r.t_co2e, r.factor, r.attribution) == (Decimal("1000.00"), Decimal("1.000"), None, "")


def test_spend_lines_compute_in_the_engine_as_tier_4() -> None:
    catalogue = default_catalogue().with_datasets([spend_factor_dataset(2025)])
    line = spend_activity_line(Decimal("100000"), "advisory_services", ref="saft:6700")
    assert (line.activity, line.unit, line.data_quality) == ("spend.advisory_services", "NOK", 4)
    result = compute_account([line], year=2025, catalogue=catalogue)
    expected = spend_emissions(Decimal("100000"), "advisory_services", 2025).t_co2e
    assert Decimal(str(result.totals.scope_3)).quantize(Decimal("0.001")) == expected


def test_categories_table_is_consistent() -> None:
    keys = [c.key for c in categories()]
    assert len(keys) == len(set(keys))
    for c in categories():
        assert c.ceda_sectors and c.rationale
        assert (c.scope == 3) == (c.ghg_category is not None)
    rules = [*rule_table().standard.values(), *rule_table().grouping.values()]
    used = {r.category for r in rules}
    assert used - {None} <= set(keys)


@needs_data
def test_rule_texts_are_the_code_lists_official_texts() -> None:
    with (CODELISTS / "naeringsspesifikasjon.csv").open(encoding="utf-8-sig") as handle:
        official = {row["GroupingCode"]: row["CodeDescriptionNOB"].strip()
                    for row in csv.DictReader(handle, delimiter=";")}
    with (spend_data_dir() / "account_rules.csv").open(encoding="utf-8") as handle:
        rules = [r for r in csv.DictReader(handle) if r["basis"] == "grouping" and r["code"] != "*"]
    assert rules
    for rule in rules:
        assert rule["official_text_nb"] == official[rule["code"]]


def test_account_emissions_is_none_when_excluded_or_unmapped() -> None:
    mapped = classify("6700", grouping_category="annenDriftskostnad", grouping_code="6700")
    result = account_emissions(mapped, Decimal("10000"), 2025)
    assert result is not None and result == spend_emissions(Decimal("10000"), "advisory_services", 2025)
    assert account_emissions(classify("5000", standard_account_id="50"), Decimal("10000"), 2025) is None
    assert account_emissions(classify("XYZ"), Decimal("10000"), 2025) is None
