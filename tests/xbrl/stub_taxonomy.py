"""A taxonomy package standing in for the VSME XBRL taxonomy 2026-05-01, for Arelle to check against offline.

The real package is at https://xbrl.efrag.org/taxonomy/vsme/2026-05-01/ and is not in the repository (nor
reachable from a test). This builds, from klimabok's curated table of it (``klimabok/data/vsme/
b3-c3-concepts.json``, derived from EFRAG's taxonomy JSON), a package whose catalog maps the real entry
point to a schema that declares the same elements in the same namespace with the same period types,
XBRL base types, abstract/dimension/hypercube roles, and a definition linkbase with the same hypercubes
(closed, on the scenario), dimensions, members and default members. So Arelle checks the document against
the Inline XBRL 1.1, XBRL 2.1 and XBRL Dimensions 1.0 rules as the taxonomy's structure makes them.

Not covered: the taxonomy's DTR item types (the elements here use their XBRL base types, so the Units
Registry's check of a unit against its item type does not run), its labels and references, and its
calculation and formula linkbases.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import quoteattr

from klimabok.core.report.ixbrl import Taxonomy, load_taxonomy

XSD_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xbrli="http://www.xbrl.org/2003/instance"
  xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:xbrldt="http://xbrl.org/2005/xbrldt" xmlns:vsme="{ns}" targetNamespace="{ns}"
  elementFormDefault="qualified" attributeFormDefault="unqualified">
 <xs:annotation><xs:appinfo>
  <link:linkbaseRef xlink:type="simple" xlink:href="vsme-def.xml"
    xlink:role="http://www.xbrl.org/2003/role/definitionLinkbaseRef"
    xlink:arcrole="http://www.w3.org/1999/xlink/properties/linkbase"/>
{roles} </xs:appinfo></xs:annotation>
 <xs:import namespace="http://www.xbrl.org/2003/instance"
   schemaLocation="http://www.xbrl.org/2003/xbrl-instance-2003-12-31.xsd"/>
 <xs:import namespace="http://xbrl.org/2005/xbrldt" schemaLocation="http://www.xbrl.org/2005/xbrldt-2005.xsd"/>
"""

ENTRY_POINT = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{ns}" elementFormDefault="qualified">
 <xs:import namespace="{ns_core}" schemaLocation="vsme.xsd"/>
</xs:schema>
"""

ARCROLE = "http://xbrl.org/int/dim/arcrole/"
XBRLDT = "http://www.xbrl.org/2005/xbrldt-2005.xsd"


def _element(name: str, concept: dict[str, object]) -> str:
    local = name.split(":", 1)[1]
    if concept.get("dimension") or local.endswith("Axis"):
        group, kind = "xbrldt:dimensionItem", "xbrli:stringItemType"
    elif local.endswith("Table"):
        group, kind = "xbrldt:hypercubeItem", "xbrli:stringItemType"
    else:
        group, kind = "xbrli:item", str(concept["base_type"])
    abstract = "true" if concept["abstract"] or group != "xbrli:item" else "false"
    return (f' <xs:element id="vsme_{local}" name="{local}" type="{kind}" substitutionGroup="{group}" '
            f'xbrli:periodType="{concept["period_type"]}" abstract="{abstract}" nillable="true"/>\n')


def schema(taxonomy: Taxonomy) -> str:
    roles = "".join(
        f'  <link:roleType roleURI="{t}" id="r{i}"><link:usedOn>link:definitionLink</link:usedOn>'
        f"</link:roleType>\n" for i, t in enumerate(_roles(taxonomy)))
    body = "".join(_element(name, c) for name, c in sorted(taxonomy.concepts.items()))
    return XSD_HEAD.format(ns=taxonomy.namespace, roles=roles) + body + "</xs:schema>\n"


def _roles(taxonomy: Taxonomy) -> list[str]:
    return sorted({t["role"] for t in taxonomy.tables})


def _loc(name: str) -> str:
    return f'<link:loc xlink:type="locator" xlink:href="vsme.xsd#vsme_{name.split(":", 1)[1]}" ' \
           f'xlink:label="{_label(name)}"/>'


def _label(name: str) -> str:
    return name.replace(":", "_")


def _arc(arcrole: str, source: str, target: str, extra: str = "") -> str:
    return (f'<link:definitionArc xlink:type="arc" xlink:arcrole="{ARCROLE}{arcrole}" '
            f'xlink:from="{_label(source)}" xlink:to="{_label(target)}"{extra}/>')


def _link(role: str, names: set[str], arcs: list[str]) -> str:
    body = "\n  ".join([_loc(n) for n in sorted(names)] + arcs)
    return (f'<link:definitionLink xlink:type="extended" xlink:role={quoteattr(role)}>\n  {body}\n'
            " </link:definitionLink>")


def definition_linkbase(taxonomy: Taxonomy) -> str:
    links = []
    for table in taxonomy.tables:
        cube = table["hypercube"]
        names: set[str] = {cube, *table["primary_items"]}
        closed = f' xbrldt:closed="{str(table["closed"]).lower()}"'
        element = f' xbrldt:contextElement="{table["context_element"]}"'
        arcs = [_arc("all", primary, cube, closed + element) for primary in table["primary_items"]]
        for axis, members in table["explicit_dimensions"].items():
            default = taxonomy.defaults.get(axis)
            domain = default if default is not None and default in members else members[0]
            names.update((axis, *members))
            arcs += [_arc("hypercube-dimension", cube, axis), _arc("dimension-domain", axis, domain)]
            arcs += [_arc("domain-member", domain, member) for member in members if member != domain]
        links.append(_link(table["role"], names, arcs))
    # the defaults in the standard link role (one arc each, not in every table's role)
    defaults = sorted(taxonomy.defaults.items())
    links.append(_link("http://www.xbrl.org/2003/role/link", {n for pair in defaults for n in pair},
                       [_arc("dimension-default", axis, member) for axis, member in defaults]))
    role_refs = "".join(f' <link:roleRef roleURI="{r}" xlink:type="simple" xlink:href="vsme.xsd#r{i}"/>\n'
                        for i, r in enumerate(_roles(taxonomy)))
    arcrole_refs = "".join(
        f' <link:arcroleRef arcroleURI="{ARCROLE}{a}" xlink:type="simple" xlink:href="{XBRLDT}#{a}"/>\n'
        for a in ("all", "hypercube-dimension", "dimension-domain", "domain-member", "dimension-default"))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xbrldt="http://xbrl.org/2005/xbrldt">\n'
            + role_refs + arcrole_refs + " " + "\n ".join(links) + "\n</link:linkbase>\n")


def package(taxonomy: Taxonomy | None = None) -> bytes:
    """The taxonomy package (a ZIP, Taxonomy Packages 1.0) mapping the VSME entry point to the stub."""
    taxonomy = taxonomy or load_taxonomy()
    base = taxonomy.entry_point.rsplit("/", 1)[0] + "/"
    entry = taxonomy.entry_point.rsplit("/", 1)[1]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("vsme-stub/META-INF/taxonomyPackage.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<tp:taxonomyPackage xmlns:tp="http://xbrl.org/2016/taxonomy-package" xml:lang="en">
 <tp:identifier>urn:klimabok:test:vsme-stub:2026-05-01</tp:identifier>
 <tp:name>VSME 2026-05-01 stand-in for offline tests (klimabok)</tp:name>
 <tp:version>2026-05-01</tp:version>
 <tp:entryPoints><tp:entryPoint><tp:name>VSME</tp:name>
  <tp:entryPointDocument href="{taxonomy.entry_point}"/></tp:entryPoint></tp:entryPoints>
</tp:taxonomyPackage>
""")
        z.writestr("vsme-stub/META-INF/catalog.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
 <rewriteURI uriStartString="{base}" rewritePrefix="../taxonomy/"/>
</catalog>
""")
        entry_point = ENTRY_POINT.format(ns=taxonomy.entry_point, ns_core=taxonomy.namespace)
        z.writestr(f"vsme-stub/taxonomy/{entry}", entry_point)
        z.writestr("vsme-stub/taxonomy/vsme.xsd", schema(taxonomy))
        z.writestr("vsme-stub/taxonomy/vsme-def.xml", definition_linkbase(taxonomy))
    return out.getvalue()
