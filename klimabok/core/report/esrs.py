"""ESRS E1 datapoints of a year: E1-4 (targets), E1-5 (energy), E1-6 (gross GHG emissions), E1-7 (credits).

Each figure carries its reference in ESRS E1 (Commission Delegated Regulation (EU) 2023/2772, annex I):
the disclosure requirement's paragraph, or the application requirement (AR) it follows. EFRAG's
datapoint ids (the IG 3 list) are not cited: they are not in the sources this code was checked against.

- **E1-4 §34** targets: per target its scope coverage (§34(b)), absolute or intensity (§34(a)), base
  year and base value (§34(c)), target year and target value (§34(d)); scope 2 targets say their method.
- **E1-5 §37** total energy consumption from own operations in MWh, from fossil sources (§37(a)), nuclear
  (§37(b)) and renewable sources (§37(c)). klimabok cannot split grid electricity that is not covered
  by guarantees of origin into fossil and nuclear (the residual mix holds both): it is reported on one
  row "fossil and nuclear, not split" and §37(a) and (b) are not given apart. District heating's mix is
  not known: its MWh are in the total and on a row of their own.
- **E1-6 §44/§48–§53** gross scope 1 (§48(a)), scope 2 location-based (§49(a)) and market-based (§49(b)),
  gross scope 3 and each significant category (§51: the categories the relevance screening marks
  relevant, and the categories with emissions that were not screened, flagged), total location- and
  market-based (§52(a), (b)), GHG intensity per net revenue (§53, t CO2e per currency unit), and the
  biogenic CO2 apart, outside the scopes (AR 43(c)).
- **E1-7 §56(b), §59(a), AR 62** credits cancelled in the reporting year (by retirement date), with the
  shares of removals and reductions, by quality standard, from projects in the EU and with a
  corresponding adjustment (:func:`klimabok.core.claims.esrs_e1_7`), and the removals by sink
  (biogenic or technological, from the project type; "not recorded" when the type says neither).
  Credits are never netted off the emissions above. §59(b) planned cancellations, apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from klimabok.core.claims import EsrsE17, RetiredCredit
from klimabok.core.credits.registries import CreditKind
from klimabok.core.scope3_screening import CategoryScreening, Relevance

from .vsme import YearFacts

ESRS = "ESRS E1 (Commission Delegated Regulation (EU) 2023/2772)"
#: removal project types whose carbon is stored in living or dead biomass and soils
BIOGENIC = re.compile(r"afforest|reforest|revegetat|\bARR\b|forest|soil|mangrove|blue carbon|peat|biochar",
                      re.IGNORECASE)
#: removals stored by a technical process
TECHNOLOGICAL = re.compile(r"direct air|\bDAC|mineral|weathering|geolog|concrete", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Datapoint:
    disclosure: str                   #: "E1-6"
    reference: str                    #: "E1 §49(a)"
    key: str                          #: a stable name: "gross_scope_2_location"
    value: Decimal | int | str | bool | None
    unit: str = ""                    #: "MWh", "t CO2e", "%", …
    detail: str = ""                  #: the target's name, the category, the standard


@dataclass(frozen=True, slots=True)
class EsrsReport:
    year: int
    draft: bool
    organisation: str
    org_number: str
    datapoints: tuple[Datapoint, ...]


def sink(credit: RetiredCredit) -> str:
    """``biogenic``, ``technological`` or ``not_recorded`` for a removal credit, from its project type."""
    text = f"{credit.project_type} {credit.project}"
    if BIOGENIC.search(text):
        return "biogenic"
    if TECHNOLOGICAL.search(text):
        return "technological"
    return "not_recorded"


def _e1_4(facts: YearFacts) -> list[Datapoint]:
    points: list[Datapoint] = []
    for t in facts.targets:
        unit = "t CO2e" if t.metric == "absolute" else t.metric
        coverage = t.coverage + (f" ({t.scope2_method}-based scope 2)" if "2" in t.coverage else "")
        if t.scope3_categories:
            coverage += " categories " + ", ".join(f"3.{c}" for c in t.scope3_categories)
        points += [
            Datapoint("E1-4", "E1 §34(b)", "target_coverage", coverage, detail=t.name),
            Datapoint("E1-4", "E1 §34(a)", "target_metric", t.metric, detail=t.name),
            Datapoint("E1-4", "E1 §34(c)", "target_base_year", t.base_year, detail=t.name),
            Datapoint("E1-4", "E1 §34(c)", "target_base_value", t.base_t, unit, detail=t.name),
            Datapoint("E1-4", "E1 §34(d)", "target_year", t.target_year, detail=t.name),
            Datapoint("E1-4", "E1 §34(a)", "target_reduction", t.reduction_percent, "%", detail=t.name),
            Datapoint("E1-4", "E1 §34(d)", "target_value", t.target_t, unit, detail=t.name),
        ]
    return points


def _e1_5(facts: YearFacts) -> list[Datapoint]:
    e = facts.energy
    return [
        Datapoint("E1-5", "E1 §37", "energy_total", e.total, "MWh"),
        Datapoint("E1-5", "E1 §37(a)", "energy_fossil_fuels", e.fuels_non_renewable, "MWh"),
        Datapoint("E1-5", "E1 §37(a), (b)", "energy_electricity_fossil_and_nuclear_not_split",
                  e.electricity_non_renewable, "MWh"),
        Datapoint("E1-5", "E1 §37(c)", "energy_renewable",
                  e.electricity_renewable + e.fuels_renewable, "MWh"),
        Datapoint("E1-5", "E1 §37(c)(i)", "energy_renewable_fuels", e.fuels_renewable, "MWh"),
        Datapoint("E1-5", "E1 §37(c)(ii)", "energy_renewable_purchased_electricity",
                  e.electricity_renewable, "MWh"),
        Datapoint("E1-5", "E1 §37", "energy_district_heating_mix_not_known", e.heat, "MWh"),
    ]


def significant_categories(facts: YearFacts, screening: Sequence[CategoryScreening]) -> list[tuple[int, str]]:
    """(category, basis): relevant by the screening, or with emissions and not screened."""
    by_category = {s.category: s.relevance for s in screening}
    out: list[tuple[int, str]] = []
    for category in range(1, 16):
        relevance = by_category.get(category, Relevance.NOT_SCREENED)
        has_t = category in facts.scope_3_by_category
        if relevance is Relevance.RELEVANT:
            out.append((category, "relevant"))
        elif relevance is Relevance.NOT_SCREENED and has_t:
            out.append((category, "not_screened"))
    return out


def _e1_6(facts: YearFacts, screening: Sequence[CategoryScreening]) -> list[Datapoint]:
    total_loc = facts.scope_1 + facts.scope_2_location + facts.scope_3
    total_mkt = facts.scope_1 + facts.scope_2_market + facts.scope_3
    points = [
        Datapoint("E1-6", "E1 §44(a), §48(a)", "gross_scope_1", facts.scope_1, "t CO2e"),
        Datapoint("E1-6", "E1 §44(b), §49(a)", "gross_scope_2_location", facts.scope_2_location, "t CO2e"),
        Datapoint("E1-6", "E1 §44(b), §49(b)", "gross_scope_2_market", facts.scope_2_market, "t CO2e"),
        Datapoint("E1-6", "E1 §44(c), §51", "gross_scope_3", facts.scope_3, "t CO2e"),
    ]
    for category, basis in significant_categories(facts, screening):
        points.append(Datapoint("E1-6", "E1 §51", f"gross_scope_3_category_{category}",
                                facts.scope_3_by_category.get(category, Decimal(0)), "t CO2e",
                                detail=f"3.{category} ({basis})"))
    points += [
        Datapoint("E1-6", "E1 §44(d), §52(a)", "total_location", total_loc, "t CO2e"),
        Datapoint("E1-6", "E1 §44(d), §52(b)", "total_market", total_mkt, "t CO2e"),
    ]
    if facts.revenue:
        unit = f"t CO2e per {facts.currency}"
        points += [
            Datapoint("E1-6", "E1 §53", "intensity_location", total_loc / facts.revenue, unit),
            Datapoint("E1-6", "E1 §53", "intensity_market", total_mkt / facts.revenue, unit),
        ]
    else:
        points.append(Datapoint("E1-6", "E1 §53", "intensity_location", None, detail="no net revenue"))
    points.append(Datapoint("E1-6", "E1 AR 43(c)", "biogenic_co2", facts.biogenic_co2_t, "t CO2"))
    return points


def _e1_7(e17: EsrsE17, cancelled: Sequence[RetiredCredit]) -> list[Datapoint]:
    points = [
        Datapoint("E1-7", "E1 §56(b), §59(a)", "credits_cancelled", e17.cancelled_t, "t CO2e"),
        Datapoint("E1-7", "E1 AR 62", "credits_removals_share", e17.removals_percent, "%"),
        Datapoint("E1-7", "E1 AR 62", "credits_reductions_share", e17.reductions_percent, "%"),
        Datapoint("E1-7", "E1 AR 62", "credits_kind_not_recorded_share", e17.unknown_percent, "%"),
    ]
    removals = [c for c in cancelled if c.kind is CreditKind.REMOVAL]
    for kind in ("biogenic", "technological", "not_recorded"):
        tonnes = sum((c.tonnes for c in removals if sink(c) == kind), Decimal(0))
        points.append(Datapoint("E1-7", "E1 AR 62", f"credits_removals_{kind}", tonnes, "t CO2e"))
    for share in e17.by_standard:
        points.append(Datapoint("E1-7", "E1 AR 62", "credits_standard_share", share.percent, "%",
                                detail=share.label))
    points += [
        Datapoint("E1-7", "E1 AR 62", "credits_eu_share", e17.eu_percent, "%"),
        Datapoint("E1-7", "E1 AR 62", "credits_outside_eu_share",
                  (Decimal(100) - e17.eu_percent) if e17.cancelled_t else Decimal(0), "%"),
        Datapoint("E1-7", "E1 AR 62", "credits_corresponding_adjustment_share",
                  e17.corresponding_adjustment_percent, "%"),
    ]
    if e17.planned is not None:
        points.append(Datapoint("E1-7", "E1 §59(b)", "credits_planned", e17.planned.tonnes, "t CO2e",
                                detail=e17.planned.as_of.isoformat()))
    return points


def assemble(facts: YearFacts, screening: Sequence[CategoryScreening], e17: EsrsE17,
             cancelled: Sequence[RetiredCredit]) -> EsrsReport:
    """E1-4, E1-5, E1-6 and E1-7 of a year, in that order (module doc)."""
    points = [*_e1_4(facts), *_e1_5(facts), *_e1_6(facts, screening), *_e1_7(e17, cancelled)]
    return EsrsReport(facts.year, not facts.closed, facts.organisation, facts.org_number, tuple(points))


def _json_value(value: Decimal | int | str | bool | None) -> Any:
    if isinstance(value, Decimal):
        return float(f"{value:.6g}") if value and abs(value) < 1 else float(round(value, 3))
    return value


def esrs_json(report: EsrsReport) -> dict[str, Any]:
    return {
        "standard": ESRS,
        "year": report.year,
        "draft": report.draft,
        "organisation": report.organisation,
        "org_number": report.org_number,
        "datapoints": [
            {"disclosure": p.disclosure, "reference": p.reference, "key": p.key,
             "value": _json_value(p.value), "unit": p.unit, "detail": p.detail}
            for p in report.datapoints
        ],
    }
