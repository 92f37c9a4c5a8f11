"""The GHG inventory report and the board summary as PDFs, in the active language (issue 13 §1, §4, §7).

The content is :class:`klimabok.core.report.ghg_inventory.InventoryReport`; this module only words
and typesets it, with reportlab as the Miljøfyrtårn report and the certificates are (standard fonts,
the same colours; see :mod:`klimabok.reports.pdf`). Headings are numbered, a table of contents with
page numbers follows the title (two passes: the first only counts pages, without the appendix, which
comes last and so moves no page number before it), charts are reportlab vector graphics, every page
has the organisation, the report and "Page n of m" at its foot. An open year's report says DRAFT in
every page's header and across every page.

Reproducible (§5): reportlab's invariant mode fixes the creation date and the document id, and the
date printed is the report's ``made_on`` (a closed year's closing day): the same closed year gives
the same bytes whenever its report is made.

The appendix lists every line with one flowable that draws fixed-height rows straight on the canvas
(a platypus table of 100,000 rows would take minutes).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab import rl_config
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from klimabok.accounts.models import Organisation
from klimabok.core.report.ghg_inventory import InventoryReport
from klimabok.inventory.models import Scope3Screening
from klimabok.inventory.templatetags.account_format import category_name

from .pdf import GREEN, INK, MARGIN, MUTED, PLAIN, RULE, STYLES, TINT

WIDTH = A4[0] - 2 * MARGIN
DRAFT_RED = colors.HexColor("#b3261e")


def _nb() -> bool:
    return (get_language() or "nb").startswith("nb")


def num(value: float | None, decimals: int = 1) -> str:
    """A number in the active language's form ("1 234,5" in bokmål, "1,234.5" in English); — for None."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    if text in (f"-{0:.{decimals}f}",):
        text = text[1:]
    if _nb():
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "\u2212")


def _day(value: date) -> str:
    return str(formats.date_format(value, "DATE_FORMAT"))


def _p(text: str, style: str = "cell") -> Paragraph:
    return Paragraph(escape(text.translate(PLAIN)), STYLES[style])


class Heading(Paragraph):
    """A numbered section heading the table of contents lists."""


def _heading(text: str) -> Heading:
    return Heading(escape(text.translate(PLAIN)), STYLES["heading"])


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = (),
           widths: Sequence[float] | None = None, totals: Sequence[int] = ()) -> Table:
    def cell(i: int, text: str, bold: bool) -> Paragraph:
        style = ("number" if i in numeric else "cell") + ("_bold" if bold else "")
        return _p(text, style)

    data = [[_p(c, "head_right" if i in numeric else "head") for i, c in enumerate(columns)]]
    data += [[cell(i, v, r in totals) for i, v in enumerate(row)] for r, row in enumerate(rows)]
    table = Table(data, colWidths=list(widths) if widths else None, repeatRows=1)
    style: list[tuple[object, ...]] = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, GREEN),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    style += [("BACKGROUND", (0, r + 1), (-1, r + 1), TINT) for r in totals]
    table.setStyle(TableStyle(style))  # type: ignore[arg-type]
    return table


def _w(*shares: float) -> list[float]:
    return [WIDTH * s for s in shares]


def _scope_short(label: str) -> str:
    return {"scope_1": "1", "scope_2_location": "2 L", "scope_2_market": "2 M"}.get(
        label, label.removeprefix("scope_"))


def _bar_chart(rows: Sequence[tuple[str, float]], unit: str) -> Drawing:
    """Horizontal bars of tonnes per category (vector graphics)."""
    height = 22 + 15 * len(rows)
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = WIDTH * 0.42, 14.0  # type: ignore[assignment]
    chart.width, chart.height = WIDTH * 0.52, height - 20.0  # type: ignore[assignment]
    chart.data = [[max(v, 0.0) for _, v in reversed(rows)]]
    chart.categoryAxis.categoryNames = [name.translate(PLAIN)[:60] for name, _ in reversed(rows)]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.labelTextFormat = lambda v: num(v, 0)
    chart.bars[0].fillColor = GREEN
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda v: num(v, 1)
    chart.barLabels.fontName = "Helvetica"
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    drawing.add(String(WIDTH * 0.94, 2, unit, fontName="Helvetica", fontSize=6.5, fillColor=MUTED,
                       textAnchor="end"))
    return drawing


#: A PDF string's escapes for text in the standard fonts' WinAnsi encoding (cp1252 read as latin-1):
#: backslash and parentheses escaped, every byte outside printable ASCII as an octal escape.
_PDF_ESCAPES = {ord("\\"): "\\\\", ord("("): "\\(", ord(")"): "\\)",
                **{b: f"\\{b:03o}" for b in [*range(32), *range(127, 256)]}}


def _pdf_string(text: str) -> str:
    return text.encode("cp1252", "replace").decode("latin-1").translate(_PDF_ESCAPES)


class LineListing(Flowable):
    """Rows ``start``…``end`` of the appendix as fixed-width text (Courier), one text object per page:
    a page of 80 rows costs one drawing call, not 640. Splits across pages."""

    ROW = 8.4
    SIZE = 6.2
    #: column widths in characters; negative: right-aligned
    WIDTHS = (6, 11, 34, -15, 13, 5, 27, -12)

    def __init__(self, report: InventoryReport, header: Sequence[str], start: int = 0,
                 end: int | None = None) -> None:
        super().__init__()
        self.report, self.header = report, header
        self.start, self.end = start, len(report.lines) if end is None else end

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return WIDTH, self.ROW * (1 + self.end - self.start)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        fits = int(availHeight // self.ROW) - 1
        if fits <= 0:
            return []
        if self.start + fits >= self.end:
            return [self]
        return [LineListing(self.report, self.header, self.start, self.start + fits),
                LineListing(self.report, self.header, self.start + fits, self.end)]

    @classmethod
    def _line(cls, cells: Sequence[str]) -> str:
        return " ".join(text[:abs(w)].rjust(-w) if w < 0 else text[:w].ljust(w)
                        for w, text in zip(cls.WIDTHS, cells, strict=True))

    def draw(self) -> None:
        canvas, lines = self.canv, self.report.lines
        height = self.ROW * (1 + self.end - self.start)
        y = height - self.ROW + 2
        canvas.setFont("Courier-Bold", self.SIZE)
        canvas.setFillColor(MUTED)
        canvas.drawString(0, y, self._line([h.translate(PLAIN) for h in self.header]))
        canvas.setStrokeColor(GREEN)
        canvas.setLineWidth(0.5)
        canvas.line(0, y - 2, WIDTH, y - 2)
        nb = _nb()
        rows = []
        for r in range(self.start, self.end):
            number, ref, key, quantity, unit, label, source, tonnes = lines.row(r)
            q, t = f"{quantity:,.2f}", f"{tonnes:,.3f}"
            if nb:
                q = q.replace(",", " ").replace(".", ",")
                t = t.replace(",", " ").replace(".", ",")
            rows.append(self._line((str(number), ref, key, q, unit, _scope_short(label),
                                    source.translate(PLAIN), t)))
        text = canvas.beginText(0, y - self.ROW)
        text.setFont("Courier", self.SIZE, self.ROW)
        text.setFillColor(INK)
        # What textLines writes — "(row) Tj T*" per row — with the escaping done by one str.translate
        # per row instead of reportlab's per-character Python loop (its C accelerator is optional).
        text._code.append(" ".join(f"({_pdf_string(row)}) Tj T*" for row in rows))  # type: ignore[attr-defined]
        canvas.drawText(text)


def _relevance(value: str) -> str:
    if value == "not_screened":
        return _("Not screened")
    return str(Scope3Screening.Relevance(value).label)


def _criterion(value: str) -> str:
    return str(Scope3Screening.Criterion(value).label) if value else ""


def _consolidation(report: InventoryReport) -> str:
    if report.consolidation_recorded:
        approach = Organisation.Consolidation(report.consolidation).label
        return _("Consolidation approach: %(approach)s (GHG Protocol Corporate Standard, chapter 3).") % {
            "approach": str(approach).lower()}
    return _(
        "Consolidation approach: operational control (the organisation has recorded no other approach). "
        "The inventory covers the emissions of the sites and activities the organisation operates; its "
        "entries and imported accounting ledgers define what is included.")


def _story(report: InventoryReport, names: dict[str, str], toc: Sequence[tuple[str, int]],
           appendix: bool) -> list[Flowable]:
    t = report.totals
    unit = _("t CO2e")
    story: list[Flowable] = [
        _p(_("Greenhouse gas inventory report %(year)s") % {"year": report.year}, "title"),
        _p(report.organisation + (f" · {_('org. no.')} {report.org_number}" if report.org_number else ""),
           "subtitle"),
        _p(_("Reporting period %(start)s – %(end)s · prepared with klimabok on %(day)s · GHG Protocol "
             "Corporate Standard and ISO 14064-1") % {"start": _day(report.period[0]),
                                                      "end": _day(report.period[1]),
                                                      "day": _day(report.made_on)}, "subtitle"),
    ]
    if report.draft:
        story.append(_p(_("DRAFT: the year is open, and its figures may still change. Only a closed year's "
                          "report is final."), "note"))
    story += [Spacer(1, 6), _p(_("Contents"), "heading")]
    story.append(_table(("", ""), [(title, str(page) if page else "") for title, page in toc], (1,),
                        _w(0.9, 0.1)))
    story.append(PageBreak())

    def section(title: str, *body: Flowable) -> None:
        story.append(KeepTogether([_heading(title), *body[:1]]))
        story.extend(body[1:])

    titles = section_titles()
    # 1. Organisation and boundaries
    section(titles[0], _p(_consolidation(report)), Spacer(1, 3), _p(
        _("Organisational boundary: %(organisation)s. Operational boundary: scope 1, scope 2 (both "
          "location- and market-based) and the scope 3 categories listed in section 3. Gases: CO2, CH4, "
          "N2O and the other Kyoto gases through the factors, in CO2 equivalents under %(gwp)s.")
        % {"organisation": report.organisation, "gwp": report.gwp_set}))
    # 2. Period and base year
    base = (_("Base year: %(year)s (the base year of the organisation's reduction targets).")
            % {"year": report.base_year}) if report.base_year else _(
        "Base year: none chosen yet (no reduction target is recorded in the plan).")
    section(titles[1], _p(_("Reporting period: %(start)s to %(end)s.") % {
        "start": _day(report.period[0]), "end": _day(report.period[1])}), Spacer(1, 3), _p(base),
        Spacer(1, 3), _p(_(
            "Recalculation policy: the base year is recalculated when a structural change, a change in "
            "methods or factors, or a discovered error moves its total by %(percent)s %% or more (GHG "
            "Protocol Corporate Standard ch. 5); the old and the new base value are both kept. A closed "
            "year keeps the factor dataset versions it was closed with; recalculating it with newer "
            "factors is an explicit, logged action.") % {
                "percent": report.recalculation_threshold_percent}))
    # 3. Scopes and categories
    by_key = {c.key: c for c in report.categories}
    scope_rows: list[tuple[str, ...]] = []
    for key in ("scope_1", "scope_2_location", "scope_2_market"):
        row = by_key.get(key)
        scope_rows.append((category_name(key), _("Included") if row else _("No emissions recorded"),
                           num(row.t_co2e if row else 0.0), ""))
    for s in report.scope3:
        status = _("Included") if s.included else _("Excluded")
        why = s.reason or _criterion(s.criterion)
        if not s.included and s.relevance == "not_screened":
            why = _("No lines, and not screened yet")
        elif not s.included and s.relevance == "relevant":
            why = _("Screened relevant but not quantified yet") + (f": {why}" if why else "")
        screening = _relevance(s.relevance) + (f" ({_criterion(s.criterion)})" if s.criterion else "")
        scope_rows.append((category_name(f"scope_3.{s.category}"), status, num(s.t_co2e) if s.included
                           else "—", f"{screening}. {why}".strip(". ") if why else screening))
    section(titles[2], _p(_(
        "Scope 3 relevance screening after the GHG Protocol Scope 3 Standard, table 6.1: each category "
        "is included when the account has lines in it; an excluded category is shown with the reason "
        "recorded in the screening.")), Spacer(1, 3),
        _table((_("Scope / category"), _("In the inventory"), unit, _("Screening and reason")),
               scope_rows, (2,), _w(0.34, 0.16, 0.12, 0.38)))
    # 4. Results
    u = report.uncertainty
    rows = [
        (_("Scope 1"), num(t.scope_1), _pm(u.get("scope_1"))),
        (_("Scope 2, location-based"), num(t.scope_2_location), _pm(u.get("scope_2_location"))),
        (_("Scope 2, market-based"), num(t.scope_2_market), _pm(u.get("scope_2_market"))),
        (_("Scope 3"), num(t.scope_3), _pm(u.get("scope_3"))),
        (_("Total, location-based"), num(t.total_location), _pm(u.get("total_location"))),
        (_("Total, market-based"), num(t.total_market), _pm(u.get("total_market"))),
    ]
    chart_rows = [(category_name(c.key), c.t_co2e) for c in report.categories if c.key != "scope_2_location"]
    section(titles[3], _table((_("Total"), unit, _("Uncertainty (95 %)")), rows, (1, 2), _w(0.5, 0.25, 0.25),
                              totals=(4, 5)),
            Spacer(1, 4),
            _p(_("Biogenic CO2 from biofuels and biomass, reported outside the scopes: %(t)s t CO2.")
               % {"t": num(report.biogenic_co2_t, 2)}, "note"),
            Spacer(1, 6), _p(_("Emissions by category, market-based (t CO2e)"), "cell_bold"),
            _bar_chart(chart_rows, unit))
    # 5. Methods and data quality
    methods = {"activity": _("activity data × factor"), "spend": _("spend-based (NOK × kg CO2e/NOK)")}
    section(titles[4], _p(_(
        "Data-quality tiers: 1 measured or supplier-specific … 5 rough estimate; spend-based lines are "
        "tier 4. The tier of a category is weighted by tonnes.")), Spacer(1, 3),
        _table((_("Category"), _("Method"), _("Lines"), _("Data quality (tier)"), _("Share")),
               [(category_name(c.key), ", ".join(methods[m] for m in c.methods), num(c.lines, 0),
                 num(c.data_quality, 1), f"{num(100 * c.share, 1)} %") for c in report.categories],
               (2, 3, 4), _w(0.36, 0.3, 0.1, 0.12, 0.12)))
    # 6. Factors
    sources: dict[str, str] = {}
    for f in report.factors:
        sources.setdefault(f.dataset or "—", f.source)
    section(titles[5], _p(_("The factor datasets and versions the account used, each with its publisher, "
                            "then every factor with the publisher's row reference. A line whose factor is "
                            "from an earlier year than the report's (the factor-year rule) is flagged in the "
                            "account.")), Spacer(1, 3),
            _table((_("Dataset"), _("Source")), sorted(sources.items()), (), _w(0.3, 0.7)), Spacer(1, 6),
            _table((_("Factor"), _("kg CO2e per unit"), _("Year"), _("Source row"), _("Dataset"),
                    _("Lines")),
                   [(f"{f.name_nb if _nb() and f.name_nb else f.name} ({f.key})",
                     f"{num(f.kg_co2e_per_unit, 5)} / {f.unit}", str(f.year), f.source_ref,
                     f.dataset or "—", num(f.lines, 0))
                    for f in report.factors], (1, 5), _w(0.34, 0.15, 0.07, 0.22, 0.15, 0.07)))
    # 7. Uncertainty
    total = u.get("total_market")
    section(titles[6], _p(_(
        "The 95 %% range of the market-based total is %(low)s – %(high)s t CO2e (± %(pct)s %%). Method: "
        "IPCC 2006 Guidelines vol. 1 ch. 3, approach 1: each line's activity data uncertainty from its "
        "data-quality tier and its factor's from the publisher; correlated errors add linearly, "
        "independent groups in quadrature.") % {
            "low": num(total.low if total else None), "high": num(total.high if total else None),
            "pct": num(100 * total.relative if total else None)}))
    # 8. Change from last year
    change = report.change
    if change is None:
        section(titles[7], _p(_("No earlier closed year to compare with.")))
    else:
        diff = change.current.total_market - change.previous.total_market
        split = (_("Of the change, %(activity)s t CO2e is the activity effect (more or less activity) and "
                   "%(factor)s t CO2e the factor effect (other emission factors: last year's activity "
                   "valued with this year's factors, minus last year's total).")
                 % {"activity": num(change.activity_effect), "factor": num(change.factor_effect)}
                 if change.factor_effect is not None else _(
                     "Last year's activity data cannot be valued with this year's factors, so the change "
                     "is not split into activity and factor effect."))
        section(titles[7], _p(_("Market-based total %(before)s t CO2e in %(previous)s, %(after)s t CO2e in "
                                "%(year)s: a change of %(diff)s t CO2e.") % {
            "before": num(change.previous.total_market), "previous": change.previous_year,
            "after": num(change.current.total_market), "year": report.year, "diff": num(diff)}),
            Spacer(1, 3), _p(split), Spacer(1, 3),
            _table((_("Category"), str(change.previous_year), str(report.year), _("Change")),
                   [(category_name(k), num(a), num(b), num(b - a)) for k, a, b in change.by_category],
                   (1, 2, 3), _w(0.52, 0.16, 0.16, 0.16)))
    # 9. Intensities
    names_i = {"per_fte": _("per FTE"), "per_mnok": _("per MNOK revenue"), "per_m2": _("per m² floor area")}
    intensity_rows = [(names_i.get(k, k), num(i.t_co2e_location, 3), num(i.t_co2e_market, 3))
                      for k, i in report.intensities.items()]
    section(titles[8], _table((_("Intensity (t CO2e)"), _("Location-based"), _("Market-based")),
                              intensity_rows, (1, 2), _w(0.5, 0.25, 0.25)) if intensity_rows else
            _p(_("No FTE, revenue or floor area recorded for the year.")))
    # 10. Targets
    section(titles[9], *_targets_body(report))
    # 11. Credits
    section(titles[10], *_credits_body(report))
    # Appendix
    story.append(PageBreak())
    story.append(_heading(titles[11]))
    story.append(_p(_("Every line of the account: one row per input line and factor component, with the "
                      "factor's key and the publisher's row reference (%(n)s rows, tonnes CO2e).")
                    % {"n": num(len(report.lines), 0)}, "note"))
    story.append(Spacer(1, 4))
    if appendix:
        story.append(LineListing(report, ("#", _("Ref"), _("Factor"), _("Quantity"), _("Unit"), _("Scope"),
                                          _("Source row"), unit)))
    del names
    return story


def _pm(r: object) -> str:
    relative = getattr(r, "relative", None)
    return f"± {num(100 * relative, 1)} %" if relative is not None else "—"


def _targets_body(report: InventoryReport) -> list[Flowable]:
    if not report.targets:
        return [_p(_("No reduction target is recorded in the plan."))]
    rows = []
    for target in report.targets:
        progress = (_("%(change)s %% below %(base)s in %(year)s; the pathway asks %(required)s %%") % {
            "change": num(target.change_percent), "base": target.base_year, "year": target.progress_year,
            "required": num(target.required_percent)} if target.progress_year else _("No closed year yet"))
        state = "" if target.on_track is None else (_("on track") if target.on_track else _("behind"))
        rows.append((target.name, f"−{num(float(target.reduction_percent), 0)} % {target.base_year}–"
                     f"{target.target_year}", progress, state))
    return [_table((_("Target"), _("Reduction"), _("Progress"), _("Status")), rows, (),
                   _w(0.3, 0.2, 0.38, 0.12)),
            _p(_("Credits never count toward targets."), "note")]


def _credits_body(report: InventoryReport) -> list[Flowable]:
    credits = report.credits
    intro = _p(_("Carbon credits are reported apart from the inventory and are never deducted from the "
                 "emissions above. Retired for %(year)s: %(tonnes)s t CO2e (removals %(removals)s t).")
               % {"year": report.year, "tonnes": num(float(credits.tonnes), 0),
                  "removals": num(float(credits.removals), 0)}
               + " " + _("Credits for a year are often retired after it is closed: this section lists the "
                         "retirements recorded when the report is made, and is the only part of a closed "
                         "year's report that a later retirement changes."))
    if not credits.rows:
        return [intro]
    return [intro, Spacer(1, 3), _table(
        (_("Retired on"), _("Tonnes"), _("Standard"), _("Project"), _("Serials")),
        [(_day(c.retired_on), num(float(c.tonnes), 0), c.standard, c.project, c.serials)
         for c in credits.rows], (1,), _w(0.13, 0.09, 0.15, 0.25, 0.38))]


def section_titles() -> list[str]:
    return [
        _("1. Organisation and boundaries"),
        _("2. Reporting period, base year and recalculation"),
        _("3. Scopes and categories included and excluded"),
        _("4. Results"),
        _("5. Methods and data quality"),
        _("6. Emission factors and sources"),
        _("7. Uncertainty"),
        _("8. Change from last year"),
        _("9. Intensities"),
        _("10. Targets and progress"),
        _("11. Carbon credits (reported apart)"),
        _("Appendix: every line"),
    ]


def _build(story: list[Flowable], title: str, subtitle: str, footer: str, draft: bool,
           pages: list[tuple[str, int]] | None = None) -> tuple[bytes, int]:
    out = io.BytesIO()
    count: list[int] = [0]
    draft_word = _("DRAFT")
    page_word = _("Page")

    def decorate(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        count[0] = doc.page
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, MARGIN, A4[0] - MARGIN, MARGIN)
        canvas.drawString(MARGIN, MARGIN - 11, footer.translate(PLAIN))
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 11, f"{page_word} {doc.page}")
        if draft:
            canvas.setFillColor(DRAFT_RED)
            canvas.setFont("Helvetica-Bold", 9)
            canvas.drawRightString(A4[0] - MARGIN, A4[1] - MARGIN + 8, draft_word)
            canvas.setFillColor(colors.Color(0.7, 0.15, 0.12, alpha=0.08))
            canvas.setFont("Helvetica-Bold", 110)
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(50)
            canvas.drawCentredString(0, -35, draft_word)
        canvas.restoreState()

    class Doc(BaseDocTemplate):
        def afterFlowable(self, flowable: Flowable) -> None:
            if pages is not None and isinstance(flowable, Heading):
                pages.append((flowable.getPlainText(), self.page))

    doc = Doc(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
              bottomMargin=MARGIN + 6 * mm, title=title, author="klimabok", subject=subtitle,
              creator="klimabok")
    frame = Frame(MARGIN, MARGIN + 6 * mm, WIDTH, A4[1] - 2 * MARGIN - 6 * mm, id="body")
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=decorate)])
    doc.build(story)
    return out.getvalue(), count[0]


def _invariant(make: Callable[[], bytes]) -> bytes:
    """``make()`` in reportlab's invariant mode (fixed dates and ids), its page streams compressed but
    not ASCII85-encoded (a fifth smaller, and reportlab's pure-Python encoder cost seconds for the
    appendix of a 100,000-line year)."""
    previous = rl_config.invariant, rl_config.useA85
    rl_config.invariant, rl_config.useA85 = 1, 0
    try:
        return make()
    finally:
        rl_config.invariant, rl_config.useA85 = previous


def render_inventory_pdf(report: InventoryReport, names: dict[str, str]) -> bytes:
    """The GHG inventory report's PDF bytes (identical for identical content)."""
    title = _("Greenhouse gas inventory report %(year)s") % {"year": report.year}
    footer = f"{report.organisation} · {title}" + (f" · {_('DRAFT')}" if report.draft else "")

    def make() -> bytes:
        titles = section_titles()
        pages: list[tuple[str, int]] = []
        _build(_story(report, names, [(t, 0) for t in titles], appendix=False), title,
               report.organisation, footer, report.draft, pages)
        found = dict(pages)
        toc = [(t, found.get(t.translate(PLAIN), 0)) for t in titles]
        return _build(_story(report, names, toc, appendix=True), title, report.organisation, footer,
                      report.draft)[0]

    return _invariant(make)


def render_board_summary_pdf(report: InventoryReport, names: dict[str, str]) -> bytes:
    """One page for the board: totals by scope, the change, targets, the three largest sources,
    compensation beside (never netted) and the plan's next steps."""
    title = _("Climate account %(year)s: summary for the board") % {"year": report.year}
    footer = f"{report.organisation} · {title}" + (f" · {_('DRAFT')}" if report.draft else "")
    t = report.totals
    unit = _("t CO2e")
    story: list[Flowable] = [
        _p(title, "title"),
        _p(_("%(organisation)s · %(start)s – %(end)s · as of %(day)s") % {
            "organisation": report.organisation, "start": _day(report.period[0]),
            "end": _day(report.period[1]), "day": _day(report.made_on)}, "subtitle"),
    ]
    if report.draft:
        story.append(_p(_("DRAFT: the year is open, and its figures may still change."), "note"))
    change = report.change
    diff = (change.current.total_market - change.previous.total_market) if change else None
    pct = (100 * diff / change.previous.total_market if change and change.previous.total_market and
           diff is not None else None)
    rows = [
        (_("Scope 1"), num(t.scope_1)),
        (_("Scope 2, market-based (location-based %(t)s)") % {"t": num(t.scope_2_location)},
         num(t.scope_2_market)),
        (_("Scope 3"), num(t.scope_3)),
        (_("Total, market-based"), num(t.total_market)),
    ]
    story += [_p(_("Emissions"), "heading"), _table(("", unit), rows, (1,), _w(0.7, 0.3), totals=(3,))]
    if change is not None:
        story.append(_p(_("Change from %(previous)s: %(diff)s t CO2e (%(pct)s %%); activity effect %(a)s t, "
                          "factor effect %(f)s t.") % {
            "previous": change.previous_year, "diff": num(diff), "pct": num(pct),
            "a": num(change.activity_effect), "f": num(change.factor_effect)}, "cell"))
    else:
        story.append(_p(_("No earlier closed year to compare with."), "cell"))
    story += [_p(_("Largest sources"), "heading"), _table(
        (_("Source"), unit, _("Share")),
        [(names.get(s.activity, s.activity), num(s.t_co2e), f"{num(100 * s.share, 1)} %")
         for s in report.largest_sources], (1, 2), _w(0.6, 0.2, 0.2))]
    story += [_p(_("Targets"), "heading"), *_targets_body(report)]
    story += [_p(_("Compensation, beside the account"), "heading"), _p(
        _("Credits retired for %(year)s: %(tonnes)s t CO2e. They are not deducted: the total above is "
          "the emissions as they are.") % {"year": report.year,
                                           "tonnes": num(float(report.credits.tonnes), 0)})]
    steps = report.next_steps[:6]
    story.append(_p(_("Next steps in the plan"), "heading"))
    if steps:
        story.append(_table((_("Measure"), _("Status"), _("Owner"), _("Deadline")),
                            [(s.title, s.status, s.owner or "—", _day(s.deadline) if s.deadline else "—")
                             for s in steps], (), _w(0.5, 0.16, 0.18, 0.16)))
    else:
        story.append(_p(_("No planned or ongoing measures in the plan.")))
    return _invariant(lambda: _build(story, title, report.organisation, footer, report.draft)[0])
