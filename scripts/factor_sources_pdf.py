"""Factors read from the two Norwegian PDFs (Norsk Fjernvarme 2020, Miljødirektoratet 2023).

The PDFs are turned into text with ``pdftotext -layout`` (poppler-utils) and the
table rows are matched by their printed labels, so a figure is never typed in
by hand. Used by ``build_factors.py``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from factor_sources import MDIR_LICENCE, MDIR_SOURCE, NFJ_LICENCE, NFJ_SOURCE, Provenance, factor

from klimabok.core.factors.model import Factor


def pdf_text(path: Path) -> str:
    if not shutil.which("pdftotext"):
        sys.exit("pdftotext is missing: apt-get install -y poppler-utils")
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


# (key part, label in Tabell 1, English, bokmål)
NFJ_CARRIERS = (
    (
        "electricity_no",
        "Elektrisitet, norsk forbruksmiks, NO",
        "electricity, Norwegian consumption mix",
        "elektrisitet, norsk forbruksmiks",
    ),
    ("light_oil", "Lettolje", "light fuel oil", "lettolje"),
    ("heavy_oil", "Tungolje", "heavy fuel oil", "tungolje"),
    ("lpg", "LPG", "LPG", "LPG"),
    ("lng", r"Naturgass \(LNG\)", "natural gas (LNG)", "naturgass (LNG)"),
    ("natural_gas", r"Naturgass \(tørrgass\)", "natural gas (dry gas)", "naturgass (tørrgass)"),
    ("energy_crops", "Energivekster", "energy crops", "energivekster"),
    ("forest_residues", "GROT og stubber", "forest residues", "GROT og stubber"),
    ("wood_chips", "Skogsflis", "wood chips", "skogsflis"),
    ("recycled_wood_chips", "RT-flis", "recycled wood chips", "RT-flis"),
    ("bark_sawdust", "Bark og spon", "bark and sawdust", "bark og spon"),
    ("pellets", "Pellets og trepulver", "pellets and wood powder", "pellets og trepulver"),
    ("briquettes", "Briketter", "briquettes", "briketter"),
    (
        "bio_oil",
        r"Bioolje \(med bærekraftskriterier\)",
        "bio-oil (sustainability criteria met)",
        "bioolje (med bærekraftskriterier)",
    ),
    (
        "bio_oil_unsustainable",
        r"Bioolje \(uten bærekraftskriterier\)",
        "bio-oil (criteria not met)",
        "bioolje (uten bærekraftskriterier)",
    ),
    ("biogas_food_waste", "Biogass fra org. komm. avfall", "biogas from food waste", "biogass fra matavfall"),
    (
        "biogas_liquid_manure",
        "Biogass fra flytende gjødsel",
        "biogas from liquid manure",
        "biogass fra flytende gjødsel",
    ),
    (
        "biogas_solid_manure",
        "Biogass fra fast gjødsel",
        "biogas from solid manure",
        "biogass fra fast gjødsel",
    ),
    (
        "waste_heat",
        "Spillvarme fra industri og",
        "recovered heat (industry, waste incineration)",
        "spillvarme (industri, avfallsforbrenning)",
    ),
)
NFJ_NOTE = (
    "Per kWh of energy supplied to the heating plant (tilført energi), not per kWh delivered: "
    "use a plant-specific delivered-heat factor (district_heating.plant.<name>) where the supplier "
    "publishes one."
)


def fjernvarme(data: Path) -> list[Factor]:
    """Tabell 1 (p. 2): combustion (scope 2) and production & transport (scope 3.3), g CO2e/kWh."""
    text = pdf_text(data / "norway" / "norsk-fjernvarme-klimaregnskap-for-fjernvarme-2020.pdf")
    table = text[text.index("Tabell 1") : text.index("Tabell 2")]
    out = []
    for part, label, name, name_nb in NFJ_CARRIERS:
        match = re.search(rf"{label}\s+(\d+)\s+(\d+|NA)\s+(\d+)", table)
        if not match:
            sys.exit(f"Norsk Fjernvarme Tabell 1: no row '{label}'")
        combustion, upstream, total = match.groups()
        if upstream != "NA" and abs(int(combustion) + int(upstream) - int(total)) > 1:  # rounded in source
            sys.exit(f"Norsk Fjernvarme Tabell 1: '{label}' does not add up")
        key = f"district_heating.{part}"
        ref = f"Tabell 1, p. 2: {label.replace(chr(92), '')}"
        out.append(
            factor(
                key,
                f"District heating plant input: {name}, combustion",
                f"Fjernvarme, tilført {name_nb}, forbrenning",
                "kWh",
                int(combustion) / 1000,
                kg_co2=int(combustion) / 1000,
                scope=2,
                category=None,
                source=NFJ_SOURCE,
                source_ref=ref,
                licence=NFJ_LICENCE,
                published_year=2020,
                notes=NFJ_NOTE,
            )
        )
        if upstream != "NA":
            out.append(
                factor(
                    f"{key}.wtt",
                    f"District heating plant input: {name}, production and transport",
                    f"Fjernvarme, tilført {name_nb}, produksjon og transport",
                    "kWh",
                    int(upstream) / 1000,
                    scope=3,
                    category=3,
                    source=NFJ_SOURCE,
                    source_ref=ref,
                    licence=NFJ_LICENCE,
                    published_year=2020,
                    gwp_set="AR4",
                    notes="Upstream figures from Miljöfaktaboken 2011; GWP set not stated (report "
                    "cites IPCC AR4).",
                )
            )
    return out


#: The worked example's fuels (p. 19, "8 Regneeksempler"): label there, label in Tabell 1 (None: the
#: example counts it 0, as Tabell 1 does recovered heat from waste incineration).
NFJ_EXAMPLE_FUELS = (("Elektrisitet", r"Elektrisitet, norsk forbruksmiks, NO"), ("Lettolje", "Lettolje"),
                     ("Pellets", "Pellets og trepulver"))
NFJ_DELIVERED_NOTE = (
    "Per kWh DELIVERED to the customer. The report publishes factors per kWh supplied to the plant "
    "(Tabell 1) and the formula 'utslipp per levert kWh = totale utslipp basert på tilført energi / "
    "levert energi til kunde' (p. 1, p. 5); its only delivered-energy figure is the worked example of "
    "a typical plant (p. 19: electricity 23 GWh, recovered heat from waste, light oil 52 GWh, pellets "
    "48 GWh in; 221 GWh delivered; 15,910 t; 72 g CO2e/kWh with Norwegian electricity). It is not a "
    "measured national average (none is published in the report) nor any named network's figure: use "
    "your network's own figure per delivered kWh where its supplier declares one "
    "(district_heating.network.<name>, klimabok factors import-csv)."
)


def fjernvarme_delivered(data: Path) -> list[Factor]:
    """The worked example (p. 19) per kWh delivered: combustion (scope 2) and production & transport
    (scope 3.3), each Σ GWh in × Tabell 1 figure ÷ GWh delivered; checked against the example's own
    total (15,910 t) and its 72 g/kWh."""
    text = pdf_text(data / "norway" / "norsk-fjernvarme-klimaregnskap-for-fjernvarme-2020.pdf")
    table1 = text[text.index("Tabell 1") : text.index("Tabell 2")]
    example = text[text.index("8 REGNEEKSEMPLER") : text.index("Eksempel på omregning")]
    delivered = int(_group(r"Sum\s+\d+\s+[\d,]+\s+(\d+)", example))
    combustion = upstream = 0
    for label, table_label in NFJ_EXAMPLE_FUELS:
        gwh = int(_group(rf"\n\s*{label}\s+(\d+)\s+[\d,]+", example))
        burn, up = re.search(rf"{table_label}\s+(\d+)\s+(\d+|NA)", table1).groups()  # type: ignore[union-attr]
        combustion += gwh * int(burn)
        upstream += gwh * (0 if up == "NA" else int(up))
    stated_t = int(_group(r"Sum norsk \(europeisk\) el\s+([\d ]+?)\s+\(", example).replace(" ", ""))
    stated_g = int(_group(r"Sum norsk \(europeisk\) el\s+[\d ]+\s+\([\d ]+\)\s+(\d+)", example))
    if combustion + upstream != stated_t or round((combustion + upstream) / delivered) != stated_g:
        sys.exit("Norsk Fjernvarme p. 19: the worked example no longer adds up to its stated total")
    ref = (f"p. 19, Regneeksempler: ({combustion:,} + {upstream:,}) t CO2e / {delivered} GWh levert "
           f"= {stated_g} g/kWh (fuels in × Tabell 1, p. 2)")
    common = {"source": NFJ_SOURCE, "source_ref": ref, "licence": NFJ_LICENCE, "published_year": 2020}
    return [
        factor("district_heating.delivered.no_default",
               "District heating delivered: Norwegian default, combustion (Norsk Fjernvarme's worked example "
               "of a typical plant, p. 19; not your network's own figure)",
               "Fjernvarme levert: norsk standardverdi, forbrenning (Norsk Fjernvarmes regneeksempel for et "
               "typisk anlegg, s. 19; ikke nettets eget tall)",
               "kWh", round(combustion / delivered / 1000, 7), kg_co2=round(combustion / delivered / 1000, 7),
               scope=2, category=None, notes=NFJ_DELIVERED_NOTE, **common),  # type: ignore[arg-type]
        factor("district_heating.delivered.no_default.wtt",
               "District heating delivered: Norwegian default, production and transport of the fuels",
               "Fjernvarme levert: norsk standardverdi, produksjon og transport av brenslene",
               "kWh", round(upstream / delivered / 1000, 7), scope=3, category=3, gwp_set="AR4",
               notes="Upstream figures from Miljöfaktaboken 2011 (Tabell 1); GWP set not stated (report "
               "cites IPCC AR4).", **common),  # type: ignore[arg-type]
    ]


# (key part, label in table 1, English, bokmål, density t/m³ label in table 2 or None)
MDIR_FUELS = (
    ("natural_gas", r"Naturgass \(fra tørrgass land\)", "natural gas (dry gas)", "naturgass (tørrgass)"),
    ("lpg", r"LPG \(propan\)", "LPG (propane)", "LPG (propan)"),
    ("petrol", "Bensin", "petrol", "bensin"),
    ("kerosene", "Parafin", "kerosene", "parafin"),
    ("heating_oil", "Lett fyringsolje", "light heating oil", "lett fyringsolje"),
    ("diesel", "Diesel", "diesel", "diesel"),
    ("heavy_oil", "Tungolje/Spillolje", "heavy oil", "tungolje"),
)


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def _group(pattern: str, text: str, flags: int = 0) -> str:
    """The first group of ``pattern`` in the PDF's text; a layout that no longer matches stops the build."""
    match = re.search(pattern, text, flags)
    if match is None:
        raise ValueError(f"not found in the PDF text: {pattern}")
    return match.group(1)


def miljodirektoratet(data: Path) -> list[Factor]:
    """Table 1 (t CO2/TJ = kg CO2/GJ, net calorific value GJ/t) and table 2 (density) — CO2 only."""
    text = pdf_text(data / "norway" / "miljodirektoratet-nasjonale-standardfaktorer-2023.pdf")
    density = _num(_group(r"Diesel, lett fyringsolje\s+([\d,]+) tonn/m3", text))
    out = []
    for part, label, name, name_nb in MDIR_FUELS:
        numbers = [_num(n) for n in _group(rf"^{label}\s+([\d,\s]+)$", text, re.M).split()]
        per_gj, gj_per_tonne = numbers[0], numbers[-1]
        printed = label.replace("\\", "")
        ref = f"Tabell 1 (metodetrinn 2a): {printed} {per_gj:g} t CO2/TJ, {gj_per_tonne:g} GJ/t"
        common = Provenance(
            scope=1,
            category=None,
            source=MDIR_SOURCE,
            licence=MDIR_LICENCE,
            published_year=2023,
            notes="Fossil CO2 from combustion only (no CH4/N2O, no well-to-tank).",
        )
        key = f"fuel.no.{part}"
        # t CO2/TJ is kg CO2/GJ.
        out.append(
            factor(
                f"{key}.gj",
                f"{name.capitalize()} (Norwegian standard factor), per GJ",
                f"{name_nb.capitalize()} (nasjonal standardfaktor), per GJ",
                "GJ",
                per_gj,
                kg_co2=per_gj,
                source_ref=ref,
                **common,
            )
        )
        per_tonne = per_gj * gj_per_tonne
        out.append(
            factor(
                f"{key}.tonnes",
                f"{name.capitalize()} (Norwegian standard factor), per tonne",
                f"{name_nb.capitalize()} (nasjonal standardfaktor), per tonn",
                "tonnes",
                per_tonne,
                kg_co2=per_tonne,
                source_ref=f"{ref}; × NCV",
                **common,
            )
        )
        if part == "natural_gas":
            per_sm3 = per_gj * numbers[2]
            out.append(
                factor(
                    f"{key}.sm3",
                    f"{name.capitalize()} (Norwegian standard factor), per Sm³",
                    f"{name_nb.capitalize()} (nasjonal standardfaktor), per Sm³",
                    "cubic metres",
                    per_sm3,
                    kg_co2=per_sm3,
                    source_ref=f"{ref}; × {numbers[2]:g} GJ/Sm³",
                    **common,
                )
            )
        if part in ("diesel", "heating_oil"):
            per_litre = per_tonne * density / 1000
            out.append(
                factor(
                    key,
                    f"{name.capitalize()} (Norwegian standard factor), per litre",
                    f"{name_nb.capitalize()} (nasjonal standardfaktor), per liter",
                    "litres",
                    per_litre,
                    kg_co2=per_litre,
                    source_ref=f"{ref}; × NCV × {density:g} t/m³ (tabell 2)",
                    **common,
                )
            )
    return out
