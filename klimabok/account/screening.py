"""Read model of a year's scope 3 relevance screening: the 15 categories, each as recorded (or not
screened), beside the tonnes the account has in it and its share of scope 3.

Its own module beside :mod:`klimabok.account.read_models` because two apps read it: the screening
page (``account``) and the ISO 14068-1 boundary on the claims page (``claims``). The writes are
:func:`klimabok.account.services.save_scope3_screening`.

Query budget: one query for the screening rows (with who saved them), plus the account's own when
the page shows tonnes (:func:`klimabok.account.read_models.load_account`).
"""

from __future__ import annotations

from dataclasses import dataclass

from klimabok.account.read_models import load_account
from klimabok.core.engine import AccountResult
from klimabok.core.errors import InputError, KlimabokError, input_errors
from klimabok.core.scope3_screening import (
    CATEGORIES,
    BoundaryGaps,
    CategoryScreening,
    Criterion,
    Relevance,
    boundary_gaps,
)
from klimabok.inventory.models import ReportingYear, Scope3Screening


def stored_screening(row: Scope3Screening) -> CategoryScreening:
    """A stored row as the core reads it."""
    return CategoryScreening(row.category, Relevance(row.relevance), Criterion(row.criterion), row.reason)


def load_screening_rows(reporting_year: ReportingYear) -> dict[int, Scope3Screening]:
    """The year's stored rows by category (a category without one is not screened)."""
    return {row.category: row for row in
            Scope3Screening.objects.filter(reporting_year=reporting_year).select_related("updated_by")}


def load_screening(reporting_year: ReportingYear) -> tuple[CategoryScreening, ...]:
    """The year's screening as the claim rules read it (only the screened categories)."""
    return tuple(stored_screening(row) for row in load_screening_rows(reporting_year).values())


def scope_3_categories(account: AccountResult) -> frozenset[int]:
    """The scope 3 categories (1 … 15) the account has lines in."""
    return frozenset(int(key.split(".", 1)[1]) for key in account.by_category() if key.startswith("scope_3."))


@dataclass(frozen=True)
class ScreeningRow:
    """One category on the screening page."""

    category: int
    screening: CategoryScreening
    stored: Scope3Screening | None        #: who saved it, when (None: not screened)
    tonnes: float | None                  #: t CO2e in the account; None: no line in the category
    share_percent: float | None           #: of the year's scope 3 total

    @property
    def label(self) -> str:
        """The account's key, ``scope_3.6`` (what the category-name filter translates)."""
        return f"scope_3.{self.category}"

    @property
    def has_data(self) -> bool:
        return self.tonnes is not None

    @property
    def not_relevant_with_data(self) -> bool:
        """Marked not relevant, yet the account has lines in it: they still count."""
        return self.has_data and self.screening.relevance is Relevance.NOT_RELEVANT

    @property
    def relevant_without_data(self) -> bool:
        return not self.has_data and self.screening.relevance is Relevance.RELEVANT


@dataclass(frozen=True)
class ScreeningOverview:
    rows: list[ScreeningRow]
    gaps: BoundaryGaps
    scope_3_t: float | None               #: None: the account cannot be computed
    problems: list[InputError]            #: why it cannot

    @property
    def screened(self) -> int:
        return len(CATEGORIES) - len(self.gaps.unscreened)


def load_screening_overview(reporting_year: ReportingYear) -> ScreeningOverview:
    """The 15 categories with their screening, tonnes and share of scope 3, and the boundary's gaps."""
    stored = load_screening_rows(reporting_year)
    try:
        account: AccountResult | None = load_account(reporting_year)
    except KlimabokError as exc:
        account, problems = None, input_errors(exc)
    else:
        problems = []
    by_category = account.by_category() if account is not None else {}
    scope_3_t = account.totals.scope_3 if account is not None else None
    rows = []
    for category in CATEGORIES:
        row = stored.get(category)
        tonnes = by_category.get(f"scope_3.{category}")
        share = tonnes * 100 / scope_3_t if tonnes is not None and scope_3_t else None
        rows.append(ScreeningRow(category, stored_screening(row) if row else CategoryScreening(category), row,
                                 tonnes, share))
    gaps = boundary_gaps((r.screening for r in rows), scope_3_categories(account) if account else ())
    return ScreeningOverview(rows, gaps, scope_3_t, problems)
