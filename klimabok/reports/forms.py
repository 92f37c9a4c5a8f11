"""The Miljøfyrtårn report's one short form a year, and the public page's switch."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_DEGREE_DAYS, OWN_INDICATORS, MiljofyrtarnFigures
from .services import FiguresDraft


def _decimal(
    label: Any, *, decimals: int, minimum: Decimal, maximum: Decimal, help_text: Any = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=decimals + 6,
        decimal_places=decimals,
        min_value=minimum,
        max_value=maximum,
        help_text=help_text,
        localize=True,
    )


class MiljofyrtarnFiguresForm(forms.Form):
    """Sick leave, the temperature correction's three figures (all or none) and up to three own indicators."""

    sick_leave_percent = _decimal(
        _("Sick leave (%)"),
        decimals=2,
        minimum=Decimal(0),
        maximum=Decimal(100),
        help_text=_(
            "Days of sick leave as a share of the working days in the year, from the payroll system."
        ),
    )
    normal_degree_days = _decimal(
        _("Degree days in a normal year"),
        decimals=1,
        minimum=Decimal(1),
        maximum=MAX_DEGREE_DAYS,
        help_text=_(
            "The heating degree days of the place in a normal year (e.g. the "
            "1991–2020 normal for Oslo is about 3,900)."
        ),
    )
    actual_degree_days = _decimal(
        _("Degree days in the year"),
        decimals=1,
        minimum=Decimal(1),
        maximum=MAX_DEGREE_DAYS,
        help_text=_("The heating degree days measured in the reporting year."),
    )
    heating_share_percent = _decimal(
        _("Heating-dependent share of the energy (%)"),
        decimals=2,
        minimum=Decimal(0),
        maximum=Decimal(100),
        help_text=_(
            "How much of the year's energy goes to heating and varies with "
            "the weather; an office is typically 50–60 %."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, OWN_INDICATORS + 1):
            self.fields[f"indicator_{number}_name"] = forms.CharField(
                label=_("Own indicator %(number)s: name") % {"number": number}, required=False, max_length=120
            )
            self.fields[f"indicator_{number}_unit"] = forms.CharField(
                label=_("Own indicator %(number)s: unit") % {"number": number}, required=False, max_length=40
            )
            self.fields[f"indicator_{number}_value"] = forms.DecimalField(
                label=_("Own indicator %(number)s: value") % {"number": number},
                required=False,
                max_digits=18,
                decimal_places=4,
                localize=True,
            )

    @classmethod
    def initial_from(cls, row: MiljofyrtarnFigures | None) -> dict[str, Any]:
        if row is None:
            return {}
        initial: dict[str, Any] = {
            name: getattr(row, name)
            for name in (
                "sick_leave_percent",
                "normal_degree_days",
                "actual_degree_days",
                "heating_share_percent",
            )
        }
        for number, indicator in enumerate(row.own_indicators, start=1):
            initial |= {
                f"indicator_{number}_name": indicator["name"],
                f"indicator_{number}_unit": indicator["unit"],
                f"indicator_{number}_value": Decimal(indicator["value"]),
            }
        return initial

    def correction_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("normal_degree_days", "actual_degree_days", "heating_share_percent")]

    def indicator_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"indicator_{n}_{part}"] for part in ("name", "unit", "value")]
            for n in range(1, OWN_INDICATORS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        correction = ("normal_degree_days", "actual_degree_days", "heating_share_percent")
        given = [name for name in correction if data.get(name) is not None]
        if given and len(given) < len(correction):
            for name in correction:
                if data.get(name) is None and name not in self.errors:
                    self.add_error(
                        name,
                        _(
                            "The temperature correction needs all three figures: both degree "
                            "days and the heating-dependent share."
                        ),
                    )
        for number in range(1, OWN_INDICATORS + 1):
            name, unit, value = (f"indicator_{number}_{part}" for part in ("name", "unit", "value"))
            filled = bool(data.get(name)) or bool(data.get(unit)) or data.get(value) is not None
            if not filled:
                continue
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Give the indicator a name."))
            if data.get(value) is None and value not in self.errors:
                self.add_error(value, _("Give the indicator's value."))
        return data

    def draft(self) -> FiguresDraft:
        data = self.cleaned_data
        indicators = [
            (
                data[f"indicator_{n}_name"].strip(),
                data[f"indicator_{n}_unit"].strip(),
                data[f"indicator_{n}_value"],
            )
            for n in range(1, OWN_INDICATORS + 1)
            if data.get(f"indicator_{n}_name")
        ]
        return FiguresDraft(
            sick_leave_percent=data.get("sick_leave_percent"),
            normal_degree_days=data.get("normal_degree_days"),
            actual_degree_days=data.get("actual_degree_days"),
            heating_share_percent=data.get("heating_share_percent"),
            own_indicators=indicators,
        )


class PublicPageForm(forms.Form):
    enabled = forms.BooleanField(label=_("Publish the climate page"), required=False)
