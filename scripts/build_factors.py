"""Build klimabok's curated factor tables from the official publications.

Reads the publication files in ``../shared/data`` (or ``--data``) and writes
``klimabok/data/factors/``: one CSV per dataset, ``datasets.json`` and
``activities.csv`` (format in the README there). The publications themselves
are not copied. Run again after a new DESNZ year or a corrected figure:

    .venv/bin/python scripts/build_factors.py [--data ../shared/data]

Needs ``pdftotext`` (Debian package poppler-utils) for the two Norwegian PDFs.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from factor_sources import (  # noqa: E402 (needs the repository on sys.path)
    BASE_YEAR,
    IGNITE,
    IGNITE_LICENCE,
    MDIR_LICENCE,
    MDIR_SOURCE,
    NFJ_LICENCE,
    NFJ_SOURCE,
    NVE_LICENCE,
    NVE_SOURCE,
    aib_electricity,
    ignite_hotels,
    ignite_rows,
    nve_location,
)
from factor_sources_pdf import fjernvarme, fjernvarme_delivered, miljodirektoratet  # noqa: E402

from klimabok.core.factors.catalogue import FACTOR_COLUMNS  # noqa: E402
from klimabok.core.factors.desnz import curated_factors, read_desnz_file  # noqa: E402
from klimabok.core.factors.model import Factor, FactorDataset  # noqa: E402

OUT = REPO / "klimabok" / "data" / "factors"
DESNZ_FILES = {
    2024: "ghg-conversion-factors-2024-flat-format-v1.1.csv",
    2025: "ghg-conversion-factors-2025-flat-format.csv",
}


def activity_rows(factors: list[Factor]) -> list[dict[str, str]]:
    """Activities a user enters: a factor with its well-to-tank twin, flights with and without RF,
    and electricity with its location- and market-based components."""
    by_key = {f.key: f for f in factors}
    rows = []

    def add(key: str, name: str, name_nb: str, unit: str, components: list[str]) -> None:
        rows.append(
            {
                "key": key,
                "name": name,
                "name_nb": name_nb,
                "unit": unit,
                "group": key.split(".")[0],
                "components": " ".join(components),
            }
        )

    for key, f in sorted(by_key.items()):
        if key.startswith("flight.") and key.endswith(".rf"):
            base = key.removesuffix(".rf")
            wtt = [f"{base}.wtt"] if f"{base}.wtt" in by_key else []
            add(base, f.name, f.name_nb, f.unit, [key, *wtt])
            if f"{base}.no_rf" in by_key:
                plain = by_key[f"{base}.no_rf"]
                add(f"{base}.without_rf", plain.name, plain.name_nb, f.unit, [plain.key, *wtt])
        elif f"{key}.wtt" in by_key and not key.startswith("flight."):
            components = [key, f"{key}.wtt"]
            if key == "electricity.gb.location":
                continue
            name, name_nb = {**UK_ONLY_NAMES, **ACTIVITY_NAMES}.get(key, (f.name, f.name_nb))
            add(key, name, name_nb, f.unit, components)
    for key, f in sorted(by_key.items()):
        match = re.fullmatch(r"electricity\.([a-z]{2})\.market\.residual", key)
        if not match or f"electricity.{match.group(1)}.location" not in by_key:
            continue
        cc, region = match.group(1), f.region
        location = [f"electricity.{cc}.location"]
        if cc == "gb":  # DESNZ gives UK T&D losses and well-to-tank (scope 3.3)
            location += [
                k for k in ("electricity.gb.td", "electricity.gb.wtt", "electricity.gb.td.wtt") if k in by_key
            ]
        add(
            f"electricity.{cc}",
            f"Electricity, {region} (no guarantees of origin)",
            f"Strøm, {region} (uten opprinnelsesgarantier)",
            "kWh",
            [*location, key],
        )
        add(
            f"electricity.{cc}.goo",
            f"Electricity, {region}, with guarantees of origin",
            f"Strøm, {region}, med opprinnelsesgarantier",
            "kWh",
            [*location, f"electricity.{cc}.market.goo"],
        )
    # Company cars and vans by the litre (the car form). Diesel: Miljødirektoratet's Norwegian
    # standard factor (fossil CO2; it publishes no biofuel share, so every litre counts as fossil)
    # with DESNZ's mineral-diesel well-to-tank, not DESNZ's UK biofuel blend. Petrol: DESNZ's UK
    # blend, labelled so: Miljødirektoratet gives petrol per GJ and tonne only, no density.
    if {"fuel.no.diesel", "fuel.diesel_mineral.wtt"} <= by_key.keys():
        add("car.diesel.litres",
            "Company car or van: diesel, litres (Miljødirektoratet's Norwegian standard factor, counted "
            "100 % fossil; well-to-tank: DESNZ mineral diesel)",
            "Firmabil eller varebil: diesel, liter (Miljødirektoratets nasjonale standardfaktor, regnet "
            "100 % fossil; oppstrøm: DESNZ fossil diesel)",
            "litres", ["fuel.no.diesel", "fuel.diesel_mineral.wtt"])
    if {"fuel.petrol", "fuel.petrol.wtt"} <= by_key.keys():
        add("car.petrol.litres",
            "Company car or van: petrol, litres (UK average biofuel blend, DESNZ: no Norwegian per-litre "
            "petrol factor shipped)",
            "Firmabil eller varebil: bensin, liter (britisk snitt for innblanding av biodrivstoff, DESNZ: "
            "ingen norsk literfaktor for bensin i datagrunnlaget)",
            "litres", ["fuel.petrol", "fuel.petrol.wtt"])
    return rows


#: Activities named apart from their first component (which names its part only: "combustion").
ACTIVITY_NAMES = {
    "district_heating.delivered.no_default": (
        "District heating delivered: Norwegian default (Norsk Fjernvarme's worked example of a typical "
        "plant, 72 g CO2e/kWh, p. 19; not your network's own figure)",
        "Fjernvarme levert: norsk standardverdi (Norsk Fjernvarmes regneeksempel for et typisk anlegg, "
        "72 g CO2e/kWh, s. 19; ikke nettets eget tall)"),
}

#: Activities that have only a UK figure where a Norwegian user expects a Norwegian one: named so.
#: No Norwegian rail factor (Bane NOR, Vy) is in the source data; the UK national rail figure stays.
UK_ONLY_NAMES = {
    "travel.rail.national": (
        "Business travel: National rail (UK national rail, DESNZ: no Norwegian factor shipped)",
        "Tjenestereise: Tog (britisk jernbane, DESNZ: ingen norsk faktor i datagrunnlaget)"),
    "commute.rail.national": (
        "Commuting: National rail (UK national rail, DESNZ: no Norwegian factor shipped)",
        "Pendling: Tog (britisk jernbane, DESNZ: ingen norsk faktor i datagrunnlaget)"),
}


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    if value is None:
        return ""
    return str(value)


def write_dataset(dataset: FactorDataset, file: str) -> dict[str, object]:
    with open(OUT / file, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(FACTOR_COLUMNS)
        for f in sorted(dataset.factors, key=lambda f: f.key):
            # Biogenic CO2 (outside the scopes) is left empty where the publication has none.
            writer.writerow(["" if c == "kg_co2_biogenic" and not f.kg_co2_biogenic else _cell(getattr(f, c))
                             for c in FACTOR_COLUMNS])
    return {
        "dataset_id": dataset.dataset_id,
        "version": dataset.version,
        "year": dataset.year,
        "title": dataset.title,
        "source": dataset.source,
        "licence": dataset.licence,
        "file": file,
    }


def build(data: Path) -> list[tuple[FactorDataset, str]]:
    datasets = []
    desnz_keys: set[str] = set()
    for year, name in DESNZ_FILES.items():
        desnz = read_desnz_file(data / "desnz" / name)
        factors = tuple(
            replace(f, dataset_id=desnz.dataset_id, dataset_version=desnz.version)
            for f in curated_factors(desnz)
        )
        desnz_keys |= {f.key for f in factors}
        datasets.append(
            (
                FactorDataset(
                    desnz.dataset_id,
                    desnz.version,
                    year,
                    f"UK DESNZ greenhouse gas conversion factors {year} (curated)",
                    desnz.source,
                    factors[0].licence,
                    factors,
                ),
                f"desnz-{year}.csv",
            )
        )
    ignite = ignite_rows(data)
    others = (
        (
            "nve-electricity",
            "2023",
            "NVE klimadeklarasjon for fysisk levert strøm",
            NVE_SOURCE,
            NVE_LICENCE,
            nve_location(data),
        ),
        (
            "aib-electricity",
            "2021",
            "AIB residual and production mixes, guarantees of origin",
            f"AIB European Residual Mixes, via {IGNITE}",
            IGNITE_LICENCE,
            aib_electricity(ignite),
        ),
        (
            "hotel-footprinting",
            "2022",
            "Hotel Footprinting Tool hotel nights (countries DESNZ lacks)",
            f"Hotel Footprinting Tool, via {IGNITE}",
            IGNITE_LICENCE,
            ignite_hotels(ignite, desnz_keys),
        ),
        (
            "norsk-fjernvarme",
            "2020",
            "Norsk Fjernvarme district-heating factors per energy carrier",
            NFJ_SOURCE,
            NFJ_LICENCE,
            fjernvarme(data),
        ),
        (
            "norsk-fjernvarme-delivered",
            "2020",
            "Norsk Fjernvarme district heating per delivered kWh (Norwegian default: worked example, p. 19)",
            NFJ_SOURCE,
            NFJ_LICENCE,
            fjernvarme_delivered(data),
        ),
        (
            "miljodirektoratet-fuels",
            "2023",
            "Miljødirektoratet national standard factors for fuels",
            MDIR_SOURCE,
            MDIR_LICENCE,
            miljodirektoratet(data),
        ),
    )
    for dataset_id, version, title, source, licence, read in others:
        stamped = tuple(replace(f, dataset_id=dataset_id, dataset_version=version) for f in read)
        datasets.append(
            (
                FactorDataset(dataset_id, version, BASE_YEAR, title, source, licence, stamped),
                f"{dataset_id}.csv",
            )
        )
    return datasets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=REPO.parent / "shared" / "data",
        help="folder with the publications (default: ../shared/data)",
    )
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"{args.data}: no such folder (give --data)")
    datasets = build(args.data)
    OUT.mkdir(parents=True, exist_ok=True)
    meta = [write_dataset(dataset, file) for dataset, file in datasets]
    (OUT / "datasets.json").write_text(
        json.dumps({"datasets": meta}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    all_factors = [f for dataset, _ in datasets for f in dataset.factors]
    with open(OUT / "activities.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(
            fh, ["key", "name", "name_nb", "unit", "group", "components"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(activity_rows(all_factors))
    for dataset, file in datasets:
        print(
            f"{file:32} {dataset.dataset_id}@{dataset.version} year {dataset.year}: "
            f"{len(dataset.factors)} factors"
        )


if __name__ == "__main__":
    main()
