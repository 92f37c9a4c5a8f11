"""The scope 3 relevance screening form: for each of the 15 categories, relevance, criterion and reason.

The rules are the core's (:func:`klimabok.core.scope3_screening.screening_problems`), checked here
per field so the page shows each problem beside its category, and again by the service.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klimabok.core.scope3_screening import (
    CATEGORIES,
    CategoryScreening,
    Criterion,
    Relevance,
    screening_problems,
)
from klimabok.inventory.models import Scope3Screening
from klimabok.web.core_messages import localise

RELEVANCE_CHOICES = [(Relevance.NOT_SCREENED.value, _("Not screened")),
                     *Scope3Screening.Relevance.choices]
CRITERION_CHOICES = [("", "–"), *Scope3Screening.Criterion.choices]
#: What each criterion means (GHG Protocol Scope 3 Standard, table 6.1), for the page's legend.
CRITERION_HELP = (
    (_("Size"), _("The category contributes significantly to the expected scope 3 emissions.")),
    (_("Influence"), _("The company could cut, or influence others to cut, these emissions.")),
    (_("Risk"), _("The emissions add to the company's risk exposure (climate-related financial, "
                  "regulatory, supply-chain, product, compliance or reputational risk).")),
    (_("Stakeholders"), _("Key stakeholders (customers, suppliers, investors, civil society) deem them "
                          "critical.")),
    (_("Outsourcing"), _("Activities formerly done in-house, now outsourced, or activities others in the "
                         "sector usually do in-house.")),
    (_("Sector guidance"), _("Sector-specific guidance names the category as significant.")),
    (_("Other"), _("Another criterion the company or its sector sets; say which in the reason.")),
)


def _name(category: int, part: str) -> str:
    return f"c{category}_{part}"


class Scope3ScreeningForm(forms.Form):
    """Fields ``c<n>_relevance``, ``c<n>_criterion``, ``c<n>_reason`` for n = 1 … 15."""

    def __init__(self, *args: Any, initial_screening: dict[int, CategoryScreening] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in CATEGORIES:
            current = (initial_screening or {}).get(category, CategoryScreening(category))
            self.fields[_name(category, "relevance")] = forms.ChoiceField(
                label=_("Relevance"), choices=RELEVANCE_CHOICES, initial=current.relevance.value)
            self.fields[_name(category, "criterion")] = forms.ChoiceField(
                label=_("Criterion"), choices=CRITERION_CHOICES, required=False,
                initial=current.criterion.value if current.criterion else "")
            self.fields[_name(category, "reason")] = forms.CharField(
                label=_("Reason"), required=False, max_length=2000, initial=current.reason,
                widget=forms.Textarea(attrs={"rows": 2}))

    def _category(self, category: int) -> CategoryScreening:
        data = self.cleaned_data
        criterion = data.get(_name(category, "criterion")) or ""
        return CategoryScreening(category, Relevance(data.get(_name(category, "relevance"),
                                                               Relevance.NOT_SCREENED)),
                                 Criterion(criterion) if criterion else None,
                                 data.get(_name(category, "reason"), ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for category in CATEGORIES:
            if any(_name(category, part) in self.errors for part in ("relevance", "criterion", "reason")):
                continue
            for field, problem in screening_problems(self._category(category)):
                self.add_error(_name(category, field), localise(problem))
        return cleaned

    def screening(self) -> list[CategoryScreening]:
        """The 15 categories as submitted (call after :meth:`is_valid`)."""
        return [self._category(category) for category in CATEGORIES]

    def fields_of(self, category: int) -> tuple[forms.BoundField, forms.BoundField, forms.BoundField]:
        """(relevance, criterion, reason) of one category, for the template's row."""
        return (self[_name(category, "relevance")], self[_name(category, "criterion")],
                self[_name(category, "reason")])
