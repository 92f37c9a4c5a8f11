"""Setting a reporting year's double-counting rule for a spend category.

Of a spend category the year's activity data also measures, the entries' vouchers and suppliers are
excluded first; the rule says what else the activity data covers (:mod:`klimabok.core.spend.double_counting`):
only what is matched (and the entries' stated cost; the default), all of the category's spend, or a
share of it. One rule per year and category, for an open year only, each change an audit event
(``spend.coverage_rule_set``: who, when, the category, the rule, the share and why).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from klimabok.accounts.models import User
from klimabok.audit.kinds import Kind
from klimabok.audit.services import record_event, subject_of
from klimabok.core.errors import KlimabokError
from klimabok.core.spend.double_counting import CoverageMode, CoverageRule
from klimabok.core.spend.tables import covered_by_activity
from klimabok.inventory.models import ReportingYear
from klimabok.inventory.services import ensure_open, lock_year
from klimabok.ledger.models import SpendCoverageRule


@transaction.atomic
def set_coverage_rule(reporting_year: ReportingYear, category: str, mode: CoverageMode, *,
                      share_percent: Decimal | None = None, note: str = "",
                      user: User | None) -> SpendCoverageRule | None:
    """Store the rule of ``category`` for the year (the default rule removes a stored one: None);
    refused on a closed year, for a category no activity data measures, and for a share outside
    0–100 % (``KlimabokError``)."""
    lock_year(reporting_year)
    ensure_open(reporting_year)
    if not covered_by_activity(category):
        raise KlimabokError(_("No activity data measures the spend category “%(category)s”.")
                            % {"category": category})
    CoverageRule(category, mode, share_percent if mode is CoverageMode.SHARE else None)
    if mode is CoverageMode.SHARE and not note.strip():
        raise KlimabokError(_("Say why the activity data covers this share (for example: "
                              "kWh are metered for two of our three sites)."))
    stored: SpendCoverageRule | None = None
    share = share_percent if mode is CoverageMode.SHARE else None
    if mode is CoverageMode.MATCHED:
        SpendCoverageRule.objects.filter(reporting_year=reporting_year, category=category).delete()
    else:
        stored, _created = SpendCoverageRule.objects.update_or_create(
            reporting_year=reporting_year, category=category,
            defaults={"mode": mode.value, "share_percent": share,
                      "note": note.strip(), "created_by": user})
    record_event(organisation=reporting_year.organisation, actor=user, kind=Kind.SPEND_COVERAGE_RULE_SET,
                 subject=subject_of("year", reporting_year.organisation.slug, reporting_year.year), payload={
                     "year": reporting_year.year, "category": category, "mode": mode.value,
                     "share_percent": share,
                     "note": note.strip()})
    return stored
