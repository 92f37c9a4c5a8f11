"""What the public climate page may show: an explicit list of fields, nothing else.

An organisation that turns its public page on publishes exactly a :class:`PublicClimatePage`: its
name, the latest closed year's account by scope (both scope 2 figures, the GWP set), its targets and
their progress, the measures it has done, its certificates (each with its public verification
address) and the sentences the claims rules allow toward consumers. Every field is plain data —
text, numbers, dates, tuples of further public dataclasses — so a template given one cannot reach a
database row, a user, a supplier, a spend figure, an open year or a note (:func:`is_plain`).

Adding a field is a decision: add it here, to :data:`PUBLIC_FIELDS`, and to the test that renders the
demo's page and looks for what must not leak.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class PublicCategory:
    """A scope 3 category of the account: its key (``scope_3.6``) and tonnes."""

    key: str
    t_co2e: float


@dataclass(frozen=True)
class PublicAccount:
    """The latest closed year's account by scope, tonnes CO2e rounded to 0.1 t."""

    year: int
    gwp_set: str
    scope_1_t: float
    scope_2_location_t: float
    scope_2_market_t: float
    scope_3_t: float
    total_location_t: float
    total_market_t: float
    scope_3_categories: tuple[PublicCategory, ...]


@dataclass(frozen=True)
class PublicTarget:
    """A reduction target and how the latest closed year stands against its pathway."""

    name: str
    coverage: str
    base_year: int
    target_year: int
    reduction_percent: Decimal
    #: the latest closed year judged, its change from the base year and what the pathway asks by then
    #: (percent, positive = below the base year); None when no closed year after the base year exists
    progress_year: int | None
    change_percent: float | None
    required_percent: float | None
    on_track: bool | None


@dataclass(frozen=True)
class PublicCertificate:
    number: str
    reporting_year: int
    tonnes: int
    retired_on: date
    verify_url: str


@dataclass(frozen=True)
class PublicClimatePage:
    organisation_name: str
    account: PublicAccount | None
    targets: tuple[PublicTarget, ...]
    measures_done: tuple[str, ...]
    certificates: tuple[PublicCertificate, ...]
    #: sentences the claims rules allow toward consumers, in the page's language
    claims: tuple[str, ...]


#: The fields the public page shows: the page's, and each public dataclass's.
PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    cls.__name__: tuple(f.name for f in dataclasses.fields(cls))
    for cls in (PublicClimatePage, PublicAccount, PublicCategory, PublicTarget, PublicCertificate)
}

_PLAIN = (str, int, float, Decimal, bool, date, type(None))
_PUBLIC = (PublicClimatePage, PublicAccount, PublicCategory, PublicTarget, PublicCertificate)


def is_plain(value: object) -> bool:
    """Whether ``value`` is plain public data: text, numbers, dates, None, tuples of them, or a public
    dataclass made of them (a model instance, a dict or a list would let a template reach further)."""
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, tuple):
        return all(is_plain(item) for item in value)
    if isinstance(value, _PUBLIC):
        return all(is_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False
