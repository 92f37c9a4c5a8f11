"""Spend factors from Open CEDA 2025: a known answer by hand, flags, and the bridge to the engine."""

from __future__ import annotations

import csv
import json
import sys
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
from klimabok.core.spend.tables import ceda_sectors, rule_table, spend_data_dir

ROOT = Path(__file__).resolve().parents[1]
#: Open CEDA 2025 trimmed to Norway, and the SAF-T code list rows the rules cite (tests/data/README.md).
CEDA = ROOT / "tests" / "data" / "ceda" / "ceda-2025-nor.json"
CODELISTS = ROOT / "tests" / "data" / "saft" / "codelists"
sys.path.insert(0, str(ROOT / "scripts"))


# US GDP implicit price deflator, annual, 2017 = 100 (BEA NIPA Table 1.1.9 line 1; FRED A191RD3A086NBEA),
# as cited in klimabok/data/spend/price_index.csv.
GDP_DEFLATOR = {2023: Decimal("122.390"), 2024: Decimal("125.428"), 2025: Decimal("128.986")}


def test_known_answer_electricity_2024() -> None:
    # Open CEDA 2025, NOR, sector 221100 "Electric power generation, transmission, and distribution":
    # 0.272254 kg CO2e per 2023 USD; CEDA exchange rate NOR 2024: 10.6494355 NOK per USD.
    # Deflator 2024 → 2023 prices: 125.428 / 122.390 = 1.024822289…
    # 0.272254 / 1.024822289… = 0.265659718 kg per 2024 USD; / 10.6494355 = 0.0249458967 …
    # → 0.024945897 kg CO2e per NOK (9 decimals). Without the deflator it was 0.025565111.
    f = spend_factor("electricity_heat", 2024)
    assert f.sector_values == (("221100", Decimal("0.272254")),)
    assert f.nok_per_usd == Decimal("10.6494355")
    assert f.deflator == Decimal("1.024822289")
    assert f.kg_co2e_per_nok == Decimal("0.024945897")
    assert (f.region, f.base_year, f.rate_year) == ("NOR", 2023, 2024)
    # 100 000 NOK × 0.024945897 kg/NOK = 2 494.5897 kg = 2.495 t
    r = spend_emissions(Decimal("100000"), "electricity_heat", 2024)
    assert r.kg_co2e == Decimal("2494.5897")
    assert r.t_co2e == Decimal("2.495")
    assert (r.method, r.data_quality, r.attribution) == ("spend-based", 4, ATTRIBUTION) == (
        "spend-based", 4, "CEDA by Watershed")


def test_known_answer_mean_of_sectors_2025() -> None:
    # travel = mean of NOR 481000 Air transportation 1.28278, 721000 Accommodation 0.139809 and
    # 485000 Transit and ground passenger transportation 0.402208 kg/USD:
    # (1.28278 + 0.139809 + 0.402208) / 3 = 1.824797 / 3 = 0.608265667 kg per 2023 USD;
    # deflator 128.986 / 122.390 = 1.053893292 → 0.608265667 / 1.053893292 = 0.577160583 kg per 2025 USD;
    # ÷ 10.59874556 NOK/USD (CEDA, NOR 2025) = 0.054455556 kg/NOK.
    f = spend_factor("travel", 2025)
    assert f.kg_co2e_per_usd == Decimal("0.608265667")
    assert f.deflator == Decimal("1.053893292")
    assert f.kg_co2e_per_nok == Decimal("0.054455556")
    assert f.kg_co2e_per_nok == (Decimal("1.824797") / 3 / (GDP_DEFLATOR[2025] / GDP_DEFLATOR[2023])
                                 / Decimal("10.59874556")).quantize(Decimal("1e-9"))


def test_every_factor_recomputes_from_the_ceda_file_and_the_cited_deflator() -> None:
    ceda = json.loads(CEDA.read_text(encoding="utf-8"))
    nor = next(c for c in ceda["countries"] if c["code"] == "NOR")["efs"]
    rates = next(r for r in ceda["exchangeRates"] if r["code"] == "NOR")["rates"]
    for category in categories():
        for year in (2024, 2025):
            f = spend_factor(category.key, year)
            values = [Decimal(str(nor[code])) for code in category.ceda_sectors]
            deflator = GDP_DEFLATOR[year] / GDP_DEFLATOR[2023]
            expected = sum(values, Decimal(0)) / len(values) / deflator / Decimal(str(rates[str(year)]))
            assert f.kg_co2e_per_nok == expected.quantize(Decimal("1e-9")), category.key
            assert f.deflator == deflator.quantize(Decimal("1e-9"))


def test_price_index_table_cites_its_source_for_every_year() -> None:
    with (spend_data_dir() / "price_index.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {int(r["year"]): Decimal(r["index"]) for r in rows} == GDP_DEFLATOR
    for row in rows:
        assert "BEA NIPA Table 1.1.9 line 1" in row["series"]
        assert "https://fred.stlouisfed.org/series/A191RD3A086NBEA" in row["source"]
        assert "commit 976898a066a3672e939d29c601a1003148837e72" in row["source_ref"]
        assert row["licence"] and row["retrieved"]


def test_deflated_factors_carry_no_deflator_flag_only_the_price_type() -> None:
    for category in categories():
        f = spend_factor(category.key, 2025)
        assert [str(m) for m in f.flags] == [
            "producer-price factor applied to purchaser-price spend (no margin adjustment)"]
        assert "price_index.csv[2025]/[2023]" in f.source_ref
        assert "CEDA by Watershed" in f.source and f.licence.startswith("CC BY-SA 4.0")


def test_the_script_rebuilds_the_shipped_factors_and_flags_a_year_without_an_index() -> None:
    import build_spend_factors as build

    ceda = json.loads(CEDA.read_text(encoding="utf-8"))
    shipped_categories = build.read_rows(spend_data_dir() / "categories.csv")
    index = build.read_rows(spend_data_dir() / "price_index.csv")
    assert build.ceda_factors(ceda, shipped_categories, build.price_deflators(index)) == build.read_rows(
        spend_data_dir() / "factors.csv")
    # Without a 2025 index, the 2025 row is not deflated and says so:
    # 0.272254 / 10.59874556 = 0.025687380 kg/NOK, flag no_deflator.
    without_2025 = build.price_deflators([r for r in index if r["year"] != "2025"])
    electricity = [c for c in shipped_categories if c["key"] == "electricity_heat"]
    row_2024, row_2025 = build.ceda_factors(ceda, electricity, without_2025)
    assert (row_2024["deflator"], row_2024["flags"]) == ("1.024822289", "producer_price")
    assert (row_2025["kg_co2e_per_nok"], row_2025["deflator"], row_2025["flags"]) == (
        "0.025687380", "", "no_deflator;producer_price")


def test_ceda_sector_table_has_every_sector_of_the_mapping() -> None:
    sectors = ceda_sectors()
    assert len(sectors) == 400
    # NOR 221100 0.272254 kg/USD and its name, as in the CEDA file (SOURCE.md sample values).
    assert (sectors["221100"].name, sectors["221100"].kg_co2e_per_usd) == (
        "Electric power generation, transmission, and distribution", Decimal("0.272254"))
    for category in categories():
        assert set(category.ceda_sectors) <= set(sectors), category.key


def test_a_partners_choice_of_sectors_replaces_the_shipped_mapping() -> None:
    # Klimapartner's clients buy bread for resale: goods_for_resale → CEDA 311810 Bread and bakery
    # product manufacturing, NOR 0.291688 kg per 2023 USD (instead of 339990, 0.411421).
    # 2025: 0.291688 / (128.986 / 122.390 = 1.053893292) = 0.276771854 kg per 2025 USD
    #       / 10.59874556 NOK/USD = 0.026113643 kg/NOK.
    f = spend_factor("goods_for_resale", 2025, sectors=("311810",))
    assert f.sector_values == (("311810", Decimal("0.291688")),)
    assert f.kg_co2e_per_nok == Decimal("0.026113643")
    assert f.deflator == Decimal("1.053893292") and f.nok_per_usd == Decimal("10.59874556")
    assert str(f.flags[0]) == "CEDA sectors chosen by the climate partner: 311810 (default 339990)"
    assert f.source_ref.startswith("ceda_sectors.csv[311810] (partner's choice); exchangeRates")
    # two sectors: (0.291688 + 0.233805 Food and beverage stores) / 2 = 0.2627465 kg/USD
    two = spend_factor("goods_for_resale", 2025, sectors=("311810", "445000"))
    assert two.kg_co2e_per_usd == Decimal("0.2627465")
    assert two.kg_co2e_per_nok == (Decimal("0.2627465") / (GDP_DEFLATOR[2025] / GDP_DEFLATOR[2023])
                                   / Decimal("10.59874556")).quantize(Decimal("1e-9"))
    # choosing the shipped sectors is no change
    shipped = spend_factor("goods_for_resale", 2025)
    assert spend_factor("goods_for_resale", 2025, sectors=("339990",)) == shipped


def test_source_references_fit_the_archive_column() -> None:
    # A closed year archives its factors with the source reference in a varchar(200) column
    # (PostgreSQL refuses longer ones): the shipped factors and the longest partner choice fit.
    longest = tuple(sorted(ceda_sectors(), key=len, reverse=True)[:10])
    refs = [spend_factor(c.key, year).source_ref for c in categories() for year in (2024, 2025)]
    refs.append(spend_factor("travel", 2025, sectors=longest).source_ref)
    assert max(map(len, refs)) <= 200


def test_a_sector_choice_must_name_ceda_sectors() -> None:
    with pytest.raises(FactorNotFound, match="'999999' is not an Open CEDA 2025 sector code"):
        spend_factor("goods_for_resale", 2025, sectors=("311810", "999999"))
    with pytest.raises(FactorNotFound, match="choose at least one CEDA sector"):
        spend_factor("goods_for_resale", 2025, sectors=())
    with pytest.raises(FactorNotFound, match="choose at most 10 CEDA sectors"):
        spend_factor("goods_for_resale", 2025, sectors=tuple(sorted(ceda_sectors()))[:11])


def test_the_partners_choice_is_part_of_the_dataset_version() -> None:
    shipped = spend_factor_dataset(2025)
    chosen = spend_factor_dataset(2025, {"goods_for_resale": ("311810",)})
    assert chosen.version.startswith(shipped.version + "+p") and chosen.version != shipped.version
    assert spend_factor_dataset(2025, {"goods_for_resale": ("339990",)}).version == shipped.version
    # a stored choice for a category a later release dropped changes nothing
    assert spend_factor_dataset(2025, {"dropped_category": ("311810",)}).version == shipped.version
    bread = {f.key: f for f in chosen.factors}["spend.goods_for_resale"]
    assert Decimal(str(bread.kg_co2e)) == Decimal("0.026113643")
    assert bread.dataset_version == chosen.version
    assert "chosen by the climate partner: 311810" in bread.notes
    others = {f.key: f.kg_co2e for f in chosen.factors if f.key != "spend.goods_for_resale"}
    assert others == {f.key: f.kg_co2e for f in shipped.factors if f.key != "spend.goods_for_resale"}


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
