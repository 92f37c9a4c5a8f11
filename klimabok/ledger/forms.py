"""The ledger pages' forms: the uploads (SAF-T, general-ledger export), the general-ledger column
mapping, the partner's CEDA sectors of a spend category, and the override form of the spend
drill-down (for an account, a supplier or a transaction, one of a spend category, an own factor with
its source, or an exclusion with its reason)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from klimabok.core.errors import KlimabokError
from klimabok.core.gl import ROLES, ColumnMapping
from klimabok.core.spend import OverrideTarget, categories
from klimabok.ledger.models import SpendCoverageRule, SpendOverride
from klimabok.ledger.services.mapping import parse_sectors
from klimabok.web.core_messages import localise
from klimabok.web.forms import NumberField, choice_field


class SaftUploadForm(forms.Form):
    file = forms.FileField(label=_("SAF-T Financial file (XML)"))


class GlUploadForm(forms.Form):
    file = forms.FileField(label=_("General-ledger export (CSV or XLSX)"))


class MappingForm(forms.Form):
    """One choice per role: a column of the file (by position) or none."""

    def __init__(self, headers: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", gettext("– not in the file –")), *((str(i), name) for i, name in enumerate(headers))]
        for role, label in ROLES.items():
            self.fields[role] = forms.TypedChoiceField(label=capfirst(localise(label)), choices=choices,
                                                       coerce=int, empty_value=None, required=False)

    def mapping(self) -> ColumnMapping:
        return {role: column for role, column in self.cleaned_data.items() if column is not None}


class SectorChoiceForm(forms.Form):
    """The climate partner's CEDA sectors for one spend category, and why."""

    ceda_sectors = forms.CharField(
        label=_("CEDA sectors"), max_length=200,
        help_text=_("Sector codes separated by spaces, e.g. 311810 445000: the factor is their "
                    "equal-weight mean."))
    rationale = forms.CharField(label=_("Why these sectors"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}))

    def clean_ceda_sectors(self) -> tuple[str, ...]:
        try:
            return parse_sectors(self.cleaned_data["ceda_sectors"])
        except KlimabokError as exc:
            raise forms.ValidationError(localise(exc)) from None


def _category_choices() -> list[tuple[str, str]]:
    nb = (get_language() or "").startswith("nb")
    return [("", "—")] + [(c.key, c.name_nb if nb else c.name) for c in categories()]


class OverrideForm(forms.Form):
    """What the user says about the spend of one account, supplier or transaction."""

    ACTIONS = (
        ("category", _("Use this spend category")),
        ("factor", _("Use the supplier's own factor")),
        ("exclude", _("Exclude, with a reason")),
    )

    target = forms.ChoiceField(choices=SpendOverride.Target.choices, widget=forms.HiddenInput)
    key = forms.CharField(max_length=100, widget=forms.HiddenInput)
    action = forms.ChoiceField(label=_("Override"), choices=ACTIONS, widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("Spend category"), required=False)
    kg_co2e_per_nok = NumberField(label=_("Own factor (kg CO₂e per NOK)"), required=False,
                                         min_value=0, max_digits=12, decimal_places=6)
    source = forms.CharField(label=_("Source of the own factor"), max_length=300, required=False,
                             help_text=_("Where the figure comes from, e.g. the supplier's climate "
                                         "report 2025."))
    excluded_reason = forms.CharField(label=_("Reason for excluding"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "category").choices = _category_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == "category" and not data.get("category"):
            self.add_error("category", _("Choose a spend category."))
        if action == "factor":
            if data.get("kg_co2e_per_nok") is None:
                self.add_error("kg_co2e_per_nok", _("Give the factor in kg CO₂e per NOK."))
            if not (data.get("source") or "").strip():
                self.add_error("source", _("Say where the factor comes from."))
        if action == "exclude" and not (data.get("excluded_reason") or "").strip():
            self.add_error("excluded_reason", _("Say why it is excluded."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned form as :func:`~klimabok.ledger.services.set_override` takes it (the chosen one)."""
        data, action = self.cleaned_data, self.cleaned_data["action"]
        return {
            "target": OverrideTarget(data["target"]), "key": data["key"], "note": data.get("note") or "",
            "category": data["category"] if action == "category" else "",
            "kg_co2e_per_nok": data["kg_co2e_per_nok"] if action == "factor" else None,
            "source": data.get("source") or "" if action == "factor" else "",
            "excluded_reason": data.get("excluded_reason") or "" if action == "exclude" else "",
        }


class CoverageRuleForm(forms.Form):
    """What a year's activity data covers of one spend category's spend, beyond the matched vouchers
    and suppliers: only what is matched (default), all of it, or a share (per cent, with why)."""

    category = forms.CharField(widget=forms.HiddenInput, max_length=60)
    mode = forms.ChoiceField(label=_("The activity data covers"), choices=SpendCoverageRule.Mode.choices)
    share_percent = NumberField(label=_("Share covered (%)"), min_value=Decimal(0),
                                       max_value=Decimal(100), max_digits=5, decimal_places=2, required=False,
                                       localize=True)
    note = forms.CharField(label=_("Why"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == SpendCoverageRule.Mode.SHARE and data.get("share_percent") is None:
            self.add_error("share_percent", _("Give the share the activity data covers, 0 to 100 %."))
        return data
