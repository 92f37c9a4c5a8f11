"""Form helpers shared by the apps' forms."""

from __future__ import annotations

from django import forms


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name``, a :class:`~django.forms.ChoiceField` whose choices are set per request.

    ``form.fields`` holds plain ``Field``s as far as the type checker knows; this says which one it is
    (and fails loudly if a refactoring ever makes it something else).
    """
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a ChoiceField")
    return field
