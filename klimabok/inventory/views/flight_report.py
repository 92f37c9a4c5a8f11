"""The travel agency's flight report: upload it, say which column is what, preview, import all or none.

The report waits in the session between the steps (its rows as text, a few hundred at most), one
per reporting year; the mapping is saved with the import and offered for the next report.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, ngettext

from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import InputError, KlimabokError, input_errors
from klimabok.inventory import services
from klimabok.inventory.access import page_context, year_access
from klimabok.inventory.flight_report import (
    REQUIRED,
    TARGETS,
    FlightReport,
    check_report,
    initial_mapping,
    read_flight_report,
    report_problem_text,
)
from klimabok.inventory.models import FlightReportMapping, ReportingYear
from klimabok.inventory.templatetags.account_format import tonnes
from klimabok.web.core_messages import localise


class ReportFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("The travel agency's flight report (XLSX or CSV)"))


def mapping_form(report: FlightReport, data: Any = None, initial: dict[str, str] | None = None) -> forms.Form:
    """One choice of the report's columns for each field klimabok reads."""
    form = forms.Form(data, initial=initial)
    choices = [("", "—"), *((h, h) for h in report.headings)]
    for target, label in TARGETS.items():
        form.fields[target] = forms.ChoiceField(label=label, choices=choices, required=target in REQUIRED)
    return form


def _session_key(reporting_year: ReportingYear) -> str:
    return f"flight-report-{reporting_year.pk}"


@login_required
def flight_report(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    key = _session_key(reporting_year)
    action = request.POST.get("action", "")
    problems: list[InputError] = []
    file_form = ReportFileForm(request.POST if action == "upload" else None, request.FILES or None)
    if action == "cancel":
        request.session.pop(key, None)
        return redirect("inventory:flight_report", slug=slug, year=year)
    if action == "upload" and file_form.is_valid():
        try:
            name, data = services.uploaded_bytes(file_form.cleaned_data["file"])
            report_read = read_flight_report(name, data)
            services.refuse_repeat_upload(reporting_year, report_read.sha256, name)
            request.session[key] = report_read.as_session()
        except KlimabokError as exc:
            problems = input_errors(exc)
        else:
            return redirect("inventory:flight_report", slug=slug, year=year)
    stored = request.session.get(key)
    context = page_context(access, reporting_year=reporting_year, file_form=file_form, problems=problems)
    if stored is None or problems:
        return render(request, "inventory/flight_report.html", context,
                      status=400 if problems or file_form.errors else 200)
    report = FlightReport.from_session(stored)
    remembered = FlightReportMapping.objects.filter(organisation=access.organisation).first()
    form = mapping_form(report, request.POST if action in ("preview", "import") else None,
                        initial_mapping(report, remembered))
    context.update(report=report, form=form, remembered=remembered is not None,
                   sample=report.rows[:3])
    if action in ("preview", "import") and form.is_valid():
        mapping = {target: heading for target, heading in form.cleaned_data.items() if heading}
        checked = check_report(reporting_year, report, mapping)
        bad = [row for row in checked if not row.ok]
        context.update(checked=[(row, [report_problem_text(row, p, mapping) for p in row.problems])
                                for row in checked],
                       bad=len(bad), market=tonnes(sum(r.market_t or 0.0 for r in checked if r.ok)),
                       location=tonnes(sum(r.location_t or 0.0 for r in checked if r.ok)))
        if action == "import":
            refusal = _import(request, reporting_year, report, checked, mapping)
            if not refusal:
                request.session.pop(key, None)
                return redirect("account:entries", slug=slug, year=year)
            context["refusal"] = refusal
            return render(request, "inventory/flight_report.html", context, status=400)
    return render(request, "inventory/flight_report.html", context, status=400 if form.errors else 200)


def _import(request: AuthenticatedHttpRequest, reporting_year: ReportingYear, report: FlightReport,
            checked: list[Any], mapping: dict[str, str]) -> str:
    bad = [row for row in checked if not row.ok]
    if bad:
        return ngettext(
            "Nothing was imported: %(n)s row has a problem. Correct the report and upload it again.",
            "Nothing was imported: %(n)s rows have problems. Correct the report and upload it again.",
            len(bad)) % {"n": len(bad)}
    try:
        drafts = [row.draft for row in checked if row.draft]
        saved = services.import_flight_report(reporting_year, drafts, mapping, request.user,
                                              filename=report.name, sha256=report.sha256, size=report.size)
    except KlimabokError as exc:
        return localise(exc)
    messages.success(request, ngettext("%(n)s flight from the report is added to %(year)s.",
                                       "%(n)s flights from the report are added to %(year)s.", len(saved))
                     % {"n": len(saved), "year": reporting_year.year})
    return ""
