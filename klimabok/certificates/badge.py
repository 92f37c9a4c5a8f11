"""The embeddable SVG badge: "138 t CO2e kreditter slettet · 2025 · verifiser", linking to the public page.

Pure Python, hand-written SVG (two flat segments, as badges usually look):
the left names klimabok, the right states what the certificate does — no
"climate neutral". A revoked certificate's badge says so, in red. Widths are
estimated from the text and pinned with ``textLength``, so the text fits in
whatever font the visitor's browser picks.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

HEIGHT = 20
FONT_SIZE = 11
CHAR_WIDTH = 6.4  # average advance of a sans-serif at 11 px; textLength corrects the rest
PADDING = 7
LABEL = "klimabok"
GREEN_DARK = "#124a39"
GREEN = "#1d7356"
RED = "#b42318"


def _width(text: str) -> int:
    return round(len(text) * CHAR_WIDTH) + 2 * PADDING


def _text_with_subscript(text: str) -> str:
    """Escaped text in which every "CO2" has its 2 lowered (a tspan), since fonts may lack "₂"."""
    first, *rest = text.split("CO2")
    return escape(first) + "".join(
        f'CO<tspan dy="3" font-size="8">2</tspan><tspan dy="-3">{escape(part)}</tspan>' for part in rest)


def badge_svg(message: str, *, revoked: bool = False, title: str = "") -> str:
    """The badge as an SVG document (UTF-8 text); ``title`` is the tooltip and accessible name."""
    label_width, message_width = _width(LABEL), _width(message)
    width = label_width + message_width
    colour = RED if revoked else GREEN
    accessible = title or f"{LABEL}: {message}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" aria-label={quoteattr(accessible)}>'
        f"<title>{escape(accessible)}</title>"
        f'<rect width="{width}" height="{HEIGHT}" rx="3" fill="{colour}"/>'
        f'<rect width="{label_width}" height="{HEIGHT}" rx="3" fill="{GREEN_DARK}"/>'
        f'<rect x="{label_width - 4}" width="4" height="{HEIGHT}" fill="{GREEN_DARK}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,Geneva,sans-serif" font-size="{FONT_SIZE}">'
        f'<text x="{PADDING}" y="14" textLength="{label_width - 2 * PADDING}" '
        f'lengthAdjust="spacingAndGlyphs" font-weight="bold">{LABEL}</text>'
        f'<text x="{label_width + PADDING}" y="14" textLength="{message_width - 2 * PADDING}" '
        f'lengthAdjust="spacingAndGlyphs">{_text_with_subscript(message)}</text>'
        "</g></svg>"
    )
