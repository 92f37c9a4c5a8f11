"""What a certificate states: the facts, frozen, and their JSON snapshot.

Pure Python (no Django), so the PDF renderer, the public page and the tests
share one description of a certificate. A certificate prints exactly a
:class:`CertificateFacts`; the ``Certificate`` row keeps :meth:`CertificateFacts.to_json`
of it, so the PDF can be rendered again, byte for byte, years later.

Units: one credit = one tonne CO2e, so ``tonnes`` and every ``quantity`` are
whole credits.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any

LANGUAGES = ("nb", "en")

#: Registries by the code the credits core uses, with the name a reader knows them by.
REGISTRY_NAMES = {
    "verra": "Verra (VCS)",
    "gold-standard": "Gold Standard",
    "cdm": "CDM",
    "isometric": "Isometric",
    "puro": "Puro.earth",
    "plan-vivo": "Plan Vivo",
}


def registry_name(registry: str) -> str:
    """``"verra"`` → ``"Verra (VCS)"``; an unknown code is shown as given."""
    return REGISTRY_NAMES.get(registry, registry)


def registry_project_url(registry: str, project_id: str, given_url: str = "") -> str:
    """The public page of a project in its registry, or ``""`` when there is none to link.

    Verra and Gold Standard have stable URL patterns by project ID; other
    registries (Isometric, Puro, Plan Vivo) are linked only by the URL their
    export gave, because their IDs do not map to a page by a documented rule.
    """
    project_id = project_id.strip()
    if registry == "verra" and project_id:
        return f"https://registry.verra.org/app/projectDetail/VCS/{project_id}"
    if registry == "gold-standard" and project_id:
        return f"https://registry.goldstandard.org/projects/details/{project_id.removeprefix('GS')}"
    return given_url if given_url.startswith("https://") else ""


@dataclass(frozen=True)
class ProjectFacts:
    """A project the retired credits come from, as its registry describes it.

    ``kind`` is ``removal`` | ``reduction`` | ``unknown``; ``nature`` is
    ``nature-based`` | ``technological`` | ``""`` (not recorded). ``labels`` are
    the co-benefit labels exactly as the registry gives them ("CCB Gold",
    "SDG 13"): klimabok claims no co-benefit the registry does not.
    """

    name: str
    registry: str
    project_id: str
    country: str
    kind: str = "unknown"
    nature: str = ""
    labels: tuple[str, ...] = ()
    url: str = ""

    @property
    def registry_url(self) -> str:
        return registry_project_url(self.registry, self.project_id, self.url)


@dataclass(frozen=True)
class SerialRangeFacts:
    """One retired serial range: the registry's serial of exactly this range, its vintage and size."""

    serial: str
    project_id: str
    vintage: str
    quantity: int


@dataclass(frozen=True)
class CertificateFacts:
    """Everything a certificate prints. ``language`` (nb | en) is chosen when it is rendered."""

    number: str
    organisation_name: str
    organisation_number: str
    tonnes: int
    reporting_year: int
    retired_on: date
    projects: tuple[ProjectFacts, ...]
    serial_ranges: tuple[SerialRangeFacts, ...]
    beneficiary: str
    registry_reference: str
    registry_reference_url: str
    verification_url: str
    ledger_hash: str
    issued_at: datetime
    partner_name: str
    language: str = "nb"

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {self.language!r}")
        if sum(r.quantity for r in self.serial_ranges) != self.tonnes:
            raise ValueError(f"serial ranges add up to {sum(r.quantity for r in self.serial_ranges)} "
                             f"credits, not the certificate's {self.tonnes}")

    def in_language(self, language: str) -> CertificateFacts:
        return replace(self, language=language)

    @property
    def vintages(self) -> tuple[str, ...]:
        """The distinct vintages, in the order the ranges give them."""
        return tuple(dict.fromkeys(r.vintage for r in self.serial_ranges))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings); :meth:`from_json` reads it back equal."""
        data = asdict(self)
        data["retired_on"] = self.retired_on.isoformat()
        data["issued_at"] = self.issued_at.isoformat()
        data["projects"] = [{**p, "labels": list(p["labels"])} for p in data["projects"]]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CertificateFacts:
        return cls(**{
            **data,
            "retired_on": date.fromisoformat(data["retired_on"]),
            "issued_at": datetime.fromisoformat(data["issued_at"]),
            "projects": tuple(ProjectFacts(**{**p, "labels": tuple(p["labels"])}) for p in data["projects"]),
            "serial_ranges": tuple(SerialRangeFacts(**r) for r in data["serial_ranges"]),
        })
