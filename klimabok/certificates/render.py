"""The certificate as a PDF: A4 portrait, framed, in bokmål or English.

Pure Python (reportlab + segno, no Django, no system packages): facts in,
bytes out. The first page is the one a company frames: who, how many tonnes,
the honest statement, the facts, the projects, the serial ranges and — at a
fixed place at the bottom — the QR code and address of the public
verification page with the ledger hash. A long list of serial ranges flows on
to further pages (the table header repeats); those pages carry the frame, the
certificate number and the page number.

Output is deterministic: reportlab's invariant mode fixes the creation date
and document ID, so equal facts give equal bytes (tests compare them).

Fonts are the PDF standard fonts (Times, Helvetica, Courier), whose WinAnsi
encoding has æ, ø and å; "CO2" is printed with a real subscript 2 (Paragraph
``<sub>``), since the standard fonts have no "₂" glyph.
"""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from klimabok.certificates.facts import CertificateFacts, ProjectFacts, registry_name
from klimabok.certificates.wording import RegistryMatch, Wording, wording

PAGE_WIDTH, PAGE_HEIGHT = A4
INK = colors.HexColor("#1d2b24")
GREEN = colors.HexColor("#1f5c45")
MUTED = colors.HexColor("#5b6b63")
RULE = colors.HexColor("#b9c7bf")
PAPER_TINT = colors.HexColor("#f4f7f3")
REVOKED_RED = colors.HexColor("#b42318")

OUTER = 22  # outer frame line, from the paper's edge (pt)
INNER = 28  # inner frame line
MARGIN = 58  # text margin
VERIFY_BLOCK = 172  # height kept free at the bottom of page 1 for the QR block and footer
FOOTER = 62  # height kept free at the bottom of later pages
TOP = PAGE_HEIGHT - MARGIN + 14  # top of the text frame
FIRST_FRAME_HEIGHT = TOP - VERIFY_BLOCK
QR_SIZE = 82

_styles = {
    "title": ParagraphStyle("title", fontName="Times-Roman", fontSize=25, leading=30, textColor=INK,
                            alignment=TA_CENTER),
    "small_centre": ParagraphStyle("small_centre", fontName="Helvetica", fontSize=8.5, leading=11,
                                   textColor=MUTED, alignment=TA_CENTER),
    "organisation": ParagraphStyle("organisation", fontName="Times-Bold", fontSize=22, leading=26,
                                   textColor=INK, alignment=TA_CENTER),
    "tonnes": ParagraphStyle("tonnes", fontName="Times-Roman", fontSize=64, leading=66, textColor=GREEN,
                             alignment=TA_CENTER),
    "tonnes_caption": ParagraphStyle("tonnes_caption", fontName="Helvetica", fontSize=10.5, leading=14,
                                     textColor=INK, alignment=TA_CENTER),
    "statement": ParagraphStyle("statement", fontName="Times-Italic", fontSize=11.5, leading=15.5,
                                textColor=INK, alignment=TA_CENTER),
    "label": ParagraphStyle("label", fontName="Helvetica", fontSize=8, leading=10.5, textColor=MUTED),
    "value": ParagraphStyle("value", fontName="Helvetica", fontSize=9, leading=11.5, textColor=INK),
    "value_bold": ParagraphStyle("value_bold", fontName="Helvetica-Bold", fontSize=9, leading=11.5,
                                 textColor=INK),
    "heading": ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=9, leading=12, textColor=GREEN,
                              spaceBefore=10, spaceAfter=3),
    "serial": ParagraphStyle("serial", fontName="Courier", fontSize=7.4, leading=9.5, textColor=INK,
                             wordWrap="CJK"),
    "cell": ParagraphStyle("cell", fontName="Helvetica", fontSize=7.6, leading=9.5, textColor=INK),
    "cell_right": ParagraphStyle("cell_right", fontName="Helvetica", fontSize=7.6, leading=9.5,
                                 textColor=INK, alignment=TA_RIGHT),
    "running_head": ParagraphStyle("running_head", fontName="Helvetica", fontSize=8, leading=10,
                                   textColor=MUTED, alignment=TA_RIGHT),
    "head_cell": ParagraphStyle("head_cell", fontName="Helvetica", fontSize=7.5, leading=9.5,
                                textColor=MUTED, alignment=TA_LEFT),
    "head_cell_right": ParagraphStyle("head_cell_right", fontName="Helvetica", fontSize=7.5, leading=9.5,
                                      textColor=MUTED, alignment=TA_RIGHT),
}


def _text(value: str) -> str:
    """Escape for Paragraph markup and give "CO2" its subscript."""
    return escape(value).replace("CO2", "CO<sub>2</sub>")


def _p(value: str, style: str) -> Paragraph:
    return Paragraph(_text(value), _styles[style])


class _SpacedCaps(Flowable):
    """A line of letter-spaced capitals, centred: the partner's name at the top."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text.upper()

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.available_width = available_width
        return available_width, 12

    def draw(self) -> None:
        self.canv.setFillColor(GREEN)
        self.canv.setFont("Helvetica-Bold", 9)
        self.canv.drawCentredString(self.available_width / 2, 2, self.text, charSpace=2.2)


class _Rule(Flowable):
    """A short centred hairline: the certificate's one ornament."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.rule_width = width

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.available_width = available_width
        return available_width, 14

    def draw(self) -> None:
        x = (self.available_width - self.rule_width) / 2
        self.canv.setStrokeColor(GREEN)
        self.canv.setLineWidth(0.8)
        self.canv.line(x, 7, x + self.rule_width, 7)
        self.canv.setFillColor(GREEN)
        self.canv.circle(self.available_width / 2, 7, 1.8, stroke=0, fill=1)


def _facts_table(facts: CertificateFacts, words: Wording, width: float,
                 registry_match: RegistryMatch | None) -> Table:
    reference = _text(facts.registry_reference)
    if facts.registry_reference_url:
        reference = f'<a href="{escape(facts.registry_reference_url)}" color="#1f5c45">{reference}</a>'
    rows = [
        (words.certificate_number, _p(facts.number, "value_bold")),
        (words.reporting_year, _p(str(facts.reporting_year), "value_bold")),
        (words.retired_on, _p(words.date(facts.retired_on), "value")),
        (words.registry_check, _p(words.registry_check_for(registry_match), "value")),
        (words.beneficiary, _p(facts.beneficiary, "value")),
        (words.registry_reference, Paragraph(reference, _styles["value"])),
    ]
    table = Table([[_p(label, "label"), value] for label, value in rows],
                  colWidths=[width * 0.36, width * 0.64])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _project_lines(project: ProjectFacts, words: Wording) -> list[Paragraph]:
    kind = words.kinds.get(project.kind, words.kinds["unknown"])
    if project.nature in words.natures:
        kind = f"{kind}, {words.natures[project.nature]}"
    registry = f"{registry_name(project.registry)} {project.project_id}".strip()
    lines = [
        _p(project.name, "value_bold"),
        _p(f"{words.registry}: {registry} · {words.country}: {project.country} · {words.kind}: {kind}",
           "value"),
    ]
    if project.labels:
        lines.append(_p(f"{words.labels}: {', '.join(project.labels)}", "label"))
    return lines


def _projects_block(facts: CertificateFacts, words: Wording, width: float) -> list[Flowable]:
    heading = words.projects if len(facts.projects) > 1 else words.project
    rows = [[_project_lines(project, words)] for project in facts.projects]
    table = Table(rows, colWidths=[width])
    table.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return [_p(heading, "heading"), table]


def _serial_table(facts: CertificateFacts, words: Wording, width: float) -> Table:
    rows: list[list[Flowable]] = [[_p(words.serial, "head_cell"), _p(words.vintage, "head_cell"),
                                   _p(words.quantity, "head_cell_right")]]
    rows += [[_p(r.serial, "serial"), _p(r.vintage, "cell"), _p(words.number(r.quantity), "cell_right")]
             for r in facts.serial_ranges]
    if len(facts.serial_ranges) > 1:
        rows.append([_p("", "cell"), _p("", "cell"), _p(words.number(facts.tonnes), "cell_right")])
    table = Table(rows, colWidths=[width * 0.72, width * 0.16, width * 0.12], repeatRows=1)
    style: list[tuple[str, tuple[int, int], tuple[int, int], *tuple[object, ...]]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, GREEN),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
    ]
    if len(facts.serial_ranges) > 1:
        style += [("LINEABOVE", (0, -1), (-1, -1), 0.6, GREEN), ("LINEBELOW", (0, -1), (-1, -1), 0, RULE)]
    table.setStyle(TableStyle(style))
    return table


def _height(flowables: list[Flowable], width: float) -> float:
    return sum(f.wrap(width, PAGE_HEIGHT * 100)[1] + f.getSpaceBefore() + f.getSpaceAfter()
               for f in flowables)


def _story(facts: CertificateFacts, words: Wording, width: float,
           registry_match: RegistryMatch | None) -> list[Flowable]:
    """Page 1 centred in its space when everything fits; else the serial ranges start on page 2.

    A framed page full of serial numbers is no certificate: when the ranges do
    not fit beside the rest, page 1 says how many there are and where.
    """
    head = _head(facts, words, width, registry_match)
    serials: list[Flowable] = [_p(words.serial_ranges, "heading"), _serial_table(facts, words, width)]
    free = FIRST_FRAME_HEIGHT - _height(head, width) - _height(serials, width)
    if free >= 0:
        return [NextPageTemplate("later"), Spacer(1, free * 0.4), *head, *serials]
    overflow = words.serial_ranges_overflow.format(count=words.number(len(facts.serial_ranges)),
                                                   tonnes=words.number(facts.tonnes))
    return [NextPageTemplate("later"), *head, _p(words.serial_ranges, "heading"), _p(overflow, "value"),
            PageBreak(), *serials]


def _head(facts: CertificateFacts, words: Wording, width: float,
          registry_match: RegistryMatch | None) -> list[Flowable]:
    organisation = facts.organisation_name
    org_line = f"{words.org_number} {facts.organisation_number}" if facts.organisation_number else ""
    return [
        _SpacedCaps(facts.partner_name),
        Spacer(1, 14),
        _p(words.title, "title"),
        _Rule(120),
        Spacer(1, 6),
        _p(words.issued_to, "small_centre"),
        Spacer(1, 2),
        _p(organisation, "organisation"),
        _p(org_line, "small_centre"),
        Spacer(1, 6),
        _p(words.number(facts.tonnes), "tonnes"),
        Spacer(1, 8),
        _p(words.credits_retired, "tonnes_caption"),
        Spacer(1, 12),
        Table([[_p(words.statement_for(organisation), "statement")]], colWidths=[width * 0.86]),
        Spacer(1, 12),
        _facts_table(facts, words, width, registry_match),
        *_projects_block(facts, words, width),
    ]


def _draw_frame(canvas: Canvas) -> None:
    canvas.setFillColor(PAPER_TINT)
    canvas.rect(OUTER, OUTER, PAGE_WIDTH - 2 * OUTER, PAGE_HEIGHT - 2 * OUTER, stroke=0, fill=1)
    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(1.8)
    canvas.rect(OUTER, OUTER, PAGE_WIDTH - 2 * OUTER, PAGE_HEIGHT - 2 * OUTER)
    canvas.setLineWidth(0.5)
    canvas.rect(INNER, INNER, PAGE_WIDTH - 2 * INNER, PAGE_HEIGHT - 2 * INNER)


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as vector squares, one run of dark modules per rectangle."""
    matrix = segno.make(url, error="m").matrix
    module = size / len(matrix)
    canvas.setFillColor(colors.white)
    canvas.rect(x - 3, y - 3, size + 6, size + 6, stroke=0, fill=1)
    canvas.setFillColor(INK)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        column = 0
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                path.rect(x + start * module, top, (column - start) * module, module)
            else:
                column += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.linkURL(url, (x, y, x + size, y + size), relative=0)


def _draw_footer(canvas: Canvas, facts: CertificateFacts, words: Wording, page: int) -> None:
    y = INNER + 14
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, y + 12, PAGE_WIDTH - MARGIN, y + 12)
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 7.5)
    canvas.drawString(MARGIN, y, words.issued_by.format(partner=facts.partner_name,
                                                        date=words.date(facts.issued_at.date())))
    canvas.drawRightString(PAGE_WIDTH - MARGIN, y, f"{facts.number} · {words.page.format(page=page)}")


def _draw_verification(canvas: Canvas, facts: CertificateFacts, words: Wording) -> None:
    bottom = INNER + 40
    _draw_qr(canvas, facts.verification_url, MARGIN, bottom, QR_SIZE)
    x = MARGIN + QR_SIZE + 16
    width = PAGE_WIDTH - MARGIN - x
    top = bottom + QR_SIZE
    canvas.setFillColor(GREEN)
    canvas.setFont("Helvetica-Bold", 9.5)
    canvas.drawString(x, top - 9, words.verify)
    url = Paragraph(f'<a href="{escape(facts.verification_url)}" color="#1d2b24">'
                    f"{escape(facts.verification_url)}</a>",
                    ParagraphStyle("url", fontName="Courier-Bold", fontSize=8.5, leading=10.5, textColor=INK,
                                   wordWrap="CJK"))
    _, url_height = url.wrap(width, 40)
    url.drawOn(canvas, x, top - 14 - url_height)
    hint = Paragraph(escape(words.verify_hint), _styles["label"])
    _, hint_height = hint.wrap(width, 40)
    hint.drawOn(canvas, x, top - 18 - url_height - hint_height)
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 7)
    canvas.drawString(x, bottom + 11, words.ledger_hash)
    canvas.setFont("Courier", 6.6)
    canvas.drawString(x, bottom + 2, facts.ledger_hash)


def _draw_revoked(canvas: Canvas, words: Wording, revoked_on: date) -> None:
    canvas.saveState()
    canvas.setFillColor(REVOKED_RED)
    canvas.setFillAlpha(0.22)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(35)
    canvas.setFont("Helvetica-Bold", 56)
    canvas.drawCentredString(0, 0, words.revoked)
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawCentredString(0, -26, words.date(revoked_on))
    canvas.restoreState()


def render_certificate_pdf(facts: CertificateFacts, *, revoked_on: date | None = None,
                           registry_match: RegistryMatch | None = None) -> bytes:
    """The certificate for ``facts`` as PDF bytes; ``revoked_on`` stamps every page "revoked".

    ``registry_match`` is the retirement's live match against the registry's export (the PDF is
    rendered on each request): without one, the certificate says the retirement is reported by
    the climate partner and not yet matched against the registry.
    """
    words = wording(facts.language)
    buffer = io.BytesIO()
    frame_width = PAGE_WIDTH - 2 * MARGIN

    def first_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        _draw_frame(canvas)
        _draw_verification(canvas, facts, words)
        _draw_footer(canvas, facts, words, doc.page)
        if revoked_on is not None:
            _draw_revoked(canvas, words, revoked_on)

    def later_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        _draw_frame(canvas)
        canvas.setFillColor(GREEN)
        canvas.setFont("Helvetica-Bold", 9)
        canvas.drawString(MARGIN, PAGE_HEIGHT - MARGIN + 6, f"{words.title} {facts.number}")
        running_head = _p(f"{facts.organisation_name} · {words.number(facts.tonnes)} t CO2e", "running_head")
        running_head.wrap(frame_width * 0.4, 20)
        running_head.drawOn(canvas, PAGE_WIDTH - MARGIN - frame_width * 0.4, PAGE_HEIGHT - MARGIN + 4)
        _draw_footer(canvas, facts, words, doc.page)
        if revoked_on is not None:
            _draw_revoked(canvas, words, revoked_on)

    doc = BaseDocTemplate(
        buffer, pagesize=A4, invariant=1, title=f"{words.title} {facts.number}",
        author=facts.partner_name, subject=words.statement_for(facts.organisation_name),
        creator="klimabok", lang=facts.language, displayDocTitle=1,
        pageTemplates=[
            PageTemplate("first", [Frame(MARGIN, VERIFY_BLOCK, frame_width, FIRST_FRAME_HEIGHT,
                                         leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)],
                         onPage=first_page),
            PageTemplate("later", [Frame(MARGIN, FOOTER, frame_width, TOP - 22 - FOOTER,
                                         leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)],
                         onPage=later_page),
        ])
    doc.build(_story(facts, words, frame_width, registry_match))
    return buffer.getvalue()
