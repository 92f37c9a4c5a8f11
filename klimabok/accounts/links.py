"""Where an organisation's pages start.

The organisation's home page belongs to the inventory app; until it is
installed, links fall back to the organisation chooser on the home page.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from klimabok.accounts.models import Organisation


def org_home_url(organisation: Organisation) -> str | None:
    try:
        return reverse("account:org_home", kwargs={"slug": organisation.slug})
    except NoReverseMatch:
        return None
