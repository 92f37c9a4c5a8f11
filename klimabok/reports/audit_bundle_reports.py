"""The reports the auditor's bundle takes (:data:`klimabok.reports.audit_bundle.OPTIONAL_REPORTS`).

Each function is a :data:`~klimabok.reports.audit_bundle.ReportFiles`: the report's files for a year, the
same bytes for the same closed year (the PDFs are dated by the year's closing in reportlab's invariant
mode; the JSON has no clock). XLSX files are left out: openpyxl stamps them with the time they were made.
A report that cannot be made for the year raises :class:`KlimabokError`, which the bundle's manifest notes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from klimabok.core.errors import KlimabokError
from klimabok.inventory.models import ReportingYear


def _stem(name: str, reporting_year: ReportingYear, draft: bool) -> str:
    return f"{name}-{reporting_year.organisation.slug}-{reporting_year.year}{'-draft' if draft else ''}"


def ghg_inventory_files(reporting_year: ReportingYear, language: str) -> Sequence[tuple[str, bytes]]:
    """The GHG inventory report and the board summary (PDF)."""
    from klimabok.reports.ghg_pdf import render_board_summary_pdf, render_inventory_pdf
    from klimabok.reports.ghg_read import load_inventory_report

    page = load_inventory_report(reporting_year)
    if page.report.empty:
        raise KlimabokError("the year has no lines: nothing to report")
    draft = bool(page.report.draft)
    return [
        (_stem("ghg-inventory", reporting_year, draft) + ".pdf",
         render_inventory_pdf(page.report, page.activity_names)),
        (_stem("board-summary", reporting_year, draft) + ".pdf",
         render_board_summary_pdf(page.report, page.activity_names)),
    ]


def datapoint_files(reporting_year: ReportingYear, language: str) -> Sequence[tuple[str, bytes]]:
    """VSME B3/C3 and ESRS E1 datapoints (JSON)."""
    from klimabok.core.report.esrs import esrs_json
    from klimabok.core.report.vsme import datapoints, template_json
    from klimabok.reports.datapoints import load_esrs, load_year_facts

    loaded = load_year_facts(reporting_year)
    report, problems = load_esrs(reporting_year)
    if loaded.facts is None or report is None:
        reasons = "; ".join(str(p) for p in [*loaded.problems, *problems][:3])
        raise KlimabokError(f"the account cannot be computed ({reasons})")
    draft = not reporting_year.is_closed

    def dumped(data: object) -> bytes:
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()

    return [
        (_stem("vsme", reporting_year, draft) + ".json", dumped(template_json(datapoints(loaded.facts)))),
        (_stem("esrs-e1", reporting_year, draft) + ".json", dumped(esrs_json(report))),
    ]
