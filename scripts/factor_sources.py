"""Factors from the Norwegian and European sources other than DESNZ: NVE, AIB and hotels via ignite.

Used by ``build_factors.py``; each function returns factors with their source, reference and licence.
"""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path
from typing import TypedDict

from klimabok.core.factors.desnz_curated import HOTEL_COUNTRIES
from klimabok.core.factors.model import Basis, Factor

#: Year of the non-DESNZ datasets: they hold the newest published figure for 2024 accounts; 2025
#: accounts fall back to it and the engine flags the older figure.
BASE_YEAR = 2024
#: Reporting years the definitional guarantee-of-origin factor is written for.
GOO_YEARS = (2024, 2025)

IGNITE = "ignite activity-based emission factor database (activity_based_EF_database.csv)"
IGNITE_LICENCE = "CC BY-SA 4.0 (ignite database; this derived table is shared alike)"
NVE_URL = (
    "https://www.nve.no/nytt-fra-nve/nyheter-energi/"
    "lavt-klimagassutslipp-knyttet-til-norsk-stroemforbruk-i-2023/"
)
NVE_SOURCE = f"NVE, Lavt klimagassutslipp knyttet til norsk strømforbruk i 2023 (11.06.2024), {NVE_URL}"
NVE_LICENCE = "NVE (Norwegian public body), cited with attribution"
NFJ_SOURCE = (
    "Norsk Fjernvarme, Klimaregnskap for fjernvarme 2020 – felles utslippsfaktorer for den norske "
    "fjernvarmebransjen (01.06.2020, dok. 34223-00005-3.0)"
)
NFJ_LICENCE = "Norsk Fjernvarme (industry association report), cited with attribution"
MDIR_SOURCE = (
    "Miljødirektoratet, Nasjonale standardfaktorer (versjon 13. oktober 2023), "
    "https://www.miljodirektoratet.no/ansvarsomrader/klima/klimakvoter/kvotepliktig-industri/"
)
MDIR_LICENCE = "Miljødirektoratet (Norwegian public body), cited with attribution"
GOO_SOURCE = (
    "GHG Protocol Scope 2 Guidance (2015), market-based method: electricity backed by cancelled "
    "guarantees of origin for renewable production carries the certificates' emission rate, 0"
)
GOO_LICENCE = "not applicable: zero by the method's definition, no figure copied"


class Provenance(TypedDict):
    """Keyword arguments of :func:`factor` that every factor read from one table shares."""

    scope: int
    category: int | None
    source: str
    licence: str
    published_year: int
    notes: str


class RegionProvenance(Provenance):
    source_ref: str
    region: str


def factor(
    key: str,
    name: str,
    name_nb: str,
    unit: str,
    kg_co2e: float,
    *,
    scope: int,
    category: int | None,
    source: str,
    source_ref: str,
    licence: str,
    published_year: int,
    region: str = "NO",
    basis: Basis = Basis.BOTH,
    kg_co2: float = 0.0,
    gwp_set: str = "AR5",
    notes: str = "",
) -> Factor:
    return Factor(
        key=key,
        name=name,
        name_nb=name_nb,
        unit=unit,
        year=BASE_YEAR,
        region=region,
        scope=scope,
        category=category,
        kg_co2e=kg_co2e,
        kg_co2=kg_co2,
        source=source,
        source_ref=source_ref,
        licence=licence,
        basis=basis,
        published_year=published_year,
        gwp_set=gwp_set,
        notes=notes,
    )


def nve_location(data: Path) -> list[Factor]:
    """NVE's klimadeklarasjon: the newest PRIMARY figure in norway/electricity-factors.md (g CO2e/kWh)."""
    text = (data / "norway" / "electricity-factors.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d{4}) \| \*\*([\d.]+)\*\* \| g CO2e/kWh \|.*\| PRIMARY \|$", text, re.M)
    year, grams = max((int(y), float(g)) for y, g in rows)
    return [
        factor(
            "electricity.no.location",
            "Electricity, Norway (location-based, NVE)",
            "Strøm, Norge (lokasjonsbasert, NVE)",
            "kWh",
            grams / 1000,
            scope=2,
            category=None,
            source=NVE_SOURCE,
            source_ref=f"klimadeklarasjon {year}: {grams:g} g CO2e/kWh",
            licence=NVE_LICENCE,
            published_year=year,
            basis=Basis.LOCATION,
            notes="Physically delivered electricity incl. trade; AR5 GWP100 (NVE method note). "
            "T&D losses (scope 3.3) not included: no published Norwegian figure at hand.",
        )
    ]


def ignite_rows(data: Path) -> list[dict[str, str]]:
    with open(data / "ignite" / "activity_based_EF_database.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def aib_electricity(rows: list[dict[str, str]]) -> list[Factor]:
    """AIB residual mix (market-based) per country, newest year; production mix as location-based
    except for Norway (NVE) and the UK (DESNZ). AIB gives direct CO2 only."""
    newest: dict[str, dict[str, str]] = {}
    for r in rows:
        is_aib = r["GHG Scopes and categories L2"] == "Electricity" and r["Source"] == "AIB"
        if is_aib and (r["Region"] not in newest or int(r["Year"]) > int(newest[r["Region"]]["Year"])):
            newest[r["Region"]] = r
    out = []
    for region, r in sorted(newest.items()):
        cc, year = region.lower(), int(r["Year"])
        source = f"AIB European Residual Mixes {year} ({r['Link']}), via {IGNITE}"
        note = "Direct CO2 only, as AIB publishes it."
        common = RegionProvenance(
            scope=2,
            category=None,
            source=source,
            source_ref=r["Readable unique string"],
            licence=IGNITE_LICENCE,
            published_year=year,
            region=region,
            notes=note,
        )
        residual = float(r["Emission factor (market-based) [kg CO2e/unit]"])
        out.append(
            factor(
                f"electricity.{cc}.market.residual",
                f"Electricity, {region} residual mix (market-based)",
                f"Strøm, {region} restmiks (markedsbasert)",
                "kWh",
                residual,
                kg_co2=residual,
                basis=Basis.MARKET,
                **common,
            )
        )
        if cc not in ("no", "gb"):
            location = float(r["Emission factor (location-based) [kg CO2e/unit]"])
            out.append(
                factor(
                    f"electricity.{cc}.location",
                    f"Electricity, {region} production mix (location-based)",
                    f"Strøm, {region} produksjonsmiks (lokasjonsbasert)",
                    "kWh",
                    location,
                    kg_co2=location,
                    basis=Basis.LOCATION,
                    **common,
                )
            )
        # Zero by the method's definition, so it holds for every reporting year
        # alike: one row per year, or the engine would flag it as an old figure.
        goo = factor(
            f"electricity.{cc}.market.goo",
            f"Electricity, {region}, with guarantees of origin",
            f"Strøm, {region}, med opprinnelsesgarantier",
            "kWh",
            0.0,
            scope=2,
            category=None,
            source=GOO_SOURCE,
            source_ref="Scope 2 Guidance, ch. 6 (market-based method)",
            licence=GOO_LICENCE,
            published_year=BASE_YEAR,
            region=region,
            basis=Basis.MARKET,
        )
        out.extend(replace(goo, year=y, published_year=y) for y in GOO_YEARS)
    return out


#: Countries the ignite hotel table has and DESNZ does not name (English, bokmål).
MORE_COUNTRIES = {
    "NO": ("Norway", "Norge"),
    "SE": ("Sweden", "Sverige"),
    "DK": ("Denmark", "Danmark"),
    "FI": ("Finland", "Finland"),
    "SK": ("Slovakia", "Slovakia"),
}


def ignite_hotels(rows: list[dict[str, str]], desnz_keys: set[str]) -> list[Factor]:
    """Hotel nights (Hotel Footprinting Tool via ignite) for countries DESNZ has no figure for."""
    newest: dict[str, dict[str, str]] = {}
    for r in rows:
        wanted = r["Activity L1"] == "Hotel stay" and f"hotel.{r['Region'].lower()}" not in desnz_keys
        if wanted and (r["Region"] not in newest or int(r["Year"]) > int(newest[r["Region"]]["Year"])):
            newest[r["Region"]] = r
    names = {code.upper(): (name, name) for name, code in HOTEL_COUNTRIES.items()} | MORE_COUNTRIES
    return [
        factor(
            f"hotel.{region.lower()}",
            f"Hotel night, {names[region][0]}",
            f"Hotellovernatting, {names[region][1]}",
            "room_night",
            float(r["Emission factor [kg CO2e/unit]"]),
            scope=3,
            category=6,
            source=f"Hotel Footprinting Tool ({r['Link']}), via {IGNITE}",
            source_ref=r["Readable unique string"],
            licence=IGNITE_LICENCE,
            published_year=int(r["Year"]),
            region=region,
            notes="Same Hotel Footprinting Tool data DESNZ uses (AR5).",
        )
        for region, r in sorted(newest.items())
    ]
