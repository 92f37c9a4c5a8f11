"""The grid: many lines typed or pasted at once, each row's tonnes and problems shown, saved all or none.

Works without JavaScript (the buttons post the whole grid: fill from a pasted block, check, save);
``inventory/grid.js`` posts the same form with ``format=json`` to fill a pasted block into the rows
and to show each row's tonnes and problems while the user types.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError
from klimabok.inventory import services
from klimabok.inventory.access import page_context, year_access
from klimabok.inventory.flights import common_airports
from klimabok.inventory.forms.entry_base import CONFIRM_FIELD, activity_label
from klimabok.inventory.grid import (
    COLUMNS,
    HEADINGS,
    MAX_ROWS,
    CheckedRow,
    RowChecker,
    is_blank,
    parse_pasted,
    row_problem_text,
    rows_from_post,
)
from klimabok.inventory.templatetags.account_format import grouped
from klimabok.web.core_messages import localise


def grid_tonnes(value: float | None) -> str:
    """Tonnes with two decimals: a row of a few kilograms (a tonne of waste) shows as 0,01, not 0,0."""
    return "" if value is None else grouped(value, 2)


#: Blank rows the grid offers below the filled ones.
SPARE_ROWS = 5
MIN_ROWS = 10


def _row_json(row: CheckedRow) -> dict[str, Any]:
    return {"index": row.number - 1, "number": row.number,
            "market": grid_tonnes(row.market_t) if row.ok else "",
            "location": grid_tonnes(row.location_t) if row.ok else "",
            "problems": [{"column": p.column, "text": row_problem_text(row, p)} for p in row.problems],
            "warnings": [_warning_text(row, w) for w in row.warnings]}


def _warning_text(row: CheckedRow, warning: str) -> str:
    return _("Row %(row)s: %(message)s") % {"row": row.number, "message": warning}


def _summary(checked: list[CheckedRow]) -> dict[str, Any]:
    good = [row for row in checked if row.ok]
    bad = len(checked) - len(good)
    warned = sum(1 for row in good if row.warnings)
    text = ngettext("%(n)s row, %(bad)s with problems", "%(n)s rows, %(bad)s with problems", len(checked)) % {
        "n": len(checked), "bad": bad}
    return {"count": len(checked), "bad": bad, "warned": warned, "text": text,
            "market": grid_tonnes(sum(row.market_t or 0.0 for row in good)),
            "location": grid_tonnes(sum(row.location_t or 0.0 for row in good))}


def _table_row(index: int, cells: dict[str, str], checked: CheckedRow | None) -> dict[str, Any]:
    """A row of the grid as the template shows it: its cells, and its result once checked."""
    problems = checked.problems if checked else []
    return {"index": index, "number": index + 1, "cells": [(c, cells.get(c, "")) for c in COLUMNS],
            "market": grid_tonnes(checked.market_t) if checked and checked.ok else "",
            "location": grid_tonnes(checked.location_t) if checked and checked.ok else "",
            "bad_columns": {p.column for p in problems},
            "problems": [row_problem_text(checked, p) for p in problems] if checked else [],
            "warnings": [_warning_text(checked, w) for w in checked.warnings] if checked else []}


@login_required
def grid(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    rows = rows_from_post(request.POST) if request.method == "POST" else []
    action = request.POST.get("action", "")
    as_json = request.POST.get("format") == "json"
    checked: list[CheckedRow] = []
    refusal = ""
    if len(rows) > MAX_ROWS:
        rows = rows[:MAX_ROWS]
        refusal = _("The grid takes at most %(n)s rows at a time; upload more as the Excel template.") % {
            "n": MAX_ROWS}
        action = ""
    if action == "paste":
        pasted = parse_pasted(request.POST.get("pasted", ""), request.POST.get("column", "activity"))
        if as_json:
            return JsonResponse({"rows": pasted})
        rows = [row for row in rows if not is_blank(row)] + pasted
    checker = RowChecker(reporting_year)
    if action in ("check", "save"):
        checked = checker.check(rows)
        if as_json:
            return JsonResponse({"rows": [_row_json(row) for row in checked], "summary": _summary(checked)})
        if action == "save":
            refusal = _save(request, reporting_year, checked)
            if not refusal:
                return redirect("account:entries", slug=slug, year=year)
    by_index = {row.number - 1: row for row in checked}
    count = max(MIN_ROWS, len(rows) + SPARE_ROWS)
    padded = rows + [dict.fromkeys(COLUMNS, "") for _ in range(count - len(rows))]
    table = [_table_row(i, cells, by_index.get(i)) for i, cells in enumerate(padded)]
    return render(request, "inventory/grid.html", page_context(
        access, reporting_year=reporting_year, table=table, headings=[(c, HEADINGS[c]) for c in COLUMNS],
        summary=_summary(checked) if checked else None, refusal=refusal, confirm_field=CONFIRM_FIELD,
        confirmed=request.POST.get(CONFIRM_FIELD) == "on",
        activities=[(a.key, activity_label(a)) for a in checker.activities],
        sites=checker.sites, airports=common_airports(),
    ), status=400 if refusal else 200)


def _save(request: AuthenticatedHttpRequest, reporting_year: Any, checked: list[CheckedRow]) -> str:
    """Save every row, or none; the refusal to show, or "" when saved."""
    if not checked:
        return _("There are no rows to save: type or paste at least one.")
    bad = [row for row in checked if not row.ok]
    if bad:
        return ngettext("Nothing was saved: %(n)s row has a problem. Correct it and save again.",
                        "Nothing was saved: %(n)s rows have problems. Correct them and save again.",
                        len(bad)) % {"n": len(bad)}
    warned = [row for row in checked if row.warnings]
    if warned and request.POST.get(CONFIRM_FIELD) != "on":
        return ngettext(
            "Nothing was saved: %(n)s row has figures to check (see its warning). If they are right, tick "
            "“Save anyway” and save again.",
            "Nothing was saved: %(n)s rows have figures to check (see their warnings). If they are right, "
            "tick “Save anyway” and save again.", len(warned)) % {"n": len(warned)}
    try:
        drafts = [row.draft for row in checked if row.draft]
        saved = services.add_entries(reporting_year, drafts, request.user)
    except KlimabokError as exc:
        return localise(exc)
    messages.success(request, ngettext("%(n)s line is saved.", "%(n)s lines are saved.", len(saved))
                     % {"n": len(saved)})
    return ""
