"""The figures of a year's account as its pages and exports show them.

From a computed :class:`~klimabok.core.engine.AccountResult` (see :mod:`klimabok.account.read_models`):
totals with ranges, both scope 2 methods, change from last year, the ranking of sources, the charts,
and the selection of result lines behind any one number (:class:`LineFilter`). Nothing here
queries the database or renders a page; the views in :mod:`klimabok.account.views` do that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from typing import Literal
from urllib.parse import urlencode

import numpy as np
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from klimabok.account.read_models import YearOverview
from klimabok.account.spend import spend_source_name, spend_t_by_label, tiers_by_activity
from klimabok.accounts.access import Access
from klimabok.accounts.roles import Capability
from klimabok.core.engine import AccountResult, ResultLine
from klimabok.core.engine.scopes import BUCKETS, TOTAL_NAMES, bucket_of_label
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Basis
from klimabok.core.spend.factors import KEY_PREFIX
from klimabok.core.uncertainty import Range
from klimabok.inventory import charts
from klimabok.inventory.models import ReportingYear
from klimabok.inventory.read_models import ENTRY_REF_PREFIX, activity_name
from klimabok.inventory.templatetags.account_format import category_name, tonnes

View = Literal["location", "market"]
TOP_SOURCES = 10


@dataclass(frozen=True)
class Change:
    """This year minus the previous year, in tonnes and in percent of the previous year."""

    previous: float
    delta: float
    percent: float | None

    @classmethod
    def between(cls, current: float, previous: float) -> Change:
        return cls(previous, current - previous, 100 * (current - previous) / previous if previous else None)


@dataclass(frozen=True)
class MethodChange:
    """One of the two years has spend-based lines (a ledger imported) and the other has none, so
    the totals' change is partly a change of method: ``activity`` is the change without them."""

    spend_t: float
    last_spend_t: float
    activity: Change


@dataclass(frozen=True)
class Figure:
    """A number on the page: tonnes, its drill-down link (empty without VIEW_DATA), change, share.

    ``share`` is in percent of the total of the page's scope 2 view; rows of the other
    view (``other_view``) have none, since they are not part of that total.
    """

    key: str
    name: str
    t_co2e: float
    href: str = ""
    change: Change | None = None
    share: float | None = None
    range: Range | None = None
    other_view: bool = False
    #: Of ``t_co2e``, the spend-based estimate (from the accounting ledger), where there is one.
    spend_t: float | None = None
    #: A source's method ("spend-based" or "activity-based") and its lines' data-quality tiers.
    method: str = ""
    tiers: tuple[int, int] | None = None

    @property
    def plus_minus_percent(self) -> float | None:
        return 100 * self.range.relative if self.range else None

    @property
    def is_scope_3_category(self) -> bool:
        return self.key.startswith("scope_3.")


class Links:
    """Drill-down URLs of one account, or none for a user without VIEW_DATA."""

    def __init__(self, access: Access, year: int) -> None:
        self.enabled = access.can(Capability.VIEW_DATA)
        self.base = reverse("account:account_lines", args=[access.organisation.slug, year])

    def lines(self, **filters: str) -> str:
        return f"{self.base}?{urlencode(filters)}" if self.enabled else ""


class AccountFigures:
    """The summary page's numbers: this year's account, compared with last year's, in one scope 2 view."""

    def __init__(self, account: AccountResult, previous: tuple[int, AccountResult] | None, links: Links,
                 view: View) -> None:
        self.account, self.links, self.view = account, links, view
        self.previous_year = previous[0] if previous else None
        self.last = previous[1] if previous else None
        self.view_total = getattr(account.totals, f"total_{view}")
        other = "location" if view == "market" else "market"
        self.other_view_keys = (f"scope_2_{other}", f"total_{other}")

    def _figure(self, key: str, value: float, last_value: float | None, href: str,
                range_: Range | None = None) -> Figure:
        other = key in self.other_view_keys
        return Figure(
            key=key, name=category_name(key), t_co2e=value, href=href, range=range_, other_view=other,
            change=Change.between(value, last_value) if last_value is not None else None,
            share=100 * value / self.view_total if self.view_total and not other else None)

    @cached_property
    def spend_t(self) -> Mapping[str, float]:
        """Of each total and category, the tonnes estimated from spend."""
        return spend_t_by_label(self.account)

    @cached_property
    def method_change(self) -> MethodChange | None:
        """Set when only one of the two years has spend-based tonnes in the view's total (see
        :class:`MethodChange`); a change between two years that both have them is a real one."""
        if self.last is None:
            return None
        key = f"total_{self.view}"
        spend, last_spend = self.spend_t.get(key, 0.0), spend_t_by_label(self.last).get(key, 0.0)
        if (spend >= 0.05) == (last_spend >= 0.05):
            return None
        activity = Change.between(getattr(self.account.totals, key) - spend,
                                  getattr(self.last.totals, key) - last_spend)
        return MethodChange(spend, last_spend, activity)

    @cached_property
    def totals(self) -> dict[str, Figure]:
        """The six totals with their ranges; each links to the lines it adds up."""
        totals, last = self.account.totals, self.last
        spend = self.spend_t
        out = {}
        for key in TOTAL_NAMES:
            filters = {"view": key.removeprefix("total_")} if key.startswith("total_") else {"scope": key}
            figure = self._figure(key, getattr(totals, key), getattr(last.totals, key) if last else None,
                                  self.links.lines(**filters), self.account.uncertainty[key])
            out[key] = replace(figure, spend_t=spend.get(key))
        return out

    @cached_property
    def categories(self) -> list[Figure]:
        """Scope 1, both scope 2 rows, scope 3 and its categories (this year's or last year's)."""
        this = self.account.by_category()
        last = self.last.by_category() if self.last else None
        keys = [key for key in BUCKETS if key in this or (last and key in last)]
        spend = self.spend_t
        rows = [replace(self._figure(key, this.get(key, 0.0), None if last is None else last.get(key, 0.0),
                                     self.links.lines(scope=key)), spend_t=spend.get(key))
                for key in keys]
        first_category = next((i for i, key in enumerate(keys) if key.startswith("scope_3.")), None)
        if first_category is not None:
            rows.insert(first_category, self.totals["scope_3"])
        return rows

    def sources(self, catalogue: Catalogue) -> list[Figure]:
        """The largest activities of the view's total ("where to cut")."""
        tiers = tiers_by_activity(self.account)
        return [Figure(key=r.activity, name=source_name(catalogue, r.activity), t_co2e=r.t_co2e,
                       href=self.links.lines(activity=r.activity, view=self.view), share=100 * r.share,
                       method="spend-based" if r.activity.startswith(KEY_PREFIX) else "activity-based",
                       tiers=tiers.get(r.activity))
                for r in self.account.by_activity(self.view)[:TOP_SOURCES]]

    def charts(self, year: int) -> list[tuple[str, SafeString]]:
        """(caption, SVG) of the page's charts; the year-over-year one only with a previous year."""
        unit, empty = _("t CO₂e"), _("No emissions recorded yet.")
        view_name = _("location-based") if self.view == "location" else _("market-based")
        charted = [f for f in self.categories if not f.other_view and f.key != "scope_3"]
        totals = self.account.totals
        title = _("Emissions by scope and category (%(view)s)") % {"view": view_name}
        out = [(title, charts.bar_chart([charts.Bar(f.name, f.t_co2e, f.href) for f in charted], title=title,
                                        unit=unit, empty_text=empty, number_format=tonnes))]
        title = _("Location- and market-based emissions by scope")
        out.append((title, charts.grouped_bar_chart(
            [charts.Group(_("Scope 1"), (totals.scope_1, totals.scope_1)),
             charts.Group(_("Scope 2"), (totals.scope_2_location, totals.scope_2_market)),
             charts.Group(_("Scope 3"), (totals.scope_3, totals.scope_3))],
            series=(_("Location-based"), _("Market-based")), title=title, unit=unit, empty_text=empty,
            number_format=tonnes)))
        if self.previous_year is not None:
            title = _("%(last)s and %(this)s by category (%(view)s)") % {
                "last": self.previous_year, "this": year, "view": view_name}
            out.append((title, charts.grouped_bar_chart(
                [charts.Group(f.name, (f.change.previous if f.change else 0.0, f.t_co2e), f.href)
                 for f in charted],
                series=(str(self.previous_year), str(year)), title=title, unit=unit, empty_text=empty,
                number_format=tonnes)))
        return out


def source_name(catalogue: Catalogue, key: str) -> str:
    """An activity's name, or a spend-based source's (its factors are not in the year's catalogue)."""
    return spend_source_name(key) or activity_name(catalogue, key)


def site_rows(account: AccountResult, links: Links) -> list[dict[str, object]]:
    rows = []
    for site, totals in account.by_site().items():
        rows.append({"name": site or _("(no site)"), "totals": totals,
                     "href_location": links.lines(site=site, view="location"),
                     "href_market": links.lines(site=site, view="market")})
    return rows


def denominators(overview: YearOverview) -> dict[str, float | None]:
    """FTE, revenue in MNOK and floor area for the intensities (the ones the year has, > 0)."""
    return year_denominators(overview.reporting_year, overview.floor_area_m2)


def year_denominators(reporting_year: ReportingYear, area: Decimal | None) -> dict[str, float | None]:
    """FTE, revenue in MNOK and floor area ``area`` (m²) for the intensities (the ones the year has, > 0)."""
    return {
        "fte": float(reporting_year.fte) if reporting_year.fte else None,
        "revenue_mnok": float(reporting_year.revenue_nok) / 1e6 if reporting_year.revenue_nok else None,
        "floor_area_m2": float(area) if area else None,
    }


@dataclass(frozen=True)
class LineFilter:
    """The lines behind one number: a category key (or scope), a view of scope 2, a site, an activity,
    or one entry (the lines its emissions are made of)."""

    scope: str = ""
    view: str = ""
    site: str | None = None
    activity: str = ""
    entry: int | None = None

    @classmethod
    def from_query(cls, request: HttpRequest) -> LineFilter:
        scope = request.GET.get("scope", "")
        view = request.GET.get("view", "")
        if scope and scope not in (*BUCKETS, "scope_2", "scope_3"):
            raise Http404
        if view not in ("", "location", "market"):
            raise Http404
        entry = request.GET.get("entry", "")
        return cls(scope=scope, view=view, site=request.GET.get("site"),
                   activity=request.GET.get("activity", ""), entry=int(entry) if entry.isdigit() else None)

    def select(self, account: AccountResult) -> np.ndarray:
        """Row numbers of the matching result lines (array filters; no per-line Python)."""
        table = account.line_table
        factors = account.table.factors
        keep = np.ones(len(table), dtype=bool)
        if self.scope:
            in_scope = np.any(account.table.buckets[:, list(bucket_of_label(self.scope))], axis=1)
            keep &= in_scope[table.component]
        if self.view:
            other = Basis.MARKET if self.view == "location" else Basis.LOCATION
            excluded = np.array([f.scope == 2 and f.basis is other for f in factors], dtype=bool)
            keep &= ~excluded[table.component]
        if self.site is not None:
            sites = account.columns.sites
            code = sites.index(self.site) if self.site in sites else -1
            keep &= account.columns.site_codes[table.line] == code
        if self.activity:
            keys = account.columns.activity_keys
            code = keys.index(self.activity) if self.activity in keys else -1
            keep &= account.columns.activity_codes[table.line] == code
        if self.entry is not None:
            ref = f"{ENTRY_REF_PREFIX}{self.entry}"
            refs = account.columns.refs
            index = next((i for i in range(len(refs)) if refs[i] == ref), -1)
            keep &= table.line == index
        return np.flatnonzero(keep)

    def describe(self) -> list[str]:
        """The filter in words, for the page heading."""
        parts = []
        if self.scope:
            parts.append(category_name(self.scope))
        if self.view:
            parts.append(_("location-based") if self.view == "location" else _("market-based"))
        if self.site is not None:
            parts.append(_("site: %(site)s") % {"site": self.site or _("(no site)")})
        if self.activity:
            parts.append(_("activity: %(activity)s") % {"activity": self.activity})
        return parts


@dataclass(frozen=True)
class LineRow:
    line: ResultLine
    activity_name: str
    entry_href: str
    #: A spend-based line: its account and supplier in the ledger drill-down (the entry link is empty).
    ledger_href: str = ""
    #: A line of an entry the commuting survey wrote: the survey's results, its source.
    survey_href: str = ""
