"""The calculation engine: activity data × emission factors → a GHG Protocol climate account.

Pure functions over immutable inputs; no Django. Entry points:

- :func:`compute_account` (lines) and :func:`compute_account_columns`
  (the same on numpy columns) → :class:`AccountResult`;
- :class:`AccountResult`: ``totals`` (:class:`Totals`, tonnes CO2e),
  ``by_category()``, ``by_site()``, ``by_activity()``, lazy ``lines``,
  ``uncertainty``, ``intensities()``, ``to_dict()``.

The GHG Protocol logic (scopes, dual scope 2 reporting, categories) is
described in :mod:`.scopes`; the arithmetic in :mod:`.compute`.
"""

from klimabok.core.engine.compute import LineProblem, compute_account, compute_account_columns, line_problems
from klimabok.core.engine.inputs import DATA_QUALITY_TIERS, ActivityColumns, ActivityLine
from klimabok.core.engine.intensity import Intensity
from klimabok.core.engine.lines import ResultLine, ResultLines
from klimabok.core.engine.resolve import GWP_SETS
from klimabok.core.engine.result import AccountResult, RankedSource, Totals, rounded, to_tonnes_decimal

__all__ = [
    "DATA_QUALITY_TIERS", "GWP_SETS", "AccountResult", "ActivityColumns", "ActivityLine", "Intensity",
    "LineProblem", "RankedSource", "ResultLine", "ResultLines", "Totals", "compute_account",
    "compute_account_columns", "line_problems", "rounded", "to_tonnes_decimal",
]
