"""From ledger accounts to spend-based emissions (issue 4 §2). Pure Python, no Django.

The SAF-T reader (:mod:`klimabok.core.saft`) and ``klimabok saft summary`` call these:

- :func:`classify` ``(account_id, *, grouping_category, grouping_code, standard_account_id,
  description="") -> Classification``: the account's spend category (a key of
  ``klimabok/data/spend/categories.csv``) with its GHG scope and category, or the reason it is
  ``excluded`` (a :class:`~klimabok.core.messages.Message`: payroll, depreciation, write-downs,
  financial items, taxes, VAT, balance sheet, revenue, internal entries), and the ``rule`` that
  matched: 1.30 grouping code → 1.20 standard account → account-number range. Neither is
  ``unmapped`` (shown, for the user to map).
- :func:`spend_factor` ``(category, year) -> SpendFactor``: kg CO2e per NOK for a reporting year,
  with the CEDA sectors and their kg/USD, region, base year, exchange rate, deflator (US GDP
  implicit price deflator to 2023 prices; a year without an index is flagged) and source
  references. A year after the newest built year uses the newest and is flagged.
- :func:`spend_emissions` ``(amount_nok, category, year, *, own_factor=None) -> SpendResult``:
  kg and tonnes CO2e (``Decimal``), method ``"spend-based"``, data-quality tier 4, attribution.
- :func:`account_emissions` ``(classification, amount_nok, year) -> SpendResult | None``: the
  one call per account for ``saft summary`` (``None`` when excluded or unmapped; uses an
  override's own factor).
- Overrides (:class:`Override`, per account, supplier or transaction/voucher: a category, an own
  kg CO2e/NOK factor with its source, or excluded with a reason) applied by the pure function
  :func:`apply_overrides` ``(classification, overrides, *, account_id, supplier_id="",
  transaction_id="") -> Classification``.
- No double counting: :func:`covered_by_activity` ``(category) -> tuple[str, ...]`` (activity
  groups that measure what a spend category buys) and
  :func:`~klimabok.core.spend.double_counting.allocate` (what of the spend the entries cover: by
  voucher, supplier, the category's rule or their stated cost).
- :func:`coverage` ``(entries: Iterable[CoverageEntry]) -> Coverage``: cost spend mapped /
  excluded / unmapped (NOK and shares summing to 1), the largest unmapped accounts and suppliers
  first.
- Engine bridge: :func:`spend_factor_dataset` ``(year) -> FactorDataset`` (factors
  ``spend.<category>`` per NOK) and :func:`spend_activity_line` ``(amount_nok, category, *,
  ref="") -> ActivityLine`` (tier 4), so spend lines compute beside activity lines.
- :func:`categories` → the :class:`SpendCategory` table; :data:`ATTRIBUTION` = "CEDA by
  Watershed", to be shown wherever a spend-based result appears (CC BY-SA 4.0).

Data: ``klimabok/data/spend/`` (built by ``scripts/build_spend_factors.py``; README there).
"""

from klimabok.core.spend.classify import classify
from klimabok.core.spend.coverage import Coverage, CoverageEntry, RankedSpend, coverage
from klimabok.core.spend.factors import (
    account_emissions,
    spend_activity_line,
    spend_emissions,
    spend_factor,
    spend_factor_dataset,
)
from klimabok.core.spend.model import (
    ATTRIBUTION,
    DATA_QUALITY_TIER,
    METHOD,
    Classification,
    ExclusionReason,
    OwnFactor,
    SpendCategory,
    SpendFactor,
    SpendResult,
    exclusion_message,
)
from klimabok.core.spend.overrides import Override, OverrideTarget, apply_overrides
from klimabok.core.spend.tables import categories, covered_by_activity

__all__ = [
    "ATTRIBUTION", "DATA_QUALITY_TIER", "METHOD", "Classification", "Coverage", "CoverageEntry",
    "ExclusionReason", "Override", "OverrideTarget", "OwnFactor", "RankedSpend", "SpendCategory",
    "SpendFactor", "SpendResult", "account_emissions", "apply_overrides", "categories", "classify",
    "coverage",
    "covered_by_activity", "exclusion_message", "spend_activity_line",
    "spend_emissions", "spend_factor", "spend_factor_dataset",
]
