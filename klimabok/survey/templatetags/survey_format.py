"""Small filters for the survey's pages."""

from __future__ import annotations

from datetime import date

from django import template
from django.conf import settings
from django.utils.translation import gettext

from klimabok.accounts.models import Organisation
from klimabok.inventory.templatetags.account_format import grouped
from klimabok.survey.read_models import open_invitation

register = template.Library()


@register.filter
def whole(value: float | None) -> str:
    """A whole number, grouped in the active language ("12 345"); empty for None."""
    return "" if value is None else grouped(value, 0)


@register.filter
def one_decimal(value: float | None) -> str:
    return "" if value is None else grouped(value, 1)


@register.filter
def flag_text(template_text: str) -> str:
    """A stored flag (a core message template without parameters) in the active language."""
    return gettext(template_text)


@register.simple_tag
def survey_invitation(organisation: Organisation,
                      absolute: bool = False) -> tuple[int, str, date | None] | None:
    """The open survey to invite to (year, link, last day), or None; ``absolute`` puts the site's address
    (``KLIMABOK_SITE_URL``) before the link, for e-mail."""
    found = open_invitation(organisation)
    if found is None:
        return None
    year, path, closes_on = found
    return year, (settings.KLIMABOK_SITE_URL + path) if absolute else path, closes_on
