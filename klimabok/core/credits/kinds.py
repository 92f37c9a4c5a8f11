"""Removal or reduction, inferred from what the registry export says about the project.

A registry label ("Carbon Dioxide Removals", "Emission Reduction") or a kind recorded on the
project always wins; only when neither says, :func:`infer_kind` reads the export's methodology
and project type against :data:`KIND_RULES`, one declarative table with the source of each row.
A block that matches no row, or rows that disagree, stays "unknown" (a screening warning).

Reduction includes avoidance (REDD+ avoids emissions from deforestation that would have
happened); removal is carbon taken out of the atmosphere and stored (planting trees: ARR).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from klimabok.core.credits.registries import CreditKind, Project


@dataclass(frozen=True, slots=True)
class KindRule:
    """``pattern`` (case-insensitive) found in the project's ``field`` means ``kind``."""

    field: str  #: "methodology" or "project_type"
    pattern: str
    kind: CreditKind
    what: str  #: what the rule recognises, as shown on the screening
    source: str


_CDM_AR = ("UNFCCC CDM Methodology Booklet, sectoral scope 14 'Afforestation and reforestation' "
           "(AR-AM, AR-ACM, AR-AMS methodologies)")
_VERRA = "Verra VCS methodology list (verra.org/methodologies), the methodology's title"
_GS = "Gold Standard methodology list (globalgoals.goldstandard.org), the methodology's title"

#: Methodology rows first: the methodology is more specific than the project type.
KIND_RULES: tuple[KindRule, ...] = (
    KindRule("methodology", r"\bAR-(?:AM|ACM|AMS)", CreditKind.REMOVAL,
             "CDM afforestation/reforestation methodology", _CDM_AR),
    KindRule("methodology", r"\bVM0047\b", CreditKind.REMOVAL,
             "VM0047 afforestation, reforestation and revegetation (ARR)", _VERRA),
    KindRule("methodology", r"\bVM00(?:07|09|15|48)\b", CreditKind.REDUCTION,
             "REDD+ methodology (avoided deforestation)", _VERRA),
    KindRule("methodology", r"\bVMR0006\b|\bAMS-II\.G\b|\bTPDDTEC\b|\bcookstove", CreditKind.REDUCTION,
             "cookstove methodology (less non-renewable biomass burnt)",
             "Verra VMR0006, CDM AMS-II.G, Gold Standard TPDDTEC: methodology titles"),
    KindRule("project_type", r"\bREDD\b|\bREDD\+|avoided deforestation", CreditKind.REDUCTION,
             "REDD+ project (avoided deforestation)", _VERRA),
    KindRule("project_type", r"cookstove", CreditKind.REDUCTION, "cookstove project", _GS),
    KindRule("project_type", r"afforestation|reforestation|revegetation|\bARR\b|\bA/R\b",
             CreditKind.REMOVAL, "afforestation/reforestation (ARR) project", _VERRA),
    KindRule("project_type", r"^(?:energy efficiency|renewable energy)\b", CreditKind.REDUCTION,
             "energy efficiency or renewable energy project (nothing is taken out of the air)", _GS),
)


@dataclass(frozen=True, slots=True)
class InferredKind:
    kind: CreditKind
    rule: KindRule
    text: str  #: the export's text the rule matched


def infer_kind(project: Project) -> InferredKind | None:
    """The kind :data:`KIND_RULES` give the project; None when no row matches or the rows disagree."""
    found = [InferredKind(rule.kind, rule, getattr(project, rule.field))
             for rule in KIND_RULES
             if re.search(rule.pattern, getattr(project, rule.field), re.IGNORECASE)]
    if not found or len({f.kind for f in found}) > 1:
        return None
    return found[0]
