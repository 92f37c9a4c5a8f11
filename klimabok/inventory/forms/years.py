"""Forms for reporting years, organisation facts, sites and uploads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klimabok.inventory.models import ReportingYear, Site
from klimabok.inventory.services import YearFacts
from klimabok.web.forms import NumberField

#: How a new year starts from the one before it (klimabok.inventory.carry_over).
START_SOURCES, START_COPY, START_EMPTY = "sources", "copy", "empty"


def proposed_year(existing: list[int], this_year: int) -> int:
    """The year a new account is proposed for: last year, when the bills are in (the hint on the
    organisation's page says to start there); when last year exists, the year after the newest one."""
    if this_year - 1 not in existing:
        return this_year - 1
    return max(existing) + 1


class YearCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    start = forms.ChoiceField(
        label=_("Start from the year before"), widget=forms.RadioSelect, required=False,
        initial=START_SOURCES,
        choices=[(START_SOURCES, _("List its sources to fill in this year's amounts")),
                 (START_COPY, _("Copy its lines with their quantities, to correct where they changed")),
                 (START_EMPTY, _("Start empty"))],
        help_text=_("The organisation facts (FTE, revenue, floor area) are carried over in any case."))

    def __init__(self, *args: Any, existing: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = existing or []
        self.fields["year"].initial = proposed_year(years, timezone.now().year)
        if not years:
            del self.fields["start"]

    @property
    def start_choice(self) -> str:
        return str(self.cleaned_data.get("start") or START_SOURCES)


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored amount without trailing zeros ("391.00" → 391), so the field shows what was typed."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class YearFactsForm(forms.Form):
    """FTE, revenue and floor area: the denominators of the intensity figures."""

    # localize: shown and typed the way the language writes numbers ("391,5" in bokmål).
    fte = NumberField(label=_("Full-time equivalents (FTE)"), required=False, min_value=Decimal(0),
                             max_digits=10, decimal_places=2)
    revenue_nok = NumberField(label=_("Revenue (NOK)"), required=False, min_value=Decimal(0),
                                     max_digits=16, decimal_places=2,
                                     help_text=_("The year's operating revenue in kroner, for the intensity "
                                                 "per million kroner."))
    floor_area_m2 = NumberField(
        label=_("Floor area (m²)"), required=False, min_value=Decimal(0), max_digits=12, decimal_places=2,
        help_text=_("Leave empty to use the sum of the sites' floor areas."))
    gwp_set = forms.ChoiceField(label=_("GWP set"), choices=ReportingYear.GwpSet.choices,
                                help_text=_("Global warming potentials used to add up CH₄ and N₂O."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def for_year(cls, reporting_year: ReportingYear, data: Any = None) -> YearFactsForm:
        return cls(data, initial={"fte": _plain(reporting_year.fte),
                                  "revenue_nok": _plain(reporting_year.revenue_nok),
                                  "floor_area_m2": _plain(reporting_year.floor_area_m2),
                                  "gwp_set": reporting_year.gwp_set, "notes": reporting_year.notes})

    def facts(self) -> YearFacts:
        data = self.cleaned_data
        return YearFacts(fte=data["fte"], revenue_nok=data["revenue_nok"],
                         floor_area_m2=data["floor_area_m2"], gwp_set=data["gwp_set"], notes=data["notes"])


class SiteForm(forms.ModelForm[Site]):
    class Meta:
        model = Site
        fields = ["name", "address", "country", "floor_area_m2"]

    def clean_country(self) -> str:
        country: str = self.cleaned_data["country"].strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise forms.ValidationError(_("Use the two-letter country code, for example NO."))
        return country

    def validate_unique(self) -> None:
        """Name clashes are checked by the service (case-insensitively)."""


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Activity file (XLSX or CSV)"))
