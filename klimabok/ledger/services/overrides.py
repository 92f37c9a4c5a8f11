"""Setting and removing a reporting year's spend overrides (per account, supplier or transaction).

An override says one thing about spend the year imported: use this spend category ("this supplier
is our electricity company"), this own factor with its source ("this supplier reports 0.02 kg
CO2e per NOK"), or exclude it with a reason. :class:`~klimabok.core.spend.Override` checks that;
here it is stored, one per target and key (setting it again replaces it), for an open year only:
a closed year's account stays as it was closed. The account applies them when it is computed
(:mod:`klimabok.ledger.read_models`). Each change is an event of the audit trail
(``spend.override_set``, ``spend.override_removed``: who, when, which key and what it says).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from klimabok.accounts.models import User
from klimabok.audit.kinds import Kind
from klimabok.audit.services import record_event, subject_of
from klimabok.core.errors import KlimabokError
from klimabok.core.spend import Override, OverrideTarget
from klimabok.inventory.models import ReportingYear
from klimabok.inventory.services import ensure_open, lock_year
from klimabok.ledger.models import LedgerImport, Posting, SpendLine, SpendOverride

CONFIRMED = LedgerImport.Status.CONFIRMED


def _plain(value: Decimal | None) -> Decimal | None:
    """``value`` without the column's trailing zeros (0.020000 → 0.02), as the user entered it."""
    return None if value is None else Decimal(format(value.normalize(), "f"))


def _record(override: SpendOverride, user: User | None, kind: Kind) -> None:
    year = override.reporting_year
    record_event(organisation=year.organisation, actor=user, kind=kind,
                 subject=subject_of("year", year.organisation.slug, year.year), payload={
                     "year": year.year, "target": override.target, "key": override.key,
                     "category": override.category, "kg_co2e_per_nok": _plain(override.kg_co2e_per_nok),
                     "source": override.source, "excluded_reason": override.excluded_reason,
                     "note": override.note})


def _known(reporting_year: ReportingYear, target: OverrideTarget, key: str) -> bool:
    """Whether the year's confirmed imports have this account, supplier or transaction."""
    if target is OverrideTarget.TRANSACTION:
        return Posting.objects.filter(spend_line__ledger_import__reporting_year=reporting_year,
                                      spend_line__ledger_import__status=CONFIRMED,
                                      transaction_id=key).exists()
    field = "account_id" if target is OverrideTarget.ACCOUNT else "supplier_id"
    return SpendLine.objects.filter(ledger_import__reporting_year=reporting_year,
                                    ledger_import__status=CONFIRMED, **{field: key}).exists()


@transaction.atomic
def set_override(reporting_year: ReportingYear, target: OverrideTarget, key: str, *, category: str = "",
                 kg_co2e_per_nok: Decimal | None = None, source: str = "", excluded_reason: str = "",
                 note: str = "", user: User | None) -> SpendOverride:
    """Store the override of ``target`` ``key`` (replacing one it had); refused on a closed year
    (``YearClosed``), for an account/supplier/transaction the year's imports do not have, and when
    it does not say exactly one thing (``KlimabokError`` from the core)."""
    lock_year(reporting_year)
    ensure_open(reporting_year)
    key = key.strip()
    Override(target=target, key=key, category=category or None, kg_co2e_per_nok=kg_co2e_per_nok,
             source=source.strip(), excluded_reason=excluded_reason.strip() or None)
    if not key or not _known(reporting_year, target, key):
        raise KlimabokError(_("%(year)s has no imported ledger lines for “%(key)s”")
                            % {"year": reporting_year.year, "key": key})
    override, _created = SpendOverride.objects.update_or_create(
        reporting_year=reporting_year, target=str(target), key=key,
        defaults={"category": category, "kg_co2e_per_nok": kg_co2e_per_nok,
                  "source": source.strip() if kg_co2e_per_nok is not None else "",
                  "excluded_reason": excluded_reason.strip(), "note": note.strip(), "created_by": user})
    _record(override, user, Kind.SPEND_OVERRIDE_SET)
    return override


@transaction.atomic
def delete_override(override: SpendOverride, user: User | None) -> None:
    """Remove an override (refused on a closed year): the default classification applies again."""
    lock_year(override.reporting_year)
    ensure_open(override.reporting_year)
    _record(override, user, Kind.SPEND_OVERRIDE_REMOVED)
    override.delete()


def carried_over(reporting_year: ReportingYear) -> tuple[ReportingYear, list[SpendOverride]] | None:
    """The nearest earlier year of the organisation with account or supplier overrides, and those of
    them this year's confirmed imports have an account or supplier for and it does not override yet
    (transactions are a year's own vouchers: not carried over). None when there is nothing to carry."""
    earlier = (ReportingYear.objects.filter(organisation_id=reporting_year.organisation_id,
                                            year__lt=reporting_year.year,
                                            spend_overrides__target__in=(OverrideTarget.ACCOUNT,
                                                                         OverrideTarget.SUPPLIER))
               .order_by("-year").first())
    if earlier is None:
        return None
    lines = SpendLine.objects.filter(ledger_import__reporting_year=reporting_year,
                                     ledger_import__status=CONFIRMED)
    known: set[tuple[str, str]] = set()
    for account_id, supplier_id in lines.values_list("account_id", "supplier_id").distinct():
        known |= {(OverrideTarget.ACCOUNT.value, account_id), (OverrideTarget.SUPPLIER.value, supplier_id)}
    known -= set(reporting_year.spend_overrides.values_list("target", "key"))
    overrides = [o for o in earlier.spend_overrides.order_by("target", "key") if (o.target, o.key) in known]
    return (earlier, overrides) if overrides else None


@transaction.atomic
def carry_over(reporting_year: ReportingYear, user: User | None) -> int:
    """Copy :func:`carried_over` into ``reporting_year`` (refused on a closed year); how many were copied."""
    lock_year(reporting_year)
    ensure_open(reporting_year)
    found = carried_over(reporting_year)
    if found is None:
        return 0
    copies = SpendOverride.objects.bulk_create([SpendOverride(
        reporting_year=reporting_year, target=o.target, key=o.key, category=o.category,
        kg_co2e_per_nok=o.kg_co2e_per_nok, source=o.source, excluded_reason=o.excluded_reason,
        note=o.note, created_by=user) for o in found[1]])
    for copy in copies:
        _record(copy, user, Kind.SPEND_OVERRIDE_SET)
    return len(copies)
