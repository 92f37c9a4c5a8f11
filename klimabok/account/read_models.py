"""The climate account of a reporting year, assembled once for every page, export and report.

The account is never stored: it is computed from a year's activity entries and the counted spend
lines of its imported ledgers with the factor catalogue that applies to the year — for a closed
year, exactly the dataset versions it pinned when it was closed; for an open year, the current
catalogue (shipped datasets plus imported ones). The engine's input lines are the entries first
(``ref="entry:<id>"``; two lines for electricity that guarantees of origin cover in part), then the
spend lines (``ref="spend:<id>"``): a line leads back to its entry by its ref, not its index.

This app sits above ``inventory`` (activity data) and ``ledger`` (imported accounting ledgers):
both feed it and neither imports it (docs/architecture.md).

Query budget: one query for a year's entries (with their sites), one for an organisation's years,
one for all their entries — never one per entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from klimabok.account.cache import cached, once_per_account
from klimabok.account.revision import revisions
from klimabok.audit.kinds import Kind
from klimabok.audit.models import Event
from klimabok.core.engine import AccountResult, ActivityLine, compute_account
from klimabok.core.errors import InputError, KlimabokError, input_errors
from klimabok.core.factors.catalogue import Catalogue
from klimabok.inventory import guarantees
from klimabok.inventory.guarantees import YearCoverage
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site, Upload
from klimabok.inventory.read_models import (
    EntryLike,
    catalogue_for,
    entry_lines,
    load_entries,
    load_entry_inputs,
    previous_year,
    year_floor_area,
)
from klimabok.ledger.models import SpendOverride, category_label
from klimabok.ledger.read_models import SpendParts, spend_inputs


def account_from_entries(reporting_year: ReportingYear, entries: Sequence[EntryLike],
                         catalogue: Catalogue | None = None) -> AccountResult:
    """The account of already-loaded ``entries`` and the year's spend lines (raises InputErrors if a
    line cannot be computed). The spend lines follow the entries, so line ``i`` is still entry ``i``."""
    return account_with_catalogue(reporting_year, entries, catalogue)[0]


def account_with_catalogue(reporting_year: ReportingYear, entries: Sequence[EntryLike],
                           catalogue: Catalogue | None = None
                           ) -> tuple[AccountResult, Catalogue, SpendParts]:
    """The account of ``entries`` and the year's spend lines, the catalogue that valued it (the
    year's factor datasets with the spend and own-factor datasets, so a page lists every dataset)
    and the spend parts behind it (so a page shows them without loading them again)."""
    lines, catalogue, parts = account_inputs(reporting_year, entries,
                                             catalogue or catalogue_for(reporting_year))
    account = compute_account(lines, year=reporting_year.year, catalogue=catalogue,
                              gwp_set=reporting_year.gwp_set)
    return account, catalogue, parts


def account_inputs(reporting_year: ReportingYear, entries: Sequence[EntryLike],
                   catalogue: Catalogue) -> tuple[list[ActivityLine], Catalogue, SpendParts]:
    """The engine's lines for a year — its entries, then the counted spend lines of its SAF-T
    imports after the year's overrides (``ref="spend:<id>"``; less what the year's activity data
    covers) — and the catalogue that values them: ``catalogue`` with the
    current spend factors and the year's own factors, unless it already holds them (a closed
    year's pinned ones) — and the year's spend parts. See
    :func:`klimabok.ledger.read_models.spend_inputs`.
    """
    spend, catalogue, parts = spend_inputs(reporting_year, catalogue, entries)
    return [line for e in entries for line in entry_lines(e)] + spend, catalogue, parts


@dataclass(frozen=True)
class YearAccount:
    """A year's computed account with what its pages show beside it, loaded and computed once.

    ``catalogue``: the catalogue that valued it; ``spend_parts``: the spend parts behind it;
    ``electricity_cover``: what its market-based electricity rests on (guarantees of origin).
    """

    account: AccountResult
    catalogue: Catalogue
    spend_parts: SpendParts
    electricity_cover: YearCoverage | None


def _compute_year_account(reporting_year: ReportingYear) -> YearAccount:
    entries = load_entry_inputs(reporting_year)
    account, catalogue, parts = account_with_catalogue(reporting_year, entries)
    return YearAccount(account, catalogue, parts,
                       guarantees.year_coverage(entries, catalogue=catalogue, year=reporting_year.year))


def load_year_account(reporting_year: ReportingYear, revision: int | None = None) -> YearAccount:
    """The account of ``reporting_year`` and what its pages show beside it (raises the ``KlimabokError``
    that prevents it). Computed once per process and data revision of the year
    (:mod:`klimabok.account.cache`): the pages of a 100,000-line year then cost what the page costs, not
    the year's seconds of loading and computing, until its data changes. ``revision``: the year's, when
    the caller has just read it."""
    return cached("year_account", reporting_year, lambda: _compute_year_account(reporting_year),
                  revision=revision)


def load_account(reporting_year: ReportingYear) -> AccountResult:
    """The climate account of ``reporting_year``, computed from its entries and imported spend lines
    (once per process and data revision: :func:`load_year_account`)."""
    return load_year_account(reporting_year).account



def load_previous_account(reporting_year: ReportingYear) -> tuple[ReportingYear, AccountResult] | None:
    """The previous year and its account, for "change from last year"; None without one."""
    earlier = previous_year(reporting_year)
    if earlier is None:
        return None
    return earlier, load_account(earlier)


def load_year_accounts(years: Iterable[ReportingYear]) -> dict[int, AccountResult | KlimabokError]:
    """The account of each year by year id, or the error that prevents it, as this process keeps it
    (:func:`load_year_account`): the years' data revisions in one query, then each year's entries
    in one query the first time.

    A year whose entries no longer compute (a factor withdrawn from the
    catalogue) shows its error on the overview instead of breaking the page.
    """
    years = list(years)
    current = revisions(y.pk for y in years)
    accounts: dict[int, AccountResult | KlimabokError] = {}
    for year in years:
        try:
            accounts[year.pk] = load_year_account(year, current.get(year.pk)).account
        except KlimabokError as exc:
            accounts[year.pk] = exc
    return accounts



@dataclass(frozen=True)
class EntryEmissions:
    """An input line's tonnes CO2e in the location- and the market-based view."""

    location: float
    market: float


def emissions_by_line(account: AccountResult) -> list[EntryEmissions]:
    """Tonnes per input line (in input order): scope 2 differs between the views, the rest not."""
    location = [0.0] * len(account.columns)
    market = [0.0] * len(account.columns)
    for line in account.lines:
        if line.scope_label != "scope_2_market":
            location[line.index] += line.t_co2e
        if line.scope_label != "scope_2_location":
            market[line.index] += line.t_co2e
    return [EntryEmissions(loc, mkt) for loc, mkt in zip(location, market, strict=True)]


@dataclass(frozen=True)
class CategoryRow:
    """One row of the year page's data overview: a category, how many entries count in it, tonnes."""

    label: str
    entries: int
    t_co2e: float


@dataclass(frozen=True)
class YearOverview:
    """Everything the year page shows, loaded with a fixed number of queries."""

    reporting_year: ReportingYear
    entries: list[ActivityEntry]
    sites: list[Site]
    uploads: list[Upload]
    account: AccountResult | None
    problems: list[InputError]
    #: The catalogue that valued ``account`` (None when it cannot be computed).
    catalogue: Catalogue | None = None
    #: The spend parts behind ``account`` (counted or not; empty without an imported ledger).
    spend_parts: SpendParts = field(default_factory=SpendParts)
    #: How many entries the year has (``entries`` holds them only when they were loaded).
    entry_count: int = 0

    @property
    def categories(self) -> list[CategoryRow]:
        return [] if self.account is None else category_rows(self.account)

    def entry_rows(self, *, category: str = "", site: str = "") -> list[EntryRow]:
        """Entries with tonnes; only those counting in ``category`` / at site id ``site`` if given."""
        rows = _entry_rows(self)
        if category:
            wanted = {category, "scope_2"} if category.startswith("scope_2") else {category}
            rows = [r for r in rows if wanted & set(r.categories)]
        if site:
            rows = [r for r in rows if str(r.entry.site_id or "") == site]
        return rows

    @property
    def floor_area_m2(self) -> Decimal | None:
        return year_floor_area(self.reporting_year, self.sites)


@dataclass(frozen=True)
class EntryRow:
    """An entry as the entries list shows it: its tonnes and the categories it counts in."""

    entry: ActivityEntry
    emissions: EntryEmissions | None
    categories: tuple[str, ...]


def _entry_rows(overview: YearOverview) -> list[EntryRow]:
    if overview.account is None:
        return [EntryRow(entry, None, ()) for entry in overview.entries]
    # The account's inputs are the entries' lines (one or two per entry, each with the entry's ref:
    # see account_inputs), then the year's SAF-T spend lines.
    labels: dict[str, dict[str, None]] = {}
    for line in overview.account.lines:
        labels.setdefault(line.ref, {})[line.scope_label] = None
    location: dict[str, float] = {}
    market: dict[str, float] = {}
    for index, emissions in enumerate(emissions_by_line(overview.account)):
        ref = overview.account.columns.refs[index] if overview.account.columns.refs else ""
        location[ref] = location.get(ref, 0.0) + emissions.location
        market[ref] = market.get(ref, 0.0) + emissions.market
    return [EntryRow(entry, EntryEmissions(location.get(entry.ref, 0.0), market.get(entry.ref, 0.0)),
                     tuple(labels.get(entry.ref, {}))) for entry in overview.entries]



@once_per_account
def category_rows(account: AccountResult) -> list[CategoryRow]:
    """The account's categories with how many entries count in each and their tonnes (once per computed
    account: it reads every line)."""
    return [CategoryRow(label, len({line.ref or line.index for line in account.lines_in(label)}), tonnes)
            for label, tonnes in account.by_category().items()]


def load_year_overview(reporting_year: ReportingYear, *, entries: bool = True) -> YearOverview:
    """The year page's data: entries, sites, uploads and the computed account (or why it cannot be).
    ``entries=False``: only how many there are (the year page shows no entry: a 100,000-line year's
    entries are not made into models for a number)."""
    loaded = load_entries(reporting_year) if entries else []
    count = len(loaded) if entries else ActivityEntry.objects.filter(reporting_year=reporting_year).count()
    sites = list(Site.objects.filter(organisation_id=reporting_year.organisation_id))
    uploads = list(Upload.objects.filter(reporting_year=reporting_year).select_related("uploaded_by"))
    account: AccountResult | None = None
    catalogue: Catalogue | None = None
    parts = SpendParts()
    problems: list[InputError] = []
    try:
        kept = load_year_account(reporting_year)
        account, catalogue, parts = kept.account, kept.catalogue, kept.spend_parts
    except KlimabokError as exc:
        problems = input_errors(exc)
    return YearOverview(reporting_year, loaded, sites, uploads, account, problems, catalogue, parts, count)


#: What the year page calls each event of the year in the audit trail.
YEAR_EVENT_LABELS = {
    Kind.YEAR_CLOSED: _("Year closed"),
    Kind.YEAR_REOPENED: _("Reopened for changes"),
    Kind.YEAR_RECALCULATED: _("Recalculated with current factors"),
    Kind.SPEND_OVERRIDE_SET: _("Spend override saved"),
    Kind.SPEND_OVERRIDE_REMOVED: _("Spend override removed"),
    Kind.YEAR_SCOPE3_SCREENED: _("Scope 3 screening changed"),
}
YEAR_HISTORY_SHOWN = 20


@dataclass(frozen=True)
class YearEvent:
    """One audit-trail event about a year, as its page lists it (newest first).

    ``total``: the market- and location-based totals (tonnes) the event recorded — at closing, or
    after a recalculation, whose totals before are ``before``.
    """

    event: Event
    label: str
    total: tuple[float, float] | None = None
    before: tuple[float, float] | None = None
    target: str = ""  #: an override's: "leverandør" (its key, category name and factor: the payload's)
    category: str = ""
    screened: str = ""  #: the scope 3 categories a screening change changed: "3.1, 3.5"


def _tonnes(recorded: object) -> tuple[float, float] | None:
    if not isinstance(recorded, dict):
        return None
    return float(recorded["market_based"]), float(recorded["location_based"])


def _year_event(event: Event) -> YearEvent:
    payload = event.payload
    target, category = payload.get("target"), payload.get("category")
    return YearEvent(event, str(YEAR_EVENT_LABELS[Kind(event.kind)]),
                     total=_tonnes(payload.get("total_t_co2e") or payload.get("new_total_t_co2e")),
                     before=_tonnes(payload.get("old_total_t_co2e")),
                     target=str(SpendOverride.Target(target).label) if target else "",
                     category=category_label(category) if category else "",
                     screened=", ".join(f"3.{change['category']}" for change in payload.get("changes", [])))


def load_year_history(reporting_year: ReportingYear) -> tuple[list[YearEvent], int]:
    """The year's latest events (closed, reopened, recalculated, overrides) and how many there are."""
    # By organisation and the payload's year, not the subject: the subject names the slug the
    # organisation had then, and a renamed organisation keeps its history.
    events = Event.objects.filter(organisation_id=reporting_year.organisation_id,
                                  kind__in=list(YEAR_EVENT_LABELS), payload__year=reporting_year.year)
    latest = events.order_by("-pk")[:YEAR_HISTORY_SHOWN]
    return [_year_event(e) for e in latest], events.count()
