"""Overrides the user sets (what activity data covers is :mod:`klimabok.core.spend.double_counting`).

An :class:`Override` applies to an account, a supplier (its SAF-T ``SupplierID`` or org.nr) or a
transaction/voucher, and says exactly one thing: use this spend category, use this own factor
(kg CO2e per NOK, with its source), or exclude with this reason. :func:`apply_overrides` is a
pure function: the most specific override wins (transaction > supplier > account), else the
default classification stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from klimabok.core.errors import KlimabokError
from klimabok.core.messages import Message, message
from klimabok.core.spend.classify import with_category
from klimabok.core.spend.model import Classification, OwnFactor
from klimabok.core.spend.tables import category as spend_category


class OverrideTarget(StrEnum):
    ACCOUNT = "account"
    SUPPLIER = "supplier"
    TRANSACTION = "transaction"


#: Most specific first.
_PRECEDENCE = (OverrideTarget.TRANSACTION, OverrideTarget.SUPPLIER, OverrideTarget.ACCOUNT)


@dataclass(frozen=True, slots=True)
class Override:
    """One override: ``target`` + ``key`` (account id, supplier id or transaction id) → one of
    ``category``, ``kg_co2e_per_nok`` (with ``source``) or ``excluded_reason``."""

    target: OverrideTarget
    key: str
    category: str | None = None
    kg_co2e_per_nok: Decimal | None = None
    source: str = ""
    excluded_reason: str | None = None

    def __post_init__(self) -> None:
        given = [v for v in (self.category, self.kg_co2e_per_nok, self.excluded_reason) if v is not None]
        if len(given) != 1:
            raise KlimabokError(message(
                "an override gives exactly one of: a spend category, an own factor, an exclusion reason"))
        if self.category is not None:
            spend_category(self.category)
        if self.kg_co2e_per_nok is not None and (self.kg_co2e_per_nok < 0 or not self.source.strip()):
            raise KlimabokError(
                message("an own factor must be zero or more kg CO2e per NOK and name its source"))
        if self.excluded_reason is not None and not self.excluded_reason.strip():
            raise KlimabokError(message("an exclusion needs a reason"))


def apply_overrides(classification: Classification, overrides: Iterable[Override], *, account_id: str,
                    supplier_id: str = "", transaction_id: str = "") -> Classification:
    """The classification of a line of ``account_id`` (from ``supplier_id``, in ``transaction_id``)
    after the most specific matching override; ``classification`` is the account's default."""
    keys = {OverrideTarget.TRANSACTION: transaction_id, OverrideTarget.SUPPLIER: supplier_id,
            OverrideTarget.ACCOUNT: account_id}
    matching = {o.target: o for o in overrides if keys[o.target] and o.key == keys[o.target]}
    for target in _PRECEDENCE:
        override = matching.get(target)
        if override is not None:
            return _overridden(classification, override)
    return classification


def _overridden(default: Classification, override: Override) -> Classification:
    rule = _rule(override)
    if override.excluded_reason is not None:
        reason = message("excluded by hand: %(reason)s", reason=override.excluded_reason)
        return replace(default, excluded=reason, rule=rule, own_factor=None)
    if override.category is not None:
        return with_category(override.category, rule)
    assert override.kg_co2e_per_nok is not None  # __post_init__: exactly one is given
    return Classification(category=default.category, scope=default.scope or 3,
                          ghg_category=default.ghg_category if default.scope else 1, excluded=None, rule=rule,
                          own_factor=OwnFactor(override.kg_co2e_per_nok, override.source))


def _rule(override: Override) -> Message:
    match override.target:
        case OverrideTarget.ACCOUNT:
            return message("override for account %(key)s", key=override.key)
        case OverrideTarget.SUPPLIER:
            return message("override for supplier %(key)s", key=override.key)
        case OverrideTarget.TRANSACTION:
            return message("override for transaction %(key)s", key=override.key)


#: What the activity groups of ``covered_by_activity`` are called where a user reads them.
_GROUP_NAMES = {
    "electricity": message("electricity in kWh"),
    "district_heating": message("district heating in kWh"),
    "fuel": message("fuel in litres"),
    "car": message("car travel"),
    "van": message("van travel"),
    "flight": message("flights"),
    "hotel": message("hotel nights"),
    "travel": message("taxi, bus and rail travel"),
}


def activity_group_names(groups: Iterable[str]) -> Message | str:
    """The groups' names as one message ("electricity in kWh, district heating in kWh"), each
    translated where it is shown; a group without a name stays its key."""
    names: list[Message | str] = [_GROUP_NAMES.get(group, group) for group in groups]
    if not names:
        return ""
    joined = names[-1]
    for name in reversed(names[:-1]):
        joined = message("%(first)s, %(rest)s", first=name, rest=joined)
    return joined
