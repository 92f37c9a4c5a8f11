"""``{% vsme_template_configured %}``: whether the VSME XLSX can be offered (its template is configured)."""

from __future__ import annotations

from django import template

from klimabok.reports.datapoints import vsme_template

register = template.Library()


@register.simple_tag
def vsme_template_configured() -> bool:
    return vsme_template() is not None
