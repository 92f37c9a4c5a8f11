"""The plan's forms: goals, measures (and a measure's status, notes, evidence), wheel tasks, the list filter.

Each form turns into the service's draft (``draft()``), and a service's refusal comes back to the form
field by field (:meth:`PlanForm.show_refusal`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from klimabok.accounts.models import User
from klimabok.core.errors import KlimabokError, input_errors
from klimabok.core.plan.measures import Param
from klimabok.inventory.models import ReportingYear
from klimabok.plans import catalogue
from klimabok.plans.models import Goal, Measure, Status, Target, TargetRecalculation, WheelTask
from klimabok.plans.services import GoalDraft, MeasureDraft, TargetDraft
from klimabok.web.core_messages import localise
from klimabok.web.forms import NumberField, choice_field

MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    """A form whose owner field lists the organisation's members, and which shows a service's refusal."""

    def __init__(self, *args: Any, members: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(user.pk): user for user in members or []}
        if "owner" in self.fields:
            choice_field(self, "owner").choices = [
                ("", _("No owner")),
                *((pk, str(user)) for pk, user in self.members.items()),
            ]

    def chosen_owner(self) -> User | None:
        return self.members.get(self.cleaned_data.get("owner") or "")

    def show_refusal(self, exc: KlimabokError) -> None:
        """Each of the service's problems at its field (a measure parameter at ``params``)."""
        for error in input_errors(exc):
            text = localise(error.problem)
            name = error.field or ""
            if name.startswith("params.") and PARAM_PREFIX + name.removeprefix("params.") in self.fields:
                self.add_error(PARAM_PREFIX + name.removeprefix("params."), text)
            elif name.startswith("params."):
                self.add_error(None, f"{name.removeprefix('params.')}: {text}")
            elif name in self.fields:
                self.add_error(name, text)
            else:
                self.add_error(None, text)


class StatusFields(PlanForm):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    dropped_reason = forms.CharField(
        label=_("Why it was dropped"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the status is “dropped”."),
    )


class GoalForm(StatusFields):
    title = forms.CharField(label=_("Goal"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE_INPUT)
    field_order = ["title", "description", "owner", "deadline", "status", "dropped_reason"]

    @classmethod
    def initial_of(cls, goal: Goal) -> dict[str, Any]:
        return {
            "title": goal.title,
            "description": goal.description,
            "owner": str(goal.owner_id or ""),
            "deadline": goal.deadline,
            "status": goal.status,
            "dropped_reason": goal.dropped_reason,
        }

    def draft(self) -> GoalDraft:
        data = self.cleaned_data
        return GoalDraft(
            title=data["title"],
            description=data["description"],
            owner=self.chosen_owner(),
            deadline=data["deadline"],
            status=data["status"],
            dropped_reason=data["dropped_reason"],
        )


#: A measure parameter's form field: ``p_<parameter key>`` (the service names it ``params.<key>``).
PARAM_PREFIX = "p_"


def param_field(param: Param) -> forms.Field:
    """A form field for one of the core's parameters: its label and unit, its range and default as help,
    the default prefilled; empty means the default (or, for an optional one, "from the account")."""
    low, high = localised_number(param.minimum), localised_number(param.maximum)
    if param.optional:
        help_text = _("%(low)s–%(high)s %(unit)s; leave empty to take it from the account's own lines.") % {
            "low": low, "high": high, "unit": param.unit}
    elif param.default is not None:
        help_text = _("%(low)s–%(high)s %(unit)s; %(default)s when left empty.") % {
            "low": low, "high": high, "unit": param.unit, "default": localised_number(param.default)}
    else:
        help_text = _("%(low)s–%(high)s %(unit)s.") % {"low": low, "high": high, "unit": param.unit}
    attrs = {"inputmode": "numeric" if param.integer else "decimal", "data-unit": param.unit}
    field: forms.Field
    if param.integer:
        field = forms.IntegerField(required=False, widget=forms.TextInput(attrs=attrs))
    else:
        field = forms.FloatField(required=False, localize=True, widget=forms.TextInput(attrs=attrs))
    field.label = f"{localise(param.label)} ({param.unit})"
    field.help_text = help_text
    field.initial = param.default
    return field


def localised_number(value: float) -> str:
    return number_format(value, use_l10n=True) if value != int(value) else number_format(int(value))


class MeasureForm(StatusFields):
    """A measure: its kind chosen first (the page reloads with ``?kind=``), then one field per parameter
    of that kind (``p_<key>``), the lines it acts on chosen from the latest closed year's account."""

    title = forms.CharField(label=_("Measure"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        help_text=_("What the measure does; its effect is computed from the account's lines."),
        widget=forms.HiddenInput,
    )
    acts_on = forms.MultipleChoiceField(
        label=_("Account lines it acts on"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "acts-on"}),
        help_text=_(
            "None chosen: every line of the kind. Activities and spend categories narrow the kind to those "
            "lines, a site to that site's lines; the generic kind cuts the lines, activities or scopes "
            "chosen. "
            "Tonnes: the latest closed year, market-based."
        ),
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE_INPUT)
    start_year = forms.IntegerField(label=_("Start year"))
    ramp_years = forms.IntegerField(
        label=_("Ramp-up (years)"), initial=0, help_text=_("Years until the full effect; 0 for at once.")
    )
    capex_nok = NumberField(
        label=_("One-off cost (NOK)"), initial=Decimal(0), max_digits=14, decimal_places=2, localize=True
    )
    opex_delta_nok = NumberField(
        label=_("Yearly cost or saving (NOK)"),
        initial=Decimal(0),
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text=_("Negative for a saving."),
    )
    lifetime_years = forms.IntegerField(label=_("Lifetime (years)"), initial=10)
    discount_rate_percent = NumberField(
        label=_("Discount rate (%)"), initial=Decimal(4), max_digits=5, decimal_places=2, localize=True
    )
    # What a new measure was made from ("account:2024:fuel.diesel"), from the link that opened the form.
    source_ref = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    field_order = [
        "title",
        "description",
        "kind",
        "acts_on",
        "owner",
        "deadline",
        "status",
        "dropped_reason",
        "start_year",
        "ramp_years",
        "capex_nok",
        "opex_delta_nok",
        "lifetime_years",
        "discount_rate_percent",
    ]

    def __init__(
        self,
        *args: Any,
        kind: str = "generic",
        acts_on_choices: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = [
            (key, localise(catalogue.label(key))) for key in catalogue.kinds()
        ]
        self.chosen_kind = kind if catalogue.is_kind(kind) else "generic"
        self.initial["kind"] = self.chosen_kind
        if self.is_bound:
            # The kind is the one the page was built for: a form posted with another is shown for that one.
            self.chosen_kind = str(self.data.get("kind") or self.chosen_kind)
            if not catalogue.is_kind(self.chosen_kind):
                self.chosen_kind = kind if catalogue.is_kind(kind) else "generic"
        choice_field(self, "acts_on").choices = acts_on_choices or []
        self.fields["start_year"].initial = date.today().year + 1
        self.param_names = []
        for param in catalogue.params_of(self.chosen_kind):
            name = PARAM_PREFIX + param.key
            self.fields[name] = param_field(param)
            self.param_names.append(name)
        # The parameters right after the kind: what the kind needs, then what it acts on.
        self.order_fields(["title", "description", "kind", *self.param_names, *self.field_order[3:]])

    @property
    def kind_label(self) -> str:
        return localise(catalogue.label(self.chosen_kind))

    def param_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.param_names]

    @classmethod
    def initial_of(cls, measure: Measure) -> dict[str, Any]:
        return {
            "title": measure.title,
            "description": measure.description,
            "kind": measure.kind,
            **{PARAM_PREFIX + key: value for key, value in measure.params.items()},
            "acts_on": list(measure.acts_on),
            "owner": str(measure.owner_id or ""),
            "deadline": measure.deadline,
            "status": measure.status,
            "dropped_reason": measure.dropped_reason,
            "start_year": measure.start_year,
            "ramp_years": measure.ramp_years,
            "capex_nok": measure.capex_nok,
            "opex_delta_nok": measure.opex_delta_nok,
            "lifetime_years": measure.lifetime_years,
            "discount_rate_percent": measure.discount_rate_percent,
        }

    def params(self) -> dict[str, Any]:
        """The parameters entered (an empty field: the core's default, or "from the account")."""
        return {
            name.removeprefix(PARAM_PREFIX): self.cleaned_data[name]
            for name in self.param_names
            if self.cleaned_data.get(name) is not None
        }

    def draft(self, measure: Measure | None = None) -> MeasureDraft:
        data = self.cleaned_data
        return MeasureDraft(
            title=data["title"],
            description=data["description"],
            kind=self.chosen_kind,
            params=self.params(),
            acts_on=list(data["acts_on"]),
            owner=self.chosen_owner(),
            deadline=data["deadline"],
            status=data["status"],
            dropped_reason=data["dropped_reason"],
            start_year=data["start_year"],
            ramp_years=data["ramp_years"],
            capex_nok=data["capex_nok"],
            opex_delta_nok=data["opex_delta_nok"],
            lifetime_years=data["lifetime_years"],
            discount_rate_percent=data["discount_rate_percent"],
            source=measure.source
            if measure
            else (
                Measure.Source.ACCOUNT if data["source_ref"].startswith("account:") else Measure.Source.MANUAL
            ),
            source_ref=measure.source_ref if measure else data["source_ref"],
        )


class MeasureStatusForm(StatusFields):
    """What a measure's owner may change: its status."""


class NoteForm(PlanForm):
    text = forms.CharField(
        label=_("Progress note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(PlanForm):
    file = forms.FileField(
        label=_("Evidence file"), help_text=_("PDF, PNG, JPEG, XLSX, DOCX, PPTX, CSV or text, at most 10 MB.")
    )


class WheelTaskForm(PlanForm):
    title = forms.CharField(label=_("Task"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int)
    due_day = forms.IntegerField(label=_("Due day"), help_text=_("The month's last day when it is shorter."))
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    @classmethod
    def initial_of(cls, task: WheelTask) -> dict[str, Any]:
        return {
            "title": task.title,
            "description": task.description,
            "month": task.month,
            "due_day": task.due_day,
            "owner": str(task.owner_id or ""),
        }


class MeasureFilterForm(PlanForm):
    """The measure list's filter (GET): status and owner."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Status.choices])
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").choices = [
            ("", _("Everyone")),
            *((pk, str(user)) for pk, user in self.members.items()),
        ]


# --- Targets (the target pages: klimabok/plans/views/targets.py) ----------------------------------------


def _year_label(year: ReportingYear) -> str:
    if year.is_closed:
        return str(year.year)
    return _("%(year)s (open: not a base year)") % {"year": year.year}


class TargetForm(PlanForm):
    """A target as the ombudsman sets it. The base value is not typed: the view takes it from the base
    year's account for the coverage and scope 2 method chosen (:func:`klimabok.plans.pathway.base_value`)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    base_year = forms.ChoiceField(
        label=_("Base year"), help_text=_("A closed year: its figures no longer move.")
    )
    target_year = forms.IntegerField(label=_("Target year"))
    coverage = forms.ChoiceField(label=_("Covers"), choices=Target.Coverage.choices)
    scope3_categories = forms.TypedMultipleChoiceField(
        label=_("Scope 3 categories"),
        required=False,
        coerce=int,
        choices=[(number, str(number)) for number in range(1, 16)],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a scope 3 target: the categories it covers."),
    )
    scope2_method = forms.ChoiceField(
        label=_("Scope 2 method"), choices=Target.Scope2Method.choices, initial=Target.Scope2Method.MARKET
    )
    metric = forms.ChoiceField(
        label=_("Absolute or intensity"), choices=Target.Metric.choices, initial=Target.Metric.ABSOLUTE
    )
    reduction_percent = NumberField(
        label=_("Reduction (%)"),
        max_digits=8,
        decimal_places=2,
        localize=True,
        help_text=_("Less than the base year by the target year, reached in a straight line."),
    )
    ruleset = forms.ChoiceField(label=_("Science-based rule set"), required=False)
    sbti_validated_on = forms.DateField(
        label=_("SBTi validation date"), required=False, widget=DATE_INPUT,
        help_text=_("Only when the SBTi has validated the target."),
    )
    sbti_evidence_url = forms.URLField(
        label=_("SBTi validation evidence"),
        required=False,
        assume_scheme="https",
        help_text=_("A link to the SBTi's target dashboard or its letter."),
    )

    def __init__(
        self, *args: Any, years: list[ReportingYear], rulesets: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.years = {str(year.pk): year for year in years}
        choice_field(self, "base_year").choices = [
            (pk, _year_label(year))
            for pk, year in sorted(self.years.items(), key=lambda item: -item[1].year)
        ]
        choice_field(self, "ruleset").choices = [("", _("None")), *rulesets]

    @classmethod
    def initial_of(cls, target: Target) -> dict[str, Any]:
        return {
            "name": target.name,
            "base_year": str(target.base_year_id),
            "target_year": target.target_year,
            "coverage": target.coverage,
            "scope3_categories": list(target.scope3_categories),
            "scope2_method": target.scope2_method,
            "metric": target.metric,
            "reduction_percent": target.reduction_percent,
            "ruleset": target.ruleset,
            "sbti_validated_on": target.sbti_validated_on,
            "sbti_evidence_url": target.sbti_evidence_url,
        }

    def chosen_year(self) -> ReportingYear:
        return self.years[self.cleaned_data["base_year"]]

    def draft(self, base_t_co2e: Decimal) -> TargetDraft:
        data = self.cleaned_data
        return TargetDraft(
            name=data["name"],
            base_year=self.chosen_year(),
            target_year=data["target_year"],
            coverage=data["coverage"],
            reduction_percent=data["reduction_percent"],
            base_t_co2e=base_t_co2e,
            scope3_categories=list(data["scope3_categories"]),
            scope2_method=data["scope2_method"],
            metric=data["metric"],
            ruleset=data["ruleset"],
            sbti_validated_on=data["sbti_validated_on"],
            sbti_evidence_url=data["sbti_evidence_url"],
        )


class RecalculationForm(PlanForm):
    """A base-year recalculation: the new base value (the account's figure, suggested), a structural change
    on top of it (an acquisition adds, a divestment takes away), and why."""

    new_base_t_co2e = NumberField(
        label=_("Base year as computed (t CO₂e)"), max_digits=14, decimal_places=3, localize=True
    )
    structural_change_t_co2e = NumberField(
        label=_("Structural change (t CO₂e)"),
        required=False,
        max_digits=14,
        decimal_places=3,
        localize=True,
        help_text=_("The base year's emissions of what was acquired (+) or divested or outsourced (−)."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=TargetRecalculation.Reason.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def new_value(self) -> Decimal:
        """The new base value: as computed plus the structural change."""
        change = self.cleaned_data["structural_change_t_co2e"] or Decimal(0)
        return Decimal(self.cleaned_data["new_base_t_co2e"]) + change

    def note_text(self) -> str:
        change = self.cleaned_data["structural_change_t_co2e"]
        note = str(self.cleaned_data["note"]).strip()
        if not change:
            return note
        sign = "+" if change > 0 else ""
        said = _("structural change %(change)s t CO₂e") % {"change": f"{sign}{change.normalize():f}"}
        return f"{note} ({said})" if note else said
