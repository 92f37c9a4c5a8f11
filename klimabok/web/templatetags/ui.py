"""Template tags shared by every page: ``{% load ui %}``."""

from __future__ import annotations

from django import template
from django.template import Context, TemplateDoesNotExist
from django.urls import reverse
from django.utils.safestring import SafeString

from klimabok.accounts.links import org_home_url
from klimabok.accounts.models import Organisation

register = template.Library()


@register.simple_tag(takes_context=True)
def include_if_exists(context: Context, template_name: str) -> SafeString | str:
    """Like ``{% include %}``, but renders nothing while another app has not written the template yet."""
    assert context.template is not None  # a tag's context belongs to the template being rendered
    try:
        included = context.template.engine.get_template(template_name)
    except TemplateDoesNotExist:
        return ""
    with context.push():
        return included.render(context)


@register.simple_tag
def org_url(organisation: Organisation) -> str:
    """The organisation's start page (the chooser on the home page until the inventory app has one)."""
    return org_home_url(organisation) or reverse("home")
