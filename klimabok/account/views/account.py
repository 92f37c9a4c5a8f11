"""The climate account of one reporting year: the summary page, its drill-down lines, its exports.

Every view: check access → load the year's account once (read model) →
shape it for the page → render. Who sees what (roles.py): VIEW_SUMMARY
(everyone, employees included) gets the totals, charts and ranking;
VIEW_DATA also gets a link from every number to the lines that make it, and
the exports. The lines page selects the same result lines the clicked number
adds up, so its total is that number.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from klimabok.account.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Row,
    csv_chunks,
    lines_table,
    load_account_export,
    summary_rows,
    xlsx_bytes,
)
from klimabok.account.figures import (
    AccountFigures,
    LineFilter,
    LineRow,
    Links,
    View,
    site_rows,
    source_name,
    year_denominators,
)
from klimabok.account.read_models import load_previous_account, load_year_account
from klimabok.account.spend import spend_account, spend_category_rows
from klimabok.account.views.spend import spend_line_urls
from klimabok.accounts.access import Access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.engine import AccountResult, ResultLine, ResultLines
from klimabok.core.errors import KlimabokError, input_errors
from klimabok.core.plan.suggest import measure_query
from klimabok.core.spend import ATTRIBUTION
from klimabok.inventory.access import page_context, year_access
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from klimabok.inventory.read_models import activity_name, entry_id_of, year_floor_area
from klimabok.ledger.read_models import spend_line_id_of

LINES_PER_PAGE = 100


def _view(request: HttpRequest) -> View:
    return "location" if request.GET.get("view") == "location" else "market"


@login_required
def account_page(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """``/o/<slug>/<year>/account/``: totals, both scope 2 methods, ranges, changes, ranking, charts."""
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    view = _view(request)
    context = page_context(access, reporting_year=reporting_year, view=view)
    try:
        loaded = load_year_account(reporting_year)
    except KlimabokError as exc:
        return render(request, "account/page.html", {**context, "problems": input_errors(exc)})
    account, catalogue = loaded.account, loaded.catalogue
    figures = AccountFigures(account, _previous(reporting_year), Links(access, year), view)
    spend = spend_account(reporting_year, loaded.spend_parts, account, view)
    context.update(
        spend=spend, attribution=ATTRIBUTION,
        spend_rows=spend_category_rows(spend, figures.view_total) if spend else [],
        totals=figures.totals, categories=figures.categories,
        sources=figures.sources(catalogue), sites=site_rows(account, figures.links),
        previous_year=figures.previous_year, method_change=figures.method_change,
        has_lines=len(account.columns) > 0,
        intensities=account.intensities(**_denominators(reporting_year)),
        datasets=[d for d in catalogue.datasets if d.ref in set(account.datasets)],
        gwp_set=account.gwp_set, charts=figures.charts(reporting_year.year),
        biogenic_co2_t=account.biogenic_co2_t, electricity_cover=loaded.electricity_cover)
    # "make this a measure" on each large source, for whoever keeps the plan (the form is the plans app's)
    can_plan = access.can(Capability.MANAGE_PLAN)
    context.update(can_plan=can_plan, source_rows=[
        (source, urlencode(measure_query(source.key, source.name, reporting_year.year)) if can_plan else "")
        for source in context["sources"]])
    return render(request, "account/page.html", context)


def _denominators(reporting_year: ReportingYear) -> dict[str, float | None]:
    """The intensities' denominators: the year's facts, its floor area or its sites' (one query)."""
    sites = list(Site.objects.filter(organisation_id=reporting_year.organisation_id))
    return year_denominators(reporting_year, year_floor_area(reporting_year, sites))


def _previous(reporting_year: ReportingYear) -> tuple[int, AccountResult] | None:
    """The previous year and its account; a previous year that does not compute is left out."""
    try:
        loaded = load_previous_account(reporting_year)
    except KlimabokError:
        return None
    return (loaded[0].year, loaded[1]) if loaded else None


# ---- Drill-down -----------------------------------------------------------------------------------

@login_required
def account_lines(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponseBase:
    """``/o/<slug>/<year>/account/lines/?scope=scope_3.6``: the result lines behind a number."""
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    line_filter = LineFilter.from_query(request)
    try:
        loaded = load_year_account(reporting_year)
    except KlimabokError:  # the account page lists what prevents it
        return redirect("account:account", slug, year)
    account, catalogue = loaded.account, loaded.catalogue
    rows_selected = line_filter.select(account)
    selected = ResultLines(account.line_table, rows_selected)
    page = Paginator(range(len(selected)), LINES_PER_PAGE).get_page(request.GET.get("page"))
    description = line_filter.describe()
    if line_filter.entry is not None:
        entry = get_object_or_404(ActivityEntry, reporting_year=reporting_year, pk=line_filter.entry)
        description = [_("Entry: %(activity)s") % {"activity": activity_name(catalogue, entry.activity)},
                       *([entry.description] if entry.description else [])]
    data_url = _entries_url(access, year)
    shown = list(selected[max(page.start_index() - 1, 0):page.end_index()])
    ledger = spend_line_urls(access, reporting_year,
                             {i for line in shown if (i := spend_line_id_of(line.ref)) is not None})
    surveyed = _survey_entries(reporting_year, shown)
    survey_url = reverse("survey:results", args=[slug, year]) if surveyed else ""
    rows = [LineRow(line, source_name(catalogue, line.activity),
                    _entry_url(access, year, line.ref) or data_url,
                    ledger.get(spend_line_id_of(line.ref) or 0, ""),
                    survey_url if entry_id_of(line.ref) in surveyed else "")
            for line in shown]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "account/lines.html", page_context(
        access, reporting_year=reporting_year, filter=line_filter, description=description,
        rows=rows, page=page, count=len(selected),
        t_co2e=float(account.line_table.kg_co2e[rows_selected].sum()) / 1000, query=query.urlencode(),
        account_url=reverse("account:account", args=[slug, year]), factors_url=reverse("factors:library")))


def _survey_entries(reporting_year: ReportingYear, lines: list[ResultLine]) -> set[int | None]:
    """The entries among ``lines`` that the commuting survey wrote (one query): their source is the survey."""
    ids = {i for line in lines if (i := entry_id_of(line.ref)) is not None}
    return set(ActivityEntry.objects.filter(reporting_year=reporting_year, pk__in=ids,
                                            origin=ActivityEntry.Origin.SURVEY).values_list("pk", flat=True))


def _entries_url(access: Access, year: int) -> str:
    return reverse("account:entries", args=[access.organisation.slug, year])


def _entry_url(access: Access, year: int, ref: str) -> str:
    entry_id = entry_id_of(ref)
    if entry_id is None:
        return ""
    return reverse("inventory:entry_edit", args=[access.organisation.slug, year, entry_id])


# ---- Exports --------------------------------------------------------------------------------------

EXPORT_FORMATS = ("xlsx", "summary.csv", "lines.csv")


@login_required
def account_export(request: AuthenticatedHttpRequest, slug: str, year: int, fmt: str) -> HttpResponseBase:
    """The account as ``klimaregnskap-<slug>-<year>.xlsx`` or as two CSV files."""
    _access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    try:
        export = load_account_export(reporting_year)
    except KlimabokError:
        raise Http404 from None
    response: HttpResponseBase
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(export), content_type=XLSX_CONTENT_TYPE)
        filename = export.filename("xlsx")
    else:
        part = fmt.removesuffix(".csv")
        rows: Iterator[Row] = lines_table(export) if part == "lines" else iter(summary_rows(export))
        response = StreamingHttpResponse(csv_chunks(rows), content_type=CSV_CONTENT_TYPE)
        filename = export.filename("csv", part)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
