"""The Miljøfyrtårn report as a PDF: A4 portrait, the same sections as the page, in the page's language.

Rendered with reportlab, as the certificates are (:mod:`klimabok.certificates.render`): no system
packages, standard fonts (Helvetica, whose WinAnsi encoding has æ, ø, å, ² and the dashes; the
few characters it lacks — the minus sign, a subscript two — are written as their plain forms).
Each section keeps its heading with its first table; a long table flows on to the next page with
its header repeated; every page has the organisation, the year and the page number at the foot.
Output is deterministic (reportlab's invariant mode), so equal reports give equal bytes.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from .layout import Figure, Section, cell_text

INK = colors.HexColor("#1d2b24")
GREEN = colors.HexColor("#1f5c45")
MUTED = colors.HexColor("#5b6b63")
RULE = colors.HexColor("#b9c7bf")
TINT = colors.HexColor("#f4f7f3")
MARGIN = 18 * mm

STYLES = {
    "title": ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=17, leading=21, textColor=GREEN),
    "subtitle": ParagraphStyle(
        "subtitle", fontName="Helvetica", fontSize=9.5, leading=13, textColor=MUTED, spaceAfter=6
    ),
    "heading": ParagraphStyle(
        "heading",
        fontName="Helvetica-Bold",
        fontSize=11.5,
        leading=15,
        textColor=GREEN,
        spaceBefore=10,
        spaceAfter=4,
    ),
    "cell": ParagraphStyle("cell", fontName="Helvetica", fontSize=8.6, leading=10.8, textColor=INK),
    "cell_bold": ParagraphStyle(
        "cell_bold", fontName="Helvetica-Bold", fontSize=8.6, leading=10.8, textColor=INK
    ),
    "number": ParagraphStyle(
        "number", fontName="Helvetica", fontSize=8.6, leading=10.8, textColor=INK, alignment=TA_RIGHT
    ),
    "number_bold": ParagraphStyle(
        "number_bold",
        fontName="Helvetica-Bold",
        fontSize=8.6,
        leading=10.8,
        textColor=INK,
        alignment=TA_RIGHT,
    ),
    "head": ParagraphStyle("head", fontName="Helvetica", fontSize=7.8, leading=10, textColor=MUTED),
    "head_right": ParagraphStyle(
        "head_right", fontName="Helvetica", fontSize=7.8, leading=10, textColor=MUTED, alignment=TA_RIGHT
    ),
    "note": ParagraphStyle(
        "note", fontName="Helvetica-Oblique", fontSize=7.8, leading=10, textColor=MUTED, spaceBefore=3
    ),
}
#: What the standard fonts cannot print, and what is printed instead.
PLAIN = str.maketrans({"\u2212": "-", "\u2082": "2", "\u202f": "\u00a0"})


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text.translate(PLAIN)), STYLES[style])


def _widths(columns: int, width: float) -> list[float]:
    if columns == 3:
        return [width * 0.56, width * 0.24, width * 0.20]
    if columns == 4:
        return [width * 0.46, width * 0.18, width * 0.20, width * 0.16]
    return [width / columns] * columns


def _table(
    columns: tuple[str, ...], rows: list[tuple[object, ...]], totals: frozenset[int], width: float
) -> Table:
    numeric = [any(isinstance(row[i], Figure) for row in rows) for i in range(len(columns))]
    data = [[_p(c, "head_right" if numeric[i] else "head") for i, c in enumerate(columns)]]
    for index, row in enumerate(rows):
        bold = "_bold" if index in totals else ""
        data.append(
            [
                # a column of numbers is right-aligned throughout, its "—" for a missing figure too
                _p(cell_text(v), ("number" if numeric[i] else "cell") + bold)  # type: ignore[arg-type]
                for i, v in enumerate(row)
            ]
        )
    table = Table(data, colWidths=_widths(len(columns), width), repeatRows=1)
    style: list[tuple[str, tuple[int, int], tuple[int, int], *tuple[object, ...]]] = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, GREEN),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    style += [("BACKGROUND", (0, i + 1), (-1, i + 1), TINT) for i in totals]
    table.setStyle(TableStyle(style))
    return table


def _section(section: Section, width: float) -> list[Flowable]:
    heading = _p(f"{section.number}. {section.title}", "heading")
    body: list[Flowable] = []
    for table in section.tables:
        body += [_table(table.columns, list(table.rows), table.total_rows, width), Spacer(1, 4)]
    if not section.tables and section.empty:
        body.append(_p(section.empty, "cell"))
    body += [_p(note, "note") for note in section.notes]
    # the heading never stands alone at the foot of a page
    return [KeepTogether([heading, *body[:1]]), *body[1:]]


def render_miljofyrtarn_pdf(
    title: str, subtitle: str, footer: str, page_word: str, sections: list[Section]
) -> bytes:
    """The report's PDF bytes; ``footer`` is printed at each page's foot beside "``page_word`` n"."""
    out = io.BytesIO()
    previous = rl_config.invariant
    rl_config.invariant = 1
    try:
        document = SimpleDocTemplate(
            out,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 6 * mm,
            title=title,
            author="klimabok",
            subject=subtitle,
        )
        width = A4[0] - 2 * MARGIN

        def foot(canvas: Canvas, doc: SimpleDocTemplate) -> None:
            canvas.saveState()
            canvas.setFont("Helvetica", 7.5)
            canvas.setFillColor(MUTED)
            canvas.setStrokeColor(RULE)
            canvas.line(MARGIN, MARGIN, A4[0] - MARGIN, MARGIN)
            canvas.drawString(MARGIN, MARGIN - 11, footer.translate(PLAIN))
            canvas.drawRightString(A4[0] - MARGIN, MARGIN - 11, f"{page_word} {doc.page}")
            canvas.restoreState()

        story: list[Flowable] = [_p(title, "title"), _p(subtitle, "subtitle")]
        for section in sections:
            story += _section(section, width)
        document.build(story, onFirstPage=foot, onLaterPages=foot)
    finally:
        rl_config.invariant = previous
    return out.getvalue()
