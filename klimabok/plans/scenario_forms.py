"""The scenario form: a name, and for each of the organisation's measures whether it is chosen, its start
year in the scenario and its place in the order (the order measures apply in, each on what is left)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from klimabok.plans.models import FIRST_START_YEAR, Measure, Scenario


@dataclass(frozen=True)
class ChoiceRow:
    """One measure's three fields, for the template's table."""

    measure: Measure
    chosen: forms.BoundField
    start_year: forms.BoundField
    order: forms.BoundField


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, measures: list[Measure], scenario: Scenario | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.measures = measures
        chosen = (
            {c.measure_id: (c.start_year, c.position + 1) for c in scenario.choices.all()} if scenario else {}
        )
        if scenario is not None:
            self.initial.setdefault("name", scenario.name)
            self.initial.setdefault("description", scenario.description)
        for index, measure in enumerate(measures, start=1):
            start, order = chosen.get(measure.pk, (measure.start_year, index))
            self.fields[f"m{measure.pk}_chosen"] = forms.BooleanField(
                label=_("Chosen"), required=False, initial=measure.pk in chosen if scenario else True
            )
            self.fields[f"m{measure.pk}_start"] = forms.IntegerField(
                label=_("Start year"),
                min_value=FIRST_START_YEAR,
                max_value=2100,
                initial=start,
                required=False,
            )
            self.fields[f"m{measure.pk}_order"] = forms.IntegerField(
                label=pgettext_lazy("place in the sequence of measures", "Order"),
                min_value=1,
                max_value=10_000,
                initial=order,
                required=False,
            )

    def rows(self) -> list[ChoiceRow]:
        return [
            ChoiceRow(m, self[f"m{m.pk}_chosen"], self[f"m{m.pk}_start"], self[f"m{m.pk}_order"])
            for m in self.measures
        ]

    def choices(self) -> list[tuple[Measure, int]]:
        """The chosen measures with their start years, in the order given (ties: the list's order)."""
        data = self.cleaned_data
        picked = [
            (data[f"m{m.pk}_order"] or index + 1, index, m, data[f"m{m.pk}_start"] or m.start_year)
            for index, m in enumerate(self.measures)
            if data.get(f"m{m.pk}_chosen")
        ]
        return [(m, start) for _order, _index, m, start in sorted(picked, key=lambda p: (p[0], p[1]))]
