"""EFRAG VSME B3 (energy and greenhouse gas emissions) and C3 (reduction targets) of a year.

The datapoints are keyed by the names of the named ranges of the official EFRAG VSME digital template
1.3.0: each is a taxonomy element of the VSME XBRL taxonomy 2026-05-01 (``vsme:GrossScope1…``), with
``_<Member>`` appended where the template's cell sits on a dimension member (``…_BaselineYearMember``,
``…_RenewableEnergyMember``). :func:`datapoints` is the mapping, :func:`template_json` the JSON and
:func:`fill_template` writes the same values into the template's named cells (the template is not
shipped: its path is configured, see ``klimabok/reports/vsme_template.py``).

**B3 energy** (MWh). Electricity: the kWh covered by guarantees of origin cancelled for the company are
renewable (the market-based instrument, GHG Protocol Scope 2 Guidance ch. 6); the rest is counted
non-renewable (the residual mix; its small renewable share is not claimed). Fuels burnt on site entered
in an energy unit: renewable when the fuel is biogenic (``bio`` in the key), otherwise non-renewable; a
fuel in litres or tonnes is left out (no calorific value with a source here) and named in
:attr:`Energy.not_converted`. District heating has no row in the template's breakdown: it is in
``TotalEnergyConsumption`` only.

**B3 emissions** (t CO2e): gross scope 1, scope 2 location- and market-based, scope 3 (the account's
whole scope 3; per GHG Protocol category in the template's table, rows 30–44, which has no taxonomy
element, so the JSON gives it apart from the datapoints), the totals, and the intensities per turnover
(t CO2e per unit of the report's currency, the template's own formula: emissions / turnover).

**C3 targets.** The template holds one base year and one target year: those of the first absolute
target (by target year, then name); every absolute target with the same pair fills the cells of its
coverage with its recorded base-year emissions and base × (1 − reduction %). Intensity targets and
targets with another pair are not in C3 (:attr:`VsmeReport.targets_not_in_c3`). Main actions: the
plan's measures planned, in progress or done.

**Identifier.** The taxonomy's entity identifier schemes (the template's list) are LEI, DUNS, EU ID and
PermID; a Norwegian organisation number is none of them. The scheme and identifier stay empty unless
recorded, and the organisation number is shown beside them (``org_number``), outside the template's
elements.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

TEMPLATE_VERSION = "1.3.0"
TAXONOMY = "VSME XBRL taxonomy 2026-05-01 (EFRAG)"
#: the schemes the template's identifier list offers (sheet "Enumeration Lists", AB2:AB5)
IDENTIFIER_SCHEMES = ("LEI", "DUNS", "EU ID", "PermID")
HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)

Value = Decimal | int | str | bool | date


@dataclass(frozen=True, slots=True)
class EnergyUse:
    """One activity entry's energy in kWh, with the kWh covered by guarantees of origin."""

    key: str  #: the activity key: ``electricity.no``, ``fuel.…``, ``district_heating.…``
    kwh: Decimal | None               #: None: entered in a unit that is not energy (litres, tonnes)
    covered_kwh: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class Energy:
    """The year's energy in MWh by carrier and renewable / non-renewable."""

    electricity_renewable: Decimal = Decimal(0)
    electricity_non_renewable: Decimal = Decimal(0)
    fuels_renewable: Decimal = Decimal(0)
    fuels_non_renewable: Decimal = Decimal(0)
    heat: Decimal = Decimal(0)        #: district heating (or cooling): in the total only
    not_converted: tuple[str, ...] = ()  #: keys of fuels entered in a unit that is not energy

    @property
    def electricity(self) -> Decimal:
        return self.electricity_renewable + self.electricity_non_renewable

    @property
    def fuels(self) -> Decimal:
        return self.fuels_renewable + self.fuels_non_renewable

    @property
    def total(self) -> Decimal:
        return self.electricity + self.fuels + self.heat


def energy(uses: Sequence[EnergyUse]) -> Energy:
    """The energy of a year's entries (module doc: which carrier, what is renewable)."""
    el_r = el_n = fuel_r = fuel_n = heat = Decimal(0)
    not_converted: list[str] = []
    for use in uses:
        carrier = use.key.split(".", 1)[0]
        if carrier not in ("electricity", "fuel", "district_heating"):
            continue
        if use.kwh is None:
            not_converted.append(use.key)
            continue
        mwh = use.kwh / THOUSAND
        if carrier == "electricity":
            covered = min(use.covered_kwh, use.kwh) / THOUSAND
            el_r += covered
            el_n += mwh - covered
        elif carrier == "fuel":
            if "bio" in use.key:
                fuel_r += mwh
            else:
                fuel_n += mwh
        else:
            heat += mwh
    return Energy(el_r, el_n, fuel_r, fuel_n, heat, tuple(sorted(set(not_converted))))


@dataclass(frozen=True, slots=True)
class TargetFacts:
    """A reduction target as the plan records it."""

    name: str
    coverage: str                     #: ``scope_1_2``, ``scope_1``, ``scope_2``, ``scope_3``
    scope2_method: str                #: ``location`` or ``market``
    metric: str                       #: ``absolute`` or an intensity
    base_year: int
    target_year: int
    base_t: Decimal                   #: the base year's emissions on the coverage (t CO2e)
    reduction_percent: Decimal
    scope3_categories: tuple[int, ...] = ()

    @property
    def target_t(self) -> Decimal:
        return self.base_t * (HUNDRED - self.reduction_percent) / HUNDRED


@dataclass(frozen=True, slots=True)
class YearFacts:
    """What the VSME and ESRS E1 reports read of a year: the account's figures, energy, plan, entity."""

    organisation: str                 #: the legal name
    org_number: str                   #: the Norwegian organisation number ("" not recorded)
    year: int
    closed: bool                      #: False: an open year's report is a draft
    scope_1: Decimal                  #: t CO2e
    scope_2_location: Decimal
    scope_2_market: Decimal
    scope_3: Decimal
    energy: Energy
    period_start: date | None = None
    period_end: date | None = None
    currency: str = "NOK"
    revenue: Decimal | None = None    #: the year's turnover / net revenue in ``currency``
    identifier_scheme: str = ""       #: one of :data:`IDENTIFIER_SCHEMES`, "" none recorded
    identifier: str = ""
    scope_3_by_category: Mapping[int, Decimal] = field(default_factory=dict)
    biogenic_co2_t: Decimal = Decimal(0)
    targets: tuple[TargetFacts, ...] = ()
    main_actions: tuple[str, ...] = ()

    @property
    def start(self) -> date:
        return self.period_start or date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return self.period_end or date(self.year, 12, 31)


#: the element (with member) a target's coverage fills, by coverage and scope 2 method
_COVERAGE_ELEMENT = {
    ("scope_1", "location"): "GrossScope1GreenhouseGasEmissions",
    ("scope_1", "market"): "GrossScope1GreenhouseGasEmissions",
    ("scope_2", "location"): "GrossLocationBasedScope2GreenhouseGasEmissions",
    ("scope_2", "market"): "GrossMarketBasedScope2GreenhouseGasEmissions",
    ("scope_1_2", "location"): "TotalGrossLocationBasedScope1AndScope2GHGEmissions",
    ("scope_1_2", "market"): "TotalGrossMarketBasedScope1AndScope2GHGEmissions",
    ("scope_3", "location"): "GrossScope3GreenhouseGasEmissions",
    ("scope_3", "market"): "GrossScope3GreenhouseGasEmissions",
}


@dataclass(frozen=True, slots=True)
class VsmeReport:
    year: int
    draft: bool
    entity: dict[str, str]
    datapoints: dict[str, Value]
    targets_not_in_c3: tuple[str, ...]
    not_converted: tuple[str, ...]
    #: scope 3 by GHG Protocol category (1–15), t CO2e: the template's category table (no taxonomy element)
    scope_3_by_category: dict[int, Decimal] = field(default_factory=dict)


def c3_targets(targets: Sequence[TargetFacts]) -> tuple[tuple[TargetFacts, ...], tuple[TargetFacts, ...]]:
    """(the targets C3 holds, the others): the absolute targets sharing the first one's years."""
    absolute = sorted((t for t in targets if t.metric == "absolute"), key=lambda t: (t.target_year, t.name))
    if not absolute:
        return (), tuple(targets)
    pair = (absolute[0].base_year, absolute[0].target_year)
    used = tuple(t for t in absolute if (t.base_year, t.target_year) == pair)
    return used, tuple(t for t in targets if t not in used)


def _intensity(tonnes: Decimal, revenue: Decimal | None) -> Decimal | None:
    return tonnes / revenue if revenue else None


def datapoints(facts: YearFacts) -> VsmeReport:
    """B3 and C3 keyed by the template's named ranges (module doc)."""
    e = facts.energy
    s12_loc = facts.scope_1 + facts.scope_2_location
    s12_mkt = facts.scope_1 + facts.scope_2_market
    total_loc = s12_loc + facts.scope_3
    total_mkt = s12_mkt + facts.scope_3
    points: dict[str, Value] = {
        "TotalEnergyConsumption": e.total,
        "EnergyConsumptionFromElectricity_RenewableEnergyMember": e.electricity_renewable,
        "EnergyConsumptionFromElectricity_NonRenewableEnergyMember": e.electricity_non_renewable,
        "EnergyConsumptionFromElectricity_TotalRenewableAndNonRenewableEnergyMember": e.electricity,
        "EnergyConsumptionFromFuels_RenewableEnergyMember": e.fuels_renewable,
        "EnergyConsumptionFromFuels_NonRenewableEnergyMember": e.fuels_non_renewable,
        "EnergyConsumptionFromFuels_TotalRenewableAndNonRenewableEnergyMember": e.fuels,
        "GrossScope1GreenhouseGasEmissions": facts.scope_1,
        "GrossLocationBasedScope2GreenhouseGasEmissions": facts.scope_2_location,
        "GrossMarketBasedScope2GreenhouseGasEmissions": facts.scope_2_market,
        "TotalGrossLocationBasedScope1AndScope2GHGEmissions": s12_loc,
        "TotalGrossMarketBasedScope1AndScope2GHGEmissions": s12_mkt,
        "GrossScope3GreenhouseGasEmissions_CurrentlyStatedMember": facts.scope_3,
        "TotalGrossLocationBasedGHGEmissions_CurrentlyStatedMember": total_loc,
        "TotalGrossMarketBasedGHGEmissions_CurrentlyStatedMember": total_mkt,
    }
    for name, tonnes in (
        ("Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased", s12_loc),
        ("Scope1AndScope2GreenhouseGasEmissionsIntensityValueMarketBased", s12_mkt),
        ("TotalLocationBasedGreenhouseGasEmissionsIntensityValue", total_loc),
        ("TotalMarketBasedGreenhouseGasEmissionsIntensityValue", total_mkt),
    ):
        value = _intensity(tonnes, facts.revenue)
        if value is not None:
            points[name] = value
    used, others = c3_targets(facts.targets)
    if used:
        points["GreenhouseGasEmissionReductionTargetBaseYear"] = used[0].base_year
        points["GreenhouseGasEmissionReductionTargetYear"] = used[0].target_year
        for target in used:
            element = _COVERAGE_ELEMENT[(target.coverage, target.scope2_method)]
            points[f"{element}_BaselineYearMember"] = target.base_t
            points[f"{element}_TargetYearMember"] = target.target_t
    if facts.main_actions:
        points["DisclosureOfListOfMainActionsTheEntitySeeksInOrderToAchieveItsTargets"] = "\n".join(
            f"- {action}" for action in facts.main_actions
        )
    entity = {
        "name": facts.organisation,
        "identifier_scheme": facts.identifier_scheme,
        "identifier": facts.identifier,
        "org_number": facts.org_number,
        "currency": facts.currency,
        "period_start": facts.start.isoformat(),
        "period_end": facts.end.isoformat(),
    }
    return VsmeReport(
        facts.year,
        not facts.closed,
        entity,
        points,
        tuple(t.name for t in others),
        e.not_converted,
        {category: facts.scope_3_by_category[category] for category in sorted(facts.scope_3_by_category)},
    )


def _json_value(value: Value) -> Any:
    if isinstance(value, Decimal):
        # tonnes and MWh to the kilogram / kWh; an intensity per currency unit keeps 6 significant digits
        if value and abs(value) < 1:
            return float(f"{value:.6g}")
        return float(round(value, 3))
    if isinstance(value, date):
        return value.isoformat()
    return value


def template_json(report: VsmeReport) -> dict[str, Any]:
    """The report as JSON: the datapoints keyed by the template's element names, the entity apart."""
    return {
        "standard": "EFRAG VSME (Delegated Regulation (EU) 2026/1560), B3 and C3",
        "template": f"EFRAG VSME digital template {TEMPLATE_VERSION}",
        "taxonomy": TAXONOMY,
        "year": report.year,
        "draft": report.draft,
        "entity": report.entity,
        "units": {
            "energy": "MWh",
            "emissions": "t CO2e",
            "intensity": f"t CO2e per {report.entity['currency']}",
        },
        "datapoints": {name: _json_value(value) for name, value in report.datapoints.items()},
        # the template's table of scope 3 categories (rows 30–44 of "Environmental Disclosures"): the
        # taxonomy has no element per category, so these are not datapoints
        "scope_3_by_category": {str(c): _json_value(t) for c, t in report.scope_3_by_category.items()},
        "targets_not_in_c3": list(report.targets_not_in_c3),
        "fuels_not_converted": list(report.not_converted),
    }


# --- The template -----------------------------------------------------------------------------------

#: input cells of template 1.3.0 that carry no named range of their own (sheet, cell)
ENTITY_CELLS = {
    "template_reporting_entity_name": ("General Information", "D3"),
    "template_reporting_entity_identifier_scheme": ("General Information", "D4"),
    "template_reporting_entity_identifier": ("General Information", "E4"),
    "template_currency": ("General Information", "D5"),
}
PERIOD_CELLS = {
    "start": ("General Information", ("D6", "D7", "D8")),
    "end": ("General Information", ("D10", "D11", "D12")),
}
#: the template's yes/no switches: the renewable split given (B3), targets set (C3), scope 3 given
SWITCH_CELLS = {
    "renewable_split": ("Environmental Disclosures", "G10"),
    "targets": ("Environmental Disclosures", "J19"),
    "scope_3": ("Environmental Disclosures", "G29"),
}
DRAFT_CELL = ("Environmental Disclosures", "C1")
#: the template's scope 3 table: category n's current-year cell (D30 … D44, each merged over D:F)
SCOPE_3_CATEGORY_CELLS = {n: ("Environmental Disclosures", f"D{29 + n}") for n in range(1, 16)}
#: beside the identifier (E4) and the template's warning (G4): the Norwegian organisation number
ORG_NUMBER_CELL = ("General Information", "H4")


def _cell_value(value: Value) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _named_cell(workbook: Any, name: str) -> tuple[str, str] | None:
    defined = workbook.defined_names.get(name)
    if defined is None:
        return None
    for sheet, ref in defined.destinations:
        return sheet, ref.replace("$", "").split(":", 1)[0]
    return None


def fill_template(
    template: Path | bytes, report: VsmeReport, *, draft_text: str = "", org_number_label: str = ""
) -> bytes:
    """The template with the report's values in its named cells (a value replaces a cell's formula: the
    figures are klimabok's, not the template's sums); ``draft_text`` on top of the B3 sheet for a draft;
    the organisation number beside the identifier, as ``org_number_label: number``.

    A datapoint whose named range the workbook lacks is an error: the template is not the one expected.
    """
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Data Validation extension is not supported"
        workbook = load_workbook(io.BytesIO(template) if isinstance(template, bytes) else template)
    missing = [name for name in report.datapoints if _named_cell(workbook, name) is None]
    if missing:
        raise ValueError(f"not a VSME template {TEMPLATE_VERSION}: no named range {', '.join(missing)}")
    for name, value in report.datapoints.items():
        located = _named_cell(workbook, name)
        assert located is not None
        sheet, cell = located
        workbook[sheet][cell] = _cell_value(value)
    entity = report.entity
    for category, tonnes in report.scope_3_by_category.items():
        sheet, cell = SCOPE_3_CATEGORY_CELLS[category]
        workbook[sheet][cell] = float(tonnes)
    for key, value in (
        ("template_reporting_entity_name", entity["name"]),
        ("template_reporting_entity_identifier_scheme", entity["identifier_scheme"]),
        ("template_reporting_entity_identifier", entity["identifier"]),
        ("template_currency", entity["currency"]),
    ):
        sheet, cell = ENTITY_CELLS[key]
        workbook[sheet][cell] = value or None
    if entity["org_number"]:
        sheet, cell = ORG_NUMBER_CELL
        workbook[sheet][cell] = f"{org_number_label}: {entity['org_number']}".lstrip(": ")
    for key, (sheet, cells) in PERIOD_CELLS.items():
        day = date.fromisoformat(entity[f"period_{key}"])
        for cell, part in zip(cells, (day.year, day.month, day.day), strict=True):
            workbook[sheet][cell] = part
    points = report.datapoints
    switches = {
        "renewable_split": True,
        "targets": "GreenhouseGasEmissionReductionTargetYear" in points,
        "scope_3": True,
    }
    for key, on in switches.items():
        sheet, cell = SWITCH_CELLS[key]
        workbook[sheet][cell] = on
    if report.draft:
        sheet, cell = DRAFT_CELL
        workbook[sheet][cell] = draft_text
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
