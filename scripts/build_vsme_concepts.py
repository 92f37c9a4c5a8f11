"""Build ``klimabok/data/vsme/b3-c3-concepts.json``: what an iXBRL report of VSME B3 and C3 needs to know of
the VSME XBRL taxonomy 2026-05-01.

Source: ``vsme-taxonomy-2026-05-01.json`` (EFRAG's template-to-XBRL converter, EFRAG-EU/Digital-Template-
to-XBRL-Converter, ``src/mireport/data/taxonomies/``, MIT licence; a copy in ``../shared/data/vsme/``). The
output keeps, for the elements klimabok reports (:data:`ELEMENTS`): period type, data type and base type,
the English label, and the hypercubes (tables) those elements sit in,
with their explicit dimensions, members and the dimensions' default members. Nothing else of the 2.3 MB
file is shipped.

    python scripts/build_vsme_concepts.py ../shared/data/vsme/vsme-taxonomy-2026-05-01.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "klimabok" / "data" / "vsme" / "b3-c3-concepts.json"

#: the elements of klimabok's B3 and C3 datapoints (klimabok.core.report.vsme.datapoints)
ELEMENTS = (
    "TotalEnergyConsumption", "EnergyConsumptionFromElectricity", "EnergyConsumptionFromFuels",
    "GrossScope1GreenhouseGasEmissions", "GrossLocationBasedScope2GreenhouseGasEmissions",
    "GrossMarketBasedScope2GreenhouseGasEmissions", "TotalGrossLocationBasedScope1AndScope2GHGEmissions",
    "TotalGrossMarketBasedScope1AndScope2GHGEmissions", "GrossScope3GreenhouseGasEmissions",
    "TotalGrossLocationBasedGHGEmissions", "TotalGrossMarketBasedGHGEmissions",
    "Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased",
    "Scope1AndScope2GreenhouseGasEmissionsIntensityValueMarketBased",
    "TotalLocationBasedGreenhouseGasEmissionsIntensityValue",
    "TotalMarketBasedGreenhouseGasEmissionsIntensityValue",
    "GreenhouseGasEmissionReductionTargetBaseYear", "GreenhouseGasEmissionReductionTargetYear",
    "DisclosureOfListOfMainActionsTheEntitySeeksInOrderToAchieveItsTargets",
)
LABEL = "http://www.xbrl.org/2003/role/label"


def build(taxonomy: dict[str, Any]) -> dict[str, Any]:
    concepts = taxonomy["concepts"]
    wanted = {f"vsme:{name}" for name in ELEMENTS}
    missing = sorted(wanted - concepts.keys())
    if missing:
        raise SystemExit(f"not in the taxonomy: {', '.join(missing)}")
    tables = []
    axes: set[str] = set()
    for role, cubes in taxonomy["dimensions"].items():
        if role == "_defaults":
            continue
        for cube, spec in cubes.items():
            primary = [name for _level, name in spec.get("primaryItems", []) if name in wanted]
            if not primary or spec.get("typedDimensions"):
                continue
            explicit = spec.get("explicitDimensions", {})
            axes.update(explicit)
            tables.append({"role": role, "hypercube": cube, "primary_items": primary,
                           "explicit_dimensions": explicit, "closed": spec.get("xbrldt:closed", False),
                           "context_element": spec.get("xbrldt:contextElement", "scenario")})
    cubes = {t["hypercube"] for t in tables}
    members = {m for t in tables for ms in t["explicit_dimensions"].values() for m in ms}

    def concept(name: str) -> dict[str, Any]:
        c = concepts[name]
        return {"period_type": c["periodType"], "data_type": c["dataType"], "base_type": c["baseDataType"],
                "numeric": bool(c.get("numeric")), "abstract": bool(c.get("abstract")),
                "label": c["labels"]["en"][LABEL]}

    return {
        "taxonomy": "VSME XBRL taxonomy 2026-05-01 (EFRAG)",
        "entry_point": taxonomy["entryPoint"],
        "namespace": taxonomy["namespaces"]["vsme"],
        "source": "vsme-taxonomy-2026-05-01.json, EFRAG-EU/Digital-Template-to-XBRL-Converter, MIT licence",
        "concepts": {name: concept(name) for name in sorted(wanted | axes | members | cubes)},
        "dimension_defaults": {axis: member for axis, member in taxonomy["dimensions"]["_defaults"].items()
                               if axis in axes},
        "tables": sorted(tables, key=lambda t: (t["role"], t["hypercube"])),
    }


def main() -> None:
    taxonomy = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(build(taxonomy), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                   encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
