"""Build the small test fixtures in ``tests/data/`` (and the shipped SAF-T XSDs) from the source data.

The tests run from these excerpts, so a clone without the source data runs every test but the
PostgreSQL and browser ones. Each excerpt keeps the publication's own rows unchanged (only rows are
dropped, never edited); ``tests/data/README.md`` names each file's source, version, address and
licence, and ``klimabok/data/saft/README.md`` the XSDs'. Output is the same on every run (the DESNZ
workbook's creation timestamp aside).

- ``tests/data/desnz/``: the DESNZ 2024 (v1.1, CSV and XLSX) and 2025 flat files, trimmed to the
  CO2e row of every shipped curated factor (``klimabok/data/factors/desnz-*.csv`` ``source_ref``),
  the gas rows of a few activities the tests check, and one row of each kind the reader skips.
- ``tests/data/saft/``: the four official example files, whole (the tests assert their totals), and
  the rows of ``naeringsspesifikasjon.csv`` that the shipped account rules cite.
- ``klimabok/data/saft/``: Skatteetaten's SAF-T Financial XSD 1.30 and 1.20, whole (``--validate``).
- ``tests/data/registries/``: the Verra, Gold Standard and Isometric exports the tests count, whole;
  Isometric projects trimmed to those the issuances name.
- ``tests/data/ceda/``: Open CEDA 2025 (JSON) trimmed to Norway's factors and exchange rates.
- ``tests/data/ignite/``: the ignite rows the shipped AIB residual-mix factors cite.

    .venv/bin/python scripts/build_test_fixtures.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "data"
FACTORS = REPO / "klimabok" / "data" / "factors"
#: Activities whose gas rows (…_2, _3, _4) are kept beside the CO2e row: what the tests check.
GAS_SPLIT = (
    "1_101_1011_8",    # diesel (average biofuel blend), litres
    "1_100_1000_15",   # butane, tonnes
    "1_100_1003_8",    # LPG, litres
    "1_101_1017_8",    # petrol (average biofuel blend), litres
    "21_316_3164_11",  # flights, short-haul economy with RF
    "21_316_3168_11",  # flights, long-haul average passenger with RF
)
#: IDs the tests read directly, beyond the curated factors: DESNZ's own AR5 (methane 28, N2O 265).
EXTRA_IDS = {"3_200_2003_3_1", "3_200_2006_3_1"}
#: "Mini, Hybrid" cars: blank in the official factor sheet, 0.115 in the workbook's stray "Sheet1".
MINI_HYBRID = "4_300_3244_4"
DESNZ_FILES = {
    2024: ("ghg-conversion-factors-2024-flat-format-v1.1.csv",
           "ghg-conversion-factors-2024-flat-format-v1.1.xlsx"),
    2025: ("ghg-conversion-factors-2025-flat-format.csv", None),
}


def shipped_refs(year: int) -> set[str]:
    with (FACTORS / f"desnz-{year}.csv").open(encoding="utf-8") as handle:
        return {row["source_ref"] for row in csv.DictReader(handle)}


def keep_desnz_row(row_id: str, refs: set[str], skipped_kinds: dict[str, str], cells: list[str]) -> bool:
    """The CO2e row of a shipped factor, the kept gas rows, and the first row of each skipped kind."""
    stem = row_id.rsplit("_", 1)[0]
    if row_id in refs or row_id in EXTRA_IDS or stem in GAS_SPLIT or stem == MINI_HYBRID:
        return True
    scope, kind, value = cells[1], cells[8], cells[9] if len(cells) > 9 else ""
    for name, hit in (("secr", kind.startswith("kWh")), ("outside", scope == "Outside of Scopes"),
                      ("empty", kind == "kg CO2e" and not value.strip())):
        if hit and name not in skipped_kinds:
            skipped_kinds[name] = row_id
            return True
    return False


def trim_desnz(data: Path) -> None:
    out = OUT / "desnz"
    out.mkdir(parents=True, exist_ok=True)
    for year, (csv_name, xlsx_name) in DESNZ_FILES.items():
        refs = shipped_refs(year)
        kept_ids: list[str] = []
        skipped_kinds: dict[str, str] = {}
        text = (data / "desnz" / csv_name).read_text(encoding="utf-8-sig")
        lines = text.splitlines(keepends=True)
        kept_lines = [lines[0]]
        for line in lines[1:]:
            cells = next(csv.reader(io.StringIO(line)))
            if cells and keep_desnz_row(cells[0], refs, skipped_kinds, cells):
                kept_lines.append(line)
                kept_ids.append(cells[0])
        (out / csv_name).write_text("".join(kept_lines), encoding="utf-8")
        missing = refs - set(kept_ids)
        assert not missing, f"{csv_name}: shipped source_refs not in the file: {sorted(missing)[:5]}"
        if xlsx_name:
            trim_desnz_xlsx(data / "desnz" / xlsx_name, out / xlsx_name, set(kept_ids))


def trim_desnz_xlsx(source: Path, target: Path, ids: set[str]) -> None:
    """The workbook's front page, its factor sheet with the kept rows, and the stray sheets, as values."""
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    trimmed = openpyxl.Workbook()
    trimmed.remove(trimmed.worksheets[0])  # the empty sheet a new workbook starts with
    for sheet in book.worksheets:
        new = trimmed.create_sheet(sheet.title)
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            header = number <= 6 or (row and row[0] == "ID")
            if sheet.title != "Factors by Category" or header or (row and row[0] in ids):
                new.append(list(row))
    trimmed.save(target)


def copy_saft(data: Path) -> None:
    out = OUT / "saft"
    (out / "examples").mkdir(parents=True, exist_ok=True)
    for example in sorted((data / "saf-t" / "examples").glob("*.xml")):
        shutil.copyfile(example, out / "examples" / example.name)
    schemas = REPO / "klimabok" / "data" / "saft"
    schemas.mkdir(parents=True, exist_ok=True)
    for xsd in sorted((data / "saf-t").glob("Norwegian_SAF-T_Financial_Schema_v_*.xsd")):
        shutil.copyfile(xsd, schemas / xsd.name)
    with (REPO / "klimabok" / "data" / "spend" / "account_rules.csv").open(encoding="utf-8") as handle:
        codes = {r["code"] for r in csv.DictReader(handle) if r["basis"] == "grouping" and r["code"] != "*"}
    (out / "codelists").mkdir(exist_ok=True)
    source = (data / "saf-t" / "codelists" / "naeringsspesifikasjon.csv").read_text(encoding="utf-8-sig")
    lines = source.splitlines(keepends=True)
    kept = [lines[0], *(line for line in lines[1:] if line.split(";")[3] in codes)]
    (out / "codelists" / "naeringsspesifikasjon.csv").write_text("\ufeff" + "".join(kept), encoding="utf-8")


def copy_registries(data: Path) -> None:
    out = OUT / "registries"
    for name in ("verra/transactions.csv", "gold-standard/issuances.csv", "gold-standard/retirements.csv",
                 "isometric/issuances.csv"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data / "registries" / name, out / name)
    with (data / "registries" / "isometric" / "issuances.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        project_column = next(c for c in reader.fieldnames or () if c.startswith("project"))
        named = {row[project_column] for row in reader}
    lines = (data / "registries" / "isometric" / "projects.csv").read_text(encoding="utf-8").splitlines(True)
    header = next(csv.reader([lines[0]]))
    id_column = header.index("id") if "id" in header else 0
    kept = [record for record in csv.reader(io.StringIO("".join(lines[1:])))
            if record and record[id_column] in named]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(kept)
    (out / "isometric" / "projects.csv").write_text(lines[0] + buffer.getvalue(), encoding="utf-8")
    shutil.copyfile(data / "registries" / "LICENSE-offsets-db-data.txt", out / "LICENSE-offsets-db-data.txt")


def trim_ceda(data: Path) -> None:
    ceda = json.loads((data / "spend" / "open-ceda-2025" / "ceda-2025.json").read_text(encoding="utf-8"))
    trimmed = {key: ceda[key] for key in ("version", "source", "unit")}
    trimmed["sectors"] = [{"code": s["code"], "name": s["name"]} for s in ceda["sectors"]]
    trimmed["countries"] = [c for c in ceda["countries"] if c["code"] == "NOR"]
    trimmed["regionMap"] = {"NOR": ceda["regionMap"]["NOR"]}
    trimmed["exchangeRates"] = [r for r in ceda["exchangeRates"] if r["code"] == "NOR"]
    (OUT / "ceda").mkdir(parents=True, exist_ok=True)
    (OUT / "ceda" / "ceda-2025-nor.json").write_text(json.dumps(trimmed, ensure_ascii=False, indent=1) + "\n",
                                                      encoding="utf-8")


def trim_ignite(data: Path) -> None:
    with (FACTORS / "aib-electricity.csv").open(encoding="utf-8") as handle:
        refs = {r["source_ref"] for r in csv.DictReader(handle) if r["key"].endswith(".market.residual")}
    text = (data / "ignite" / "activity_based_EF_database.csv").read_text(encoding="utf-8-sig")
    records = list(csv.reader(io.StringIO(text), delimiter=";"))
    column = records[0].index("Readable unique string")
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(
        [records[0], *(r for r in records[1:] if r and r[column] in refs)])
    (OUT / "ignite").mkdir(parents=True, exist_ok=True)
    (OUT / "ignite" / "activity_based_EF_database.csv").write_text(buffer.getvalue(), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data",
                        help="folder with the source data (default: ../shared/data)")
    args = parser.parse_args()
    trim_desnz(args.data)
    copy_saft(args.data)
    copy_registries(args.data)
    trim_ceda(args.data)
    trim_ignite(args.data)
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"tests/data: {total:,} bytes")


if __name__ == "__main__":
    main()
