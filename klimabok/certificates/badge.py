"""The embeddable SVG badge: "138 t CO2e klimakreditter slettet for 2025 — se bevis", linked to the proof.

Pure Python, hand-written SVG (two flat segments): the left names klimabok, the
right states a fact — how many tonnes of credits were retired for which year's
account, and where the proof is. It must not read like a sustainability label:
Directive (EU) 2024/825 (Annex I point 2a of Directive 2005/29/EC) bans
displaying a sustainability label that is not based on a certification scheme
or set up by public authorities, and klimabok's badge is neither. So no
"climate neutral", no "certified", no check mark and no green seal colour: the
badge is neutral grey, like a plain statement with a link. A revoked
certificate's badge says so, in red. Widths are estimated from the text and
pinned with ``textLength``, so the text fits in whatever font the visitor's
browser picks.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

HEIGHT = 20
FONT_SIZE = 11
CHAR_WIDTH = 6.4  # average advance of a sans-serif at 11 px; textLength corrects the rest
PADDING = 7
LABEL = "klimabok"
#: Neutral greys (no green "approved" look; see the module docstring).
LABEL_GREY = "#3f3f46"
GREY = "#52525b"
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
    colour = RED if revoked else GREY
    accessible = title or f"{LABEL}: {message}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" aria-label={quoteattr(accessible)}>'
        f"<title>{escape(accessible)}</title>"
        f'<rect width="{width}" height="{HEIGHT}" rx="3" fill="{colour}"/>'
        f'<rect width="{label_width}" height="{HEIGHT}" rx="3" fill="{LABEL_GREY}"/>'
        f'<rect x="{label_width - 4}" width="4" height="{HEIGHT}" fill="{LABEL_GREY}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,Geneva,sans-serif" font-size="{FONT_SIZE}">'
        f'<text x="{PADDING}" y="14" textLength="{label_width - 2 * PADDING}" '
        f'lengthAdjust="spacingAndGlyphs" font-weight="bold">{LABEL}</text>'
        f'<text x="{label_width + PADDING}" y="14" textLength="{message_width - 2 * PADDING}" '
        f'lengthAdjust="spacingAndGlyphs">{_text_with_subscript(message)}</text>'
        "</g></svg>"
    )
