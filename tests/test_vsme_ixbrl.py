"""The VSME B3/C3 Inline XBRL document, validated by Arelle against the taxonomy's structure.

Arelle checks the Inline XBRL 1.1, XBRL 2.1 and XBRL Dimensions 1.0 rules with the stand-in package of
``tests/xbrl/stub_taxonomy.py`` (same namespace, elements, period types, hypercubes and default members as
the VSME taxonomy 2026-05-01; see its docstring for what it leaves out). A document made wrong on purpose
shows the check is real.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from klimabok.core.report.ixbrl import NS, IxbrlUnavailable, document, load_taxonomy
from klimabok.core.report.vsme import Energy, TargetFacts, YearFacts, datapoints
from tests.xbrl.arelle import validate


def _facts(**changes: object) -> YearFacts:
    base: dict[str, object] = dict(
        organisation="Nordlys Kundesenter AS", org_number="928467139", year=2024, closed=True,
        scope_1=Decimal("12.5"), scope_2_location=Decimal("30.1"), scope_2_market=Decimal("250.2"),
        scope_3=Decimal("400"),
        energy=Energy(Decimal(100), Decimal(200), Decimal(0), Decimal(50), Decimal(80)),
        revenue=Decimal(45_000_000), identifier_scheme="LEI", identifier="5299KLIMABOKDEMO0142",
        targets=(TargetFacts("Scope 1 og 2 −50 %", "scope_1_2", "market", "absolute", 2019, 2030,
                             Decimal(300), Decimal(50)),),
        main_actions=("LED-belysning", "Elbiler"),
    )
    base.update(changes)
    return YearFacts(**base)  # type: ignore[arg-type]


def _tagged(doc: bytes) -> dict[tuple[str, str], str]:
    """(element, the context's member or "") -> the text of the fact, read back out of the document."""
    root = etree.fromstring(doc)
    members = {
        c.get("id"): "".join(m.text or "" for m in c.iter(f"{{{NS['xbrldi']}}}explicitMember"))
        for c in root.iter(f"{{{NS['xbrli']}}}context")
    }
    out = {}
    for tag in ("nonFraction", "nonNumeric"):
        for fact in root.iter(f"{{{NS['ix']}}}{tag}"):
            out[(fact.get("name", ""), members[fact.get("contextRef")])] = "".join(fact.itertext()).strip()
    return out


def test_arelle_finds_no_error_in_b3_and_c3(tmp_path: Path) -> None:
    doc = document(datapoints(_facts()), made_on=date(2025, 2, 1))
    assert validate(doc, tmp_path) == []
    tagged = _tagged(doc)
    # 100 + 200 MWh electricity + 50 MWh fuels + 80 MWh heat = 430 MWh
    assert tagged[("vsme:TotalEnergyConsumption", "")] == "430.000"
    assert tagged[("vsme:EnergyConsumptionFromElectricity", "vsme:RenewableEnergyMember")] == "100.000"
    # the default members (total, currently stated) are no dimension of a context (XBRL Dimensions 2.7.1)
    assert tagged[("vsme:EnergyConsumptionFromElectricity", "")] == "300.000"
    assert tagged[("vsme:GrossScope3GreenhouseGasEmissions", "")] == "400.000"
    # 12.5 + 250.2 + 400 = 662.7 t market-based; per NOK of 45 million: 0.000014727 t
    assert tagged[("vsme:TotalGrossMarketBasedGHGEmissions", "")] == "662.700"
    assert tagged[("vsme:TotalMarketBasedGreenhouseGasEmissionsIntensityValue", "")] == "0.000014727"
    # C3: base 300 t, −50 % → 150 t in 2030, on the reporting-scopes axis
    s12 = "vsme:TotalGrossMarketBasedScope1AndScope2GHGEmissions"
    assert tagged[(s12, "vsme:BaselineYearMember")] == "300.000"
    assert tagged[(s12, "vsme:TargetYearMember")] == "150.000"
    assert tagged[("vsme:GreenhouseGasEmissionReductionTargetYear", "")] == "2030"
    actions = "vsme:DisclosureOfListOfMainActionsTheEntitySeeksInOrderToAchieveItsTargets"
    assert "LED-belysning" in tagged[(actions, "")]


def test_every_datapoint_is_tagged_once(tmp_path: Path) -> None:
    report = datapoints(_facts())
    doc = document(report)
    assert len(_tagged(doc)) == len(report.datapoints)


def test_a_document_with_a_default_member_in_a_context_fails_arelle(tmp_path: Path) -> None:
    """The check can fail: the total member written into a context is an error Arelle names."""
    doc = document(datapoints(_facts()))
    wrong = doc.replace(b"vsme:RenewableEnergyMember</xbrldi:explicitMember>",
                        b"vsme:TotalRenewableAndNonRenewableEnergyMember</xbrldi:explicitMember>", 1)
    codes = {code for _level, code, _text in validate(wrong, tmp_path)}
    assert "xbrldie:DefaultValueUsedInInstanceError" in codes


def test_a_member_off_its_table_fails_arelle(tmp_path: Path) -> None:
    doc = document(datapoints(_facts()))
    wrong = doc.replace(b'dimension="vsme:ReportingScopesAxis">vsme:BaselineYearMember',
                        b'dimension="vsme:BreakdownOfEnergyConsumptionAxis">vsme:RenewableEnergyMember', 1)
    codes = {code for _level, code, _text in validate(wrong, tmp_path)}
    assert "xbrldie:PrimaryItemDimensionallyInvalidError" in codes


def test_an_open_year_says_draft() -> None:
    doc = document(datapoints(_facts(closed=False)))
    assert b"DRAFT: the year is not closed" in doc


@pytest.mark.parametrize(("scheme", "identifier"), [("", ""), ("DUNS", "150483782")])
def test_without_an_lei_there_is_no_document(scheme: str, identifier: str) -> None:
    with pytest.raises(IxbrlUnavailable, match="needs the organisation's LEI"):
        document(datapoints(_facts(identifier_scheme=scheme, identifier=identifier)))


def test_the_curated_table_covers_every_element_klimabok_reports() -> None:
    taxonomy = load_taxonomy()
    for key in datapoints(_facts()).datapoints:
        element = key.split("_", 1)[0]
        assert f"vsme:{element}" in taxonomy.concepts, element
