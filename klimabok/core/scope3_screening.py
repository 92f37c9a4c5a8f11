"""Which scope 3 categories belong in the boundary: the relevance screening of the 15 categories.

The GHG Protocol Corporate Value Chain (Scope 3) Standard, chapter 6 ("Setting the scope 3
boundary"), asks a company to account for its scope 3 emissions and to disclose and justify any
category it leaves out; its table 6.1 lists the criteria for identifying relevant scope 3
activities: size, influence, risk, stakeholders, outsourcing, sector guidance, and other
criteria the company or its sector sets. ISO 14068-1:2023 builds a carbon-neutrality claim on a
carbon footprint whose boundary includes the significant indirect emissions, so the claim rules
(:mod:`klimabok.core.claims`) read this screening.

Each of the 15 categories is, for one reporting year, *not screened* (the default: nothing
recorded), *relevant* or *not relevant*, with the table 6.1 criterion the decision rests on and a
reason. The rules (:func:`screening_problems`):

- a decision (relevant or not relevant) names its criterion;
- "not relevant" always needs a reason: an exclusion is justified, whatever the account holds. So a
  category with data in the account can be marked not relevant only with a reason; its tonnes stay
  in the account all the same (nothing here removes emissions), and the page marks the row;
- the criterion "other" needs a reason saying what it is.

Pure Python: no Django. The web stores one row per screened category
(``klimabok.inventory.models.Scope3Screening``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from klimabok.core.messages import Message, message

#: The 15 scope 3 categories of the GHG Protocol (3.1 … 3.15).
CATEGORIES: tuple[int, ...] = tuple(range(1, 16))


class Relevance(StrEnum):
    NOT_SCREENED = "not_screened"  #: nothing recorded (the default): blocks an ISO 14068-1 claim
    RELEVANT = "relevant"          #: in the boundary: must be quantified in the account
    NOT_RELEVANT = "not_relevant"  #: left out of the boundary, with a reason


class Criterion(StrEnum):
    """The criteria of GHG Protocol Scope 3 Standard table 6.1."""

    SIZE = "size"                        #: contributes significantly to the anticipated scope 3 total
    INFLUENCE = "influence"              #: the company could undertake or influence reductions
    RISK = "risk"                        #: contributes to the company's risk exposure
    STAKEHOLDERS = "stakeholders"        #: deemed critical by key stakeholders
    OUTSOURCING = "outsourcing"          #: outsourced activities formerly performed in-house
    SECTOR_GUIDANCE = "sector_guidance"  #: identified as significant by sector guidance
    OTHER = "other"                      #: another criterion the company or its sector sets


@dataclass(frozen=True, slots=True)
class CategoryScreening:
    """One category's screening for one reporting year."""

    category: int                      #: 1 … 15
    relevance: Relevance = Relevance.NOT_SCREENED
    criterion: Criterion | None = None
    reason: str = ""


def category_code(category: int) -> str:
    """"3.6" for category 6: the number a message names (the same in every language)."""
    return f"3.{category}"


def category_list(categories: Iterable[int]) -> str:
    """"3.2, 3.4, 3.8" — categories by number, in order."""
    return ", ".join(category_code(c) for c in sorted(categories))


def screening_problems(screening: CategoryScreening) -> tuple[tuple[str, Message], ...]:
    """What is wrong with one category's screening, as (field, problem); empty when it may be saved."""
    if screening.category not in CATEGORIES:
        return (("category", message("Scope 3 has categories 1 to 15, not %(category)s.",
                                     category=screening.category)),)
    if screening.relevance is Relevance.NOT_SCREENED:
        return ()
    problems: list[tuple[str, Message]] = []
    if screening.criterion is None:
        problems.append(("criterion", message(
            "Choose the criterion the decision rests on (GHG Protocol Scope 3 Standard, table 6.1).")))
    if not screening.reason.strip():
        if screening.relevance is Relevance.NOT_RELEVANT:
            problems.append(("reason", message(
                "A category marked not relevant needs a reason: every exclusion from the boundary is "
                "justified.")))
        elif screening.criterion is Criterion.OTHER:
            problems.append(("reason", message("Say what the other criterion is.")))
    return tuple(problems)


def by_category(screening: Iterable[CategoryScreening]) -> dict[int, CategoryScreening]:
    """All 15 categories in order, each as recorded or not screened."""
    recorded = {s.category: s for s in screening}
    return {c: recorded.get(c, CategoryScreening(c)) for c in CATEGORIES}


@dataclass(frozen=True, slots=True)
class BoundaryGaps:
    """Where the scope 3 boundary falls short, by category number."""

    unscreened: tuple[int, ...]             #: no decision recorded
    relevant_without_data: tuple[int, ...]  #: screened relevant, but the account has no line in it
    not_relevant_with_data: tuple[int, ...] = ()  #: marked not relevant, yet in the account (still counted)

    @property
    def complete(self) -> bool:
        """Every category screened and every relevant one quantified."""
        return not self.unscreened and not self.relevant_without_data


def boundary_gaps(screening: Iterable[CategoryScreening], with_data: Iterable[int]) -> BoundaryGaps:
    """The gaps of ``screening`` against the categories the account has lines in (``with_data``)."""
    data = set(with_data)
    rows = by_category(screening).values()
    return BoundaryGaps(
        unscreened=tuple(s.category for s in rows if s.relevance is Relevance.NOT_SCREENED),
        relevant_without_data=tuple(s.category for s in rows
                                    if s.relevance is Relevance.RELEVANT and s.category not in data),
        not_relevant_with_data=tuple(s.category for s in rows
                                     if s.relevance is Relevance.NOT_RELEVANT and s.category in data))
