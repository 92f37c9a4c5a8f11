"""Default rules: which spend category an account belongs to, or why it is excluded.

Order (issue 4 §2): the 1.30 grouping code (næringsspesifikasjon: the code, else its grouping
category as a whole), then the 1.20 standard account (2 characters; a 4-character one by its
first two), then the account number itself read as an NS 4102 account (its first two digits as
the 2-character standard account) as a fallback. The rules are in ``account_rules.csv``, each
with the code list's official text, built by ``scripts/build_spend_factors.py``.

A travel account (7155/7165, standard account 71) is narrowed to air, hotel or ground travel
when the account's description says so ("Flyreiser", "Hotell", "Taxi").
"""

from __future__ import annotations

import re

from klimabok.core.messages import Message, message
from klimabok.core.spend.model import Classification, exclusion_message
from klimabok.core.spend.tables import ANY_CODE, AccountRule, category, rule_table

# Checked in this order: "flytoget" (the airport train) is ground travel, not a flight.
_TRAVEL_WORDS = (
    ("travel_ground", re.compile(r"taxi|drosje|flytog|\btog|train|rail|buss|\bbus|ferje|ferry|\bvy\b", re.I)),
    ("travel_hotel", re.compile(r"hotel|overnatting|accommodation|lodging", re.I)),
    ("travel_air", re.compile(r"\bfly|flight|air\b|airline", re.I)),
)


def classify(account_id: str, *, grouping_category: str | None = None, grouping_code: str | None = None,
             standard_account_id: str | None = None, description: str = "") -> Classification:
    """The account's spend category or exclusion, and the rule that decided it.

    ``grouping_category``/``grouping_code`` come from a 1.30 file, ``standard_account_id`` from a
    1.20 file; ``description`` is the account's own name (used to split travel). No rule →
    an unmapped classification (``category`` and ``excluded`` both ``None``).
    """
    table = rule_table()
    code = (grouping_code or "").strip()
    group = (grouping_category or "").strip()
    if code or group:
        rule = table.grouping.get((group, code)) or table.grouping_by_code.get(code)
        if rule is not None:
            matched = message("grouping code %(code)s %(text)s", code=rule.code, text=rule.text_nb)
            return _from_rule(rule, matched, description)
        rule = table.grouping.get((group, ANY_CODE))
        if rule is not None:
            return _from_rule(rule, message("grouping category %(category)s (%(text)s)", category=group,
                                            text=rule.text_nb), description)
    standard = (standard_account_id or "").strip()
    rule = table.standard.get(standard[:2]) if len(standard) in (2, 4) else None
    if rule is not None:
        matched = message("standard account %(code)s %(text)s", code=standard, text=rule.text_nb)
        return _from_rule(rule, matched, description)
    number = account_id.strip()
    rule = table.standard.get(number[:2]) if number.isdigit() and len(number) >= 4 else None
    if rule is not None:
        low, high = number[:2] + "0" * (len(number) - 2), number[:2] + "9" * (len(number) - 2)
        return _from_rule(rule, message("account range %(low)s–%(high)s (%(text)s)", low=low, high=high,
                                        text=rule.text_nb), description)
    return Classification(category=None, scope=None, ghg_category=None, excluded=None, rule=None)


def _from_rule(rule: AccountRule, matched: Message, description: str) -> Classification:
    if rule.excluded is not None:
        return Classification(category=None, scope=None, ghg_category=None,
                              excluded=exclusion_message(rule.excluded), rule=matched)
    if rule.category is None:
        return Classification(category=None, scope=None, ghg_category=None, excluded=None, rule=matched)
    key = _travel_kind(description) if rule.category == "travel" else rule.category
    return with_category(key, matched)


def with_category(key: str, rule: Message | None) -> Classification:
    """A mapped classification of spend category ``key`` (scope and GHG category from the table)."""
    spend = category(key)
    return Classification(category=key, scope=spend.scope, ghg_category=spend.ghg_category, excluded=None,
                          rule=rule)


def _travel_kind(description: str) -> str:
    for key, words in _TRAVEL_WORDS:
        if words.search(description):
            return key
    return "travel"
