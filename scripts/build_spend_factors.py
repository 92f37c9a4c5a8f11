"""Build klimabok's spend-based tables from Open CEDA 2025 and the SAF-T code lists.

Reads ``../shared/data`` (or ``--data``) and two hand-edited tables in ``klimabok/data/spend/``:
``categories.csv`` (the category → CEDA sector mapping) and ``price_index.csv`` (the US GDP
implicit price deflator, cited row by row), and writes into ``klimabok/data/spend/``:

- ``factors.csv``: kg CO2e per NOK per spend category and reporting year (2024, 2025):
  the equal-weight mean of Norway's kg CO2e per 2023 USD of the category's CEDA sectors
  (the Northern Europe regional average where Norway has no row), divided by the deflator
  P(year) / P(2023) (spend of the year in 2023 dollars) and by the CEDA workbook's NOK per
  USD of the reporting year. A year without an index gets no deflator and the flag
  ``no_deflator``.
- ``ceda_sectors.csv``: every CEDA sector with its name and Norway's kg CO2e per 2023 USD, so
  the mapping can be read (and a category's sectors chosen) without the source file.
- ``account_rules.csv``: the default rules (1.30 næringsspesifikasjon codes and grouping
  categories, 1.20 2-character standard accounts → spend category or exclusion), each with
  the code list's official Norwegian and English text.

The source files are not copied. Run again after editing categories.csv, price_index.csv or the
rules below:

    .venv/bin/python scripts/build_spend_factors.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from klimabok.core.spend.factors import (  # noqa: E402 (the repository on sys.path)
    MAX_SOURCE_REF,
    kg_co2e_per_nok,
    price_deflator,
)

OUT = REPO / "klimabok" / "data" / "spend"
CEDA_FILE = Path("spend") / "open-ceda-2025" / "ceda-2025.json"
CEDA_SHA256 = "1eaca2c6f8a06d26d0aee7fefa1ea5aac9f93f85aca1af8e3b7248900aa1a398"
CODELISTS = Path("saf-t") / "codelists"
COUNTRY = "NOR"
BASE_YEAR = 2023  # Open CEDA 2025: kg CO2e per 2023 USD, producer price (SOURCE.md)
REPORTING_YEARS = (2024, 2025)
PRICE_INDEX = "price_index.csv"
PLACES = Decimal("1e-9")
SOURCE = ("Open CEDA 2025 by Watershed (CEDA by Watershed), released 11 November 2025, "
          "https://openceda.org/; via a third-party JSON conversion of the workbook "
          "(GitHub sahilchopra-design/sustainability-platform-v2, frontend/src/data/ceda-2025.json, "
          "commit bd4d92ce)")
LICENCE = "CC BY-SA 4.0, attribution \"CEDA by Watershed\" required; this derived table is shared alike"
SECTOR_LICENCE = "CC BY-SA 4.0, CEDA by Watershed"
NO_DEFLATOR, PRODUCER_PRICE = "no_deflator", "producer_price"

# Grouping categories of the næringsspesifikasjon whose every code is excluded (unless a code
# rule below says otherwise).
CATEGORY_EXCLUSIONS = {
    "balanseverdiForAnleggsmiddel": "balance_sheet",
    "balanseverdiForOmloepsmiddel": "balance_sheet",
    "egenkapital": "balance_sheet",
    "kortsiktigGjeld": "balance_sheet",
    "langsiktigGjeld": "balance_sheet",
    "balanseverdiForBankOgForsikringseiendel": "balance_sheet",
    "gjeldInnenBankOgForsikring": "balance_sheet",
    "endringIEgenkapitalInnenBankOgForsikring": "balance_sheet",
    "salgsinntekt": "revenue",
    "annenDriftsinntekt": "revenue",
    "bankOgForsikringsinntekt": "revenue",
    "loennskostnad": "payroll",
    "skattekostnad": "tax",
    "finansinntekt": "financial",
    "finanskostnad": "financial",
    "resultatkomponentForIFRSForetak": "financial",
    "bankOgForsikringsinntektEllerKostnadSomIkkeBlirOmklassifisertTilResultatet": "financial",
    "bankOgForsikringsinntektEllerKostnadSomKanBliOmklassifisertTilResultatet": "financial",
    "resultatDisponeringForSAF-T": "internal",
}

# næringsspesifikasjon code → spend category, "!reason" (excluded) or "" (known, deliberately
# unmapped: the user maps it). Codes not listed fall to their category rule or stay unmapped.
EXCLUDED = "!"
CODE_RULES = {
    "2740": "!vat",
    "4001": "", "4002": "", "4003": "", "4004": "", "4005": "goods_for_resale", "4007": "!internal",
    "4008": "", "4295": "!internal", "4500": "hired_labour", "4995": "!internal",
    "5900": "personnel_other",
    **dict.fromkeys(("6000", "6001", "6002", "6004"), "!depreciation"),
    **dict.fromkeys(("6050", "6051", "6052", "6053", "6054"), "!write_down"),
    **dict.fromkeys(("6100", "6110", "6120", "6130", "6140"), "freight"),
    "6200": "electricity_heat", "6300": "rent_premises", "6340": "electricity_heat",
    "6350": "it_telecom", "6395": "waste_water_cleaning", "6400": "equipment_rental",
    "6440": "car_leasing", "6500": "tools_equipment", "6600": "building_repair",
    "6695": "equipment_repair", "6700": "advisory_services", "6750": "group_services",
    "6751": "!internal", "6752": "!internal", "6995": "office_supplies", "6998": "!internal",
    "7000": "vehicle_fuel", "7020": "vehicle_running", "7040": "vehicle_running", "7080": "",
    "7099": "!internal",
    "7155": "travel", "7165": "travel", "7295": "commission", "7330": "marketing",
    "7350": "food_entertainment", "7370": "food_entertainment", "7400": "memberships", "7490": "memberships",
    "7420": "gifts", "7440": "gifts",
    **dict.fromkeys(("7500", "7501", "7502", "7503"), "insurance"),
    "7565": "equipment_repair", "7600": "licences", "7650": "research", "7651": "", "7700": "",
    "7701": "!tax",
    **dict.fromkeys(("7830", "7860", "7880", "7885", "7886", "7890", "7897"), "!write_down"),
    "7910": "!internal", "7911": "!internal",
}

# 1.20 2-character standard account (and the NS 4102 account class of the range fallback).
STANDARD_RULES = {
    **dict.fromkeys(("10", "11", "12", "13", "14", "15", "17", "18", "19"), "!balance_sheet"),
    "16": "!vat",
    **dict.fromkeys(("20", "21", "22", "23", "24", "25", "26", "27", "28", "29"), "!balance_sheet"),
    **dict.fromkeys(("30", "31", "32", "33", "34", "35", "36", "37", "38", "39"), "!revenue"),
    **dict.fromkeys(("40", "41", "42", "43", "46"), "goods_for_resale"),
    "45": "hired_labour", "49": "!internal",
    **dict.fromkeys(("50", "52", "53", "54", "55", "56", "57", "58"), "!payroll"),
    "59": "personnel_other", "60": "!depreciation", "61": "freight", "62": "electricity_heat",
    "63": "premises_mixed", "64": "equipment_rental", "65": "tools_equipment", "66": "repair_mixed",
    "67": "advisory_services", "68": "office_supplies", "69": "it_telecom", "70": "vehicle_mixed",
    "71": "travel", "72": "commission", "73": "marketing", "74": "memberships", "75": "insurance",
    "76": "licences", "77": "", "78": "!write_down", "79": "!internal",
    "80": "!financial", "81": "!financial",
    "83": "!tax", "84": "!revenue", "85": "", "86": "!tax", "88": "!internal", "89": "!internal",
}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_codelist(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def rule_row(basis: str, group: str, code: str, target: str, nb: str, en: str,
             categories: set[str]) -> dict[str, str]:
    excluded = target[1:] if target.startswith(EXCLUDED) else ""
    category = "" if excluded else target
    if category and category not in categories:
        sys.exit(f"rule {basis} {code}: unknown spend category {category!r} (not in categories.csv)")
    return {"basis": basis, "grouping_category": group, "code": code, "category": category,
            "excluded": excluded, "official_text_nb": nb.strip(), "official_text_en": en.strip()}


def account_rules(data: Path, categories: set[str]) -> list[dict[str, str]]:
    codes = read_codelist(data / CODELISTS / "naeringsspesifikasjon.csv")
    by_code = {row["GroupingCode"]: row for row in codes}
    if len(by_code) != len(codes):
        sys.exit("naeringsspesifikasjon.csv: a grouping code appears twice; rules key on the code")
    groups = {row["GroupingCategory"] for row in codes}
    rows = []
    for group, reason in CATEGORY_EXCLUSIONS.items():
        if group not in groups:
            sys.exit(f"grouping category {group!r} is not in naeringsspesifikasjon.csv")
        rows.append(rule_row("grouping", group, "*", EXCLUDED + reason, "", "", categories))
    for code, target in CODE_RULES.items():
        row = by_code.get(code)
        if row is None:
            sys.exit(f"grouping code {code} is not in naeringsspesifikasjon.csv")
        rows.append(rule_row("grouping", row["GroupingCategory"], code, target, row["CodeDescriptionNOB"],
                             row["CodeDescriptionENG"], categories))
    standard = {row["AccountID"]: row for row in
                read_codelist(data / CODELISTS / "General_Ledger_Standard_Accounts_2_character.csv")}
    missing = sorted(set(standard) - set(STANDARD_RULES))
    if missing:
        sys.exit(f"standard accounts without a rule: {missing}")
    for code, target in STANDARD_RULES.items():
        row = standard[code]
        rows.append(rule_row("standard", "", code, target, row["DescriptionNOB"], row["DescriptionENG"],
                             categories))
    return rows


def load_ceda(data: Path) -> dict[str, Any]:
    raw = (data / CEDA_FILE).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != CEDA_SHA256:
        sys.exit(f"{CEDA_FILE}: sha256 {digest}, expected {CEDA_SHA256} (a different file: check SOURCE.md)")
    ceda: dict[str, Any] = json.loads(raw)
    return ceda


def country_factors(ceda: dict[str, Any]) -> tuple[dict[str, float], str, str]:
    """Norway's kg CO2e per USD by sector, the region named in the tables and the JSON path."""
    countries = {c["code"]: c for c in ceda["countries"]}
    if COUNTRY in countries:
        return countries[COUNTRY]["efs"], COUNTRY, f"countries[{COUNTRY}].efs"
    name = ceda["regionMap"][COUNTRY]
    efs = {r["region"]: r for r in ceda["regionalEFs"]}[name]["efs"]
    return efs, f"{name} (regional average)", f"regionalEFs[{name}].efs"


def price_deflators(price_index: list[dict[str, str]]) -> dict[int, Decimal]:
    """Reporting year → P(year) / P(base year) from the rows of ``price_index.csv``, for the years it has."""
    index = {int(row["year"]): Decimal(row["index"]) for row in price_index}
    if BASE_YEAR not in index:
        sys.exit(f"{PRICE_INDEX}: no index for the factors' base year {BASE_YEAR}")
    deflators = {year: price_deflator(index, year, BASE_YEAR) for year in REPORTING_YEARS}
    return {year: deflator for year, deflator in deflators.items() if deflator is not None}


def ceda_factors(ceda: dict[str, Any], categories: list[dict[str, str]],
                 deflators: dict[int, Decimal]) -> list[dict[str, str]]:
    efs, region, where = country_factors(ceda)
    rates = {r["code"]: r for r in ceda["exchangeRates"]}[COUNTRY]["rates"]
    rows = []
    for category in categories:
        sectors = category["ceda_sectors"].split()
        unknown = [code for code in sectors if code not in efs]
        if unknown:
            sys.exit(f"categories.csv {category['key']}: unknown CEDA sector(s) {' '.join(unknown)}")
        values = [(code, Decimal(str(efs[code]))) for code in sectors]
        per_usd = sum((v for _, v in values), Decimal(0)) / len(values)
        for year in REPORTING_YEARS:
            nok_per_usd = Decimal(str(rates[str(year)]))
            deflator = deflators.get(year)
            ref = (f"ceda-2025.json (sha256 {CEDA_SHA256[:12]}): {where}[{' '.join(sectors)}]; "
                   f"exchangeRates[{COUNTRY}].rates[{year}]")
            if deflator is None:
                flags = f"{NO_DEFLATOR};{PRODUCER_PRICE}"
            else:
                flags = PRODUCER_PRICE
                ref += f"; {PRICE_INDEX}[{year}]/[{BASE_YEAR}]"
            if len(ref) > MAX_SOURCE_REF:
                sys.exit(f"categories.csv {category['key']}: source reference longer than {MAX_SOURCE_REF} "
                         "characters (an archived factor's limit): fewer sectors")
            rows.append({
                "category": category["key"], "year": str(year),
                "kg_co2e_per_nok": str(kg_co2e_per_nok(per_usd, deflator, nok_per_usd)),
                "kg_co2e_per_usd": str(per_usd.quantize(PLACES).normalize()),
                "ceda_kg_co2e_per_usd": " ".join(f"{code}={value}" for code, value in values),
                "region": region, "base_year": str(BASE_YEAR), "nok_per_usd": str(nok_per_usd),
                "rate_year": str(year),
                "deflator": "" if deflator is None else str(deflator.quantize(PLACES)),
                "flags": flags, "source": SOURCE, "source_ref": ref, "licence": LICENCE,
            })
    return rows


def sector_table(ceda: dict[str, Any]) -> list[dict[str, str]]:
    """Every CEDA sector: code, name and the country's kg CO2e per base-year USD."""
    efs, region, where = country_factors(ceda)
    return [{"code": sector["code"], "name": sector["name"].strip(), "region": region,
             "kg_co2e_per_usd": str(Decimal(str(efs[sector["code"]]))),
             "source_ref": f"ceda-2025.json {where}[{sector['code']}]", "licence": SECTOR_LICENCE}
            for sector in ceda["sectors"]]


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data",
                        help="folder with the source data (default: ../shared/data)")
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"{args.data}: no such folder (give --data)")
    categories = read_rows(OUT / "categories.csv")
    ceda = load_ceda(args.data)
    factors = ceda_factors(ceda, categories, price_deflators(read_rows(OUT / PRICE_INDEX)))
    sectors = sector_table(ceda)
    rules = account_rules(args.data, {c["key"] for c in categories})
    write_csv(OUT / "factors.csv", factors)
    write_csv(OUT / "ceda_sectors.csv", sectors)
    write_csv(OUT / "account_rules.csv", rules)
    deflated = sorted({row["year"] for row in factors if row["deflator"]})
    print(f"factors.csv: {len(factors)} rows ({len(categories)} categories × {len(REPORTING_YEARS)} years; "
          f"deflated to {BASE_YEAR} USD: {', '.join(deflated) or 'none'})")
    print(f"ceda_sectors.csv: {len(sectors)} sectors")
    print(f"account_rules.csv: {len(rules)} rules")


if __name__ == "__main__":
    main()
