"""VSME B3 and C3 as an Inline XBRL 1.1 document, tagged with the VSME XBRL taxonomy 2026-05-01.

The facts are the datapoints of :func:`klimabok.core.report.vsme.datapoints` (the template's named ranges:
an element, with ``_<Member>`` where the cell sits on a dimension member). What the document needs of the
taxonomy (period types, data types, hypercubes, members, default members) is the curated table
``klimabok/data/vsme/b3-c3-concepts.json`` (``scripts/build_vsme_concepts.py``).

- **Entity.** The taxonomy's identifier schemes are LEI, DUNS, EU ID and PermID; XBRL contexts need a
  scheme URI, and only the LEI's is standard (ISO 17442: ``http://standards.iso.org/iso/17442``), so the
  document needs an LEI (:class:`IxbrlUnavailable` otherwise). The Norwegian organisation number is
  printed beside it, untagged.
- **Contexts.** One per period type and member: the report period for duration elements, its last day
  for instant ones (base year, target year); a member goes in the scenario on its axis, except an axis's
  default member, which XBRL Dimensions 1.0 (2.7.1) forbids in a context: a fact on the default is a fact
  without the dimension.
- **Units.** MWh and t CO2e from the XBRL Units Registry (``utr:MWh``, ``utr:tCO2e``); an intensity is t
  CO2e divided by the report's currency (``iso4217``).
- **Numbers** to three decimals (a kilogram, a kWh), an intensity to nine; written with
  ``ixt:num-dot-decimal`` (the Inline XBRL Transformation Registry 4).
- **Draft.** An open year's document says DRAFT at its top; the facts are the same as the account's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from typing import Any

from lxml import etree
from lxml.builder import ElementMaker

from klimabok.core.report.vsme import Value, VsmeReport

NS = {
    "ix": "http://www.xbrl.org/2013/inlineXBRL",
    "ixt": "http://www.xbrl.org/inlineXBRL/transformation/2020-02-12",
    "xbrli": "http://www.xbrl.org/2003/instance",
    "link": "http://www.xbrl.org/2003/linkbase",
    "xlink": "http://www.w3.org/1999/xlink",
    "xbrldi": "http://xbrl.org/2006/xbrldi",
    "iso4217": "http://www.xbrl.org/2003/iso4217",
    "utr": "http://www.xbrl.org/2009/utr",
}
XHTML = "http://www.w3.org/1999/xhtml"
LEI_SCHEME = "http://standards.iso.org/iso/17442"
#: decimals of a fact by the kind of its data type
DECIMALS = {"energy": 3, "ghg": 3, "intensity": 9}


class IxbrlUnavailable(ValueError):
    """The document cannot be made (the message says why, for the user)."""


@dataclass(frozen=True)
class Taxonomy:
    """The curated part of the VSME taxonomy (module doc)."""

    entry_point: str
    namespace: str
    concepts: dict[str, dict[str, Any]]
    defaults: dict[str, str]
    #: member (prefixed) -> its axis (prefixed)
    axis_of: dict[str, str]
    #: the hypercubes: role, hypercube, primary items, explicit dimensions with members, closed, element
    tables: tuple[dict[str, Any], ...] = ()

    def concept(self, name: str) -> dict[str, Any]:
        return self.concepts[f"vsme:{name}"]


def load_taxonomy() -> Taxonomy:
    table = resources.files("klimabok").joinpath("data/vsme/b3-c3-concepts.json")
    data = json.loads(table.read_text("utf-8"))
    axis_of = {member: axis for table in data["tables"]
               for axis, members in table["explicit_dimensions"].items() for member in members}
    return Taxonomy(data["entry_point"], data["namespace"], data["concepts"], data["dimension_defaults"],
                    axis_of, tuple(data["tables"]))


def split_name(key: str, taxonomy: Taxonomy) -> tuple[str, str | None]:
    """A datapoint key as (element, member or None): ``GrossScope1…_BaselineYearMember``."""
    element, _sep, member = key.partition("_")
    if member and f"vsme:{member}" not in taxonomy.axis_of:
        raise ValueError(f"{key}: {member} is no member of the taxonomy's B3/C3 tables")
    return element, (member or None)


def _kind(concept: dict[str, Any]) -> str:
    data_type = concept["data_type"]
    if data_type.endswith("energyItemType"):
        return "energy"
    if data_type.endswith("ghgEmissionsItemType"):
        return "ghg"
    if data_type.endswith("ghgEmissionsPerMonetaryItemType"):
        return "intensity"
    return "other"


def _number(value: Decimal, decimals: int) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    rounded = abs(value).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{rounded:,.{decimals}f}"


@dataclass(frozen=True)
class Fact:
    key: str            #: the datapoint key
    element: str
    member: str | None
    label: str
    value: Value


def facts(report: VsmeReport, taxonomy: Taxonomy) -> list[Fact]:
    out = []
    for key, value in report.datapoints.items():
        element, member = split_name(key, taxonomy)
        label = taxonomy.concept(element)["label"]
        if member:
            label = f"{label} — {taxonomy.concepts[f'vsme:{member}']['label'].removesuffix(' [member]')}"
        out.append(Fact(key, element, member, label, value))
    return out


def document(report: VsmeReport, *, title: str = "", made_on: date | None = None) -> bytes:
    """The Inline XBRL document (XHTML, UTF-8) of ``report``; :class:`IxbrlUnavailable` without an LEI."""
    taxonomy = load_taxonomy()
    entity = report.entity
    if entity["identifier_scheme"] != "LEI" or not entity["identifier"]:
        raise IxbrlUnavailable(
            "An iXBRL report needs the organisation's LEI: XBRL identifies the reporting entity by a "
            "scheme URI, and of the VSME taxonomy's schemes only the LEI has a standard one.")
    start, end, currency = entity["period_start"], entity["period_end"], entity["currency"]
    nsmap: dict[str | None, str] = {None: XHTML, "vsme": taxonomy.namespace}
    nsmap.update(NS)
    h = ElementMaker(namespace=XHTML, nsmap=nsmap)
    ix = ElementMaker(namespace=NS["ix"], nsmap=nsmap)
    xbrli = ElementMaker(namespace=NS["xbrli"], nsmap=nsmap)
    xbrldi = ElementMaker(namespace=NS["xbrldi"], nsmap=nsmap)
    link = ElementMaker(namespace=NS["link"], nsmap=nsmap)
    xlink = f"{{{NS['xlink']}}}"

    contexts: dict[tuple[str, str | None], str] = {}
    context_elements: list[etree._Element] = []

    def context(period_type: str, member: str | None) -> str:
        if member and taxonomy.defaults.get(taxonomy.axis_of[f"vsme:{member}"]) == f"vsme:{member}":
            member = None  # XBRL Dimensions 2.7.1: the default member never appears in a context
        key = (period_type, member)
        if key in contexts:
            return contexts[key]
        ident = f"c{len(contexts) + 1}"
        period = (xbrli.period(xbrli.startDate(start), xbrli.endDate(end)) if period_type == "duration"
                  else xbrli.period(xbrli.instant(end)))
        parts = [xbrli.entity(xbrli.identifier(entity["identifier"], scheme=LEI_SCHEME)), period]
        if member:
            axis = taxonomy.axis_of[f"vsme:{member}"]
            parts.append(xbrli.scenario(xbrldi.explicitMember(f"vsme:{member}", dimension=axis)))
        context_elements.append(xbrli.context(*parts, id=ident))
        contexts[key] = ident
        return ident

    units = {
        "energy": xbrli.unit(xbrli.measure("utr:MWh"), id="u-MWh"),
        "ghg": xbrli.unit(xbrli.measure("utr:tCO2e"), id="u-tCO2e"),
        "intensity": xbrli.unit(xbrli.divide(
            xbrli.unitNumerator(xbrli.measure("utr:tCO2e")),
            xbrli.unitDenominator(xbrli.measure(f"iso4217:{currency}"))), id=f"u-tCO2e-per-{currency}"),
    }
    unit_words = {"energy": "MWh", "ghg": "t CO2e", "intensity": f"t CO2e / {currency}"}
    used_units: set[str] = set()
    rows = []
    for fact in facts(report, taxonomy):
        concept = taxonomy.concept(fact.element)
        ref = context(concept["period_type"], fact.member)
        kind = _kind(concept)
        name = f"vsme:{fact.element}"
        if kind in DECIMALS:
            assert isinstance(fact.value, Decimal | int)
            value = Decimal(fact.value)
            attrs = {"name": name, "contextRef": ref, "unitRef": units[kind].get("id", ""),
                     "decimals": str(DECIMALS[kind]), "format": "ixt:num-dot-decimal", "scale": "0"}
            if value < 0:
                attrs["sign"] = "-"
            cell = h.td(ix.nonFraction(_number(value, DECIMALS[kind]), **attrs), " ", unit_words[kind],
                        **{"class": "num"})
            used_units.add(kind)
        elif concept["data_type"].endswith("textBlockItemType"):
            items = [h.li(line.removeprefix("- ")) for line in str(fact.value).splitlines() if line.strip()]
            cell = h.td(ix.nonNumeric(h.ul(*items), name=name, contextRef=ref, escape="true"))
        else:
            cell = h.td(ix.nonNumeric(str(fact.value), name=name, contextRef=ref))
        rows.append(h.tr(h.th(fact.label, scope="row"), cell))

    header = ix.header(
        ix.references(link.schemaRef(**{f"{xlink}type": "simple", f"{xlink}href": taxonomy.entry_point})),
        ix.resources(*context_elements, *(units[k] for k in DECIMALS if k in used_units)),
    )
    heading = title or f"VSME B3 and C3 — {entity['name']} — {report.year}"
    body = [h.div(header, style="display:none"), h.h1(heading)]
    if report.draft:
        body.append(h.p("DRAFT: the year is not closed; its figures may still change.", **{"class": "draft"}))
    identity = f"LEI {entity['identifier']}"
    if entity.get("org_number"):
        identity += f" · organisation number {entity['org_number']}"
    body.append(h.p(f"{identity} · period {start} – {end}"
                    + (f" · made {made_on.isoformat()}" if made_on else "")))
    body.append(h.table(h.tbody(*rows)))
    body.append(h.p(f"Tagged with the {taxonomy_name(taxonomy)} (EFRAG); made with klimabok."))
    html = h.html(
        h.head(h.meta(**{"http-equiv": "Content-Type", "content": "text/html; charset=UTF-8"}),
               h.title(heading), h.style(STYLE, type="text/css")),
        h.body(*body),
        **{"{http://www.w3.org/XML/1998/namespace}lang": "en"},
    )
    return bytes(etree.tostring(html, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def taxonomy_name(taxonomy: Taxonomy) -> str:
    return f"VSME XBRL taxonomy {taxonomy.namespace.split('/')[-2]}"


STYLE = (
    "body{font-family:sans-serif;margin:2em;max-width:60em}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border-bottom:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}"
    "td.num{text-align:right;white-space:nowrap}"
    ".draft{color:#a00;font-weight:bold}"
)
