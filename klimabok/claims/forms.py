"""The prerequisites form: a checkbox and an optional reference for each one the plan does not answer."""

from __future__ import annotations

from django import forms

from .models import RECORDED, ClaimPrerequisites


class PrerequisitesForm(forms.ModelForm[ClaimPrerequisites]):
    class Meta:
        model = ClaimPrerequisites
        fields = [f for name, _label, _help in RECORDED for f in (name, f"{name}_reference")]
        help_texts = {name: help_text for name, _label, help_text in RECORDED}
        widgets = {f"{name}_reference": forms.TextInput(attrs={"placeholder": "https://…"})
                   for name, _label, _help in RECORDED}

    def pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(checkbox, reference) of each prerequisite, for the template's rows."""
        return [(self[name], self[f"{name}_reference"]) for name, _label, _help in RECORDED]
