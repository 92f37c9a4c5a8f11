"""Form helpers shared by the apps' forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import number_format

from klimabok.core.numbers import parse_decimal


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name``, a :class:`~django.forms.ChoiceField` whose choices are set per request.

    ``form.fields`` holds plain ``Field``s as far as the type checker knows; this says which one it is
    (and fails loudly if a refactoring ever makes it something else).
    """
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a ChoiceField")
    return field


def _typed_number(field: forms.Field, value: Any) -> Any:
    """A typed text read by the one number reader of klimabok (:mod:`klimabok.core.numbers`): "45 000 000",
    "45 000,50" with ordinary or non-breaking spaces, and "45000.50" all read, in either language."""
    if isinstance(value, str) and value.strip():
        try:
            return parse_decimal(value)
        except ValueError:
            raise forms.ValidationError(field.error_messages["invalid"], code="invalid") from None
    return value


class NumberField(forms.DecimalField):
    """A decimal field that reads numbers as people type them (Norwegian or English style).

    Shown in the page's language (``localize``), as a text input: a browser's number input refuses the
    spaces Norwegians group thousands with.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # django-stubs: int
        result: Decimal | None = super().to_python(_typed_number(self, value))
        return result

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # A phone shows its number keyboard (with the decimal comma) for the text input.
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def prepare_value(self, value: Any) -> Any:
        """A stored number shown grouped, without trailing zeros: 45000000.00 → "45 000 000" in bokmål
        (reads back the same; a typed text is shown as typed)."""
        if isinstance(value, Decimal) and value.is_finite():
            plain = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
            return number_format(plain, use_l10n=True, force_grouping=True)
        return value


class WholeNumberField(forms.IntegerField):
    """An integer field that reads like :class:`NumberField` ("1 200" employees); "2,5" is refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "numeric"}

    def to_python(self, value: Any) -> int | None:
        number = _typed_number(self, value)
        if isinstance(number, Decimal):
            if number != number.to_integral_value():
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            number = int(number)
        result: int | None = super().to_python(number)
        return result
