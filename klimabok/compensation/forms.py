"""Forms of the compensate page and of the partner's retirement record."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klimabok.compensation.read_models import COVERAGE_CATEGORIES, DEFAULT_COVERAGE
from klimabok.compensation.services import KEY_PATTERN
from klimabok.credits.models import CreditProject
from klimabok.web.forms import NumberField, WholeNumberField


def new_idempotency_key() -> str:
    """A fresh key for one rendering of the order form: a double submit sends it twice, one order results."""
    return uuid.uuid4().hex


class SuggestionForm(forms.Form):
    """The page's question (GET): which emissions to compensate, with what safety margin."""

    coverage = forms.ChoiceField(label=_("What to compensate"), initial=DEFAULT_COVERAGE, required=False,
                                 choices=[(k, v[0]) for k, v in COVERAGE_CATEGORIES.items()],
                                 widget=forms.RadioSelect)
    margin = NumberField(label=_("Safety margin (%)"), required=False, min_value=Decimal(0),
                                max_value=Decimal(100), decimal_places=1, initial=Decimal(0),
                                help_text=_("Order this much more than the account, for its uncertainty."))

    def choice(self) -> tuple[str, Decimal]:
        """The chosen coverage and margin (the defaults when the query is empty or wrong)."""
        if not self.is_valid():
            return DEFAULT_COVERAGE, Decimal(0)
        return (self.cleaned_data["coverage"] or DEFAULT_COVERAGE,
                self.cleaned_data["margin"] if self.cleaned_data["margin"] is not None else Decimal(0))


class OrderForm(forms.Form):
    tonnes = WholeNumberField(label=_("Tonnes CO₂e (credits)"), min_value=1, max_value=10_000_000)
    project = forms.ModelChoiceField(label=_("Project"), queryset=CreditProject.objects.none(),
                                     required=False, empty_label=_("Any project (oldest credits first)"))
    coverage = forms.ChoiceField(choices=[(k, k) for k in COVERAGE_CATEGORIES], widget=forms.HiddenInput,
                                 required=False)
    idempotency_key = forms.RegexField(regex=KEY_PATTERN, widget=forms.HiddenInput)

    def __init__(self, *args: Any, projects: list[CreditProject], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = CreditProject.objects.filter(pk__in=[p.pk for p in projects])


class RetirementForm(forms.Form):
    retired_on = forms.DateField(label=_("Retirement date"), widget=forms.DateInput(attrs={"type": "date"}))
    registry_reference = forms.CharField(
        label=_("Registry reference"), max_length=200,
        help_text=_("The registry's ID of the retirement (or cancellation)."))
    registry_url = forms.URLField(
        label=_("Registry URL"), max_length=500, required=False, assume_scheme="https",
        help_text=_("The public page of the retirement in the registry."))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_retired_on(self) -> Any:
        retired_on = self.cleaned_data["retired_on"]
        if retired_on > timezone.localdate():
            raise forms.ValidationError(_("A retirement date cannot be in the future."))
        return retired_on
