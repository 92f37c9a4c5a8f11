"""A post's Markdown as HTML that is safe to show: neither a view nor a write, so neither in ``services``
nor ``read_models``; both the pages and the digest e-mail use it.

Markdown (Python-Markdown) passes raw HTML through, so its output is cleaned by nh3 (the Ammonia
sanitiser) with an allow-list: text formatting, lists, quotes, code, headings and links to http(s) or
mail addresses only. Scripts and styles go with their content; event handlers, ``javascript:`` and
``data:`` links and images are removed (a post's picture is its uploaded image, not a link that would
fetch from elsewhere).
"""

from __future__ import annotations

from html import unescape

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3", "h4",
        "hr", "a"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def post_html(text: str) -> SafeString:
    """``text`` (Markdown) as sanitised HTML."""
    html = markdown.markdown(text, output_format="html")
    cleaned = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                        link_rel="noopener noreferrer nofollow")
    return mark_safe(cleaned)  # noqa: S308 - nh3 has removed everything outside the allow-list


def plain_text(text: str) -> str:
    """``text`` (Markdown) as plain text, for an excerpt or the digest e-mail: the sanitised HTML's text."""
    html = markdown.markdown(text, output_format="html")
    return unescape(nh3.clean(html, tags=set(), attributes={})).strip()
