"""The employee's start page on the organisation's home (``engagement/_start.html``, which
``account/org_home.html`` includes when this app is installed), and a post's Markdown as safe HTML."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from klimabok.engagement import read_models
from klimabok.engagement.access import PUBLISH, may_participate
from klimabok.engagement.rendering import post_html

register = template.Library()


@register.simple_tag(takes_context=True)
def start_page(context: Any) -> dict[str, Any]:
    """What the start page shows the request's user of the page's organisation (``access``)."""
    access = context["access"]
    page = read_models.start_page(access.organisation, context["request"].user, timezone.localdate())
    return {"page": page, "can_publish": access.can(PUBLISH), "can_participate": may_participate(access),
            "excerpts": [(post, read_models.excerpt(post.body)) for post in page.posts]}


@register.filter
def markdown(text: str) -> SafeString:
    return post_html(text)
