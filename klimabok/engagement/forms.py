"""Every form of the engagement pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klimabok.core.errors import KlimabokError, input_errors
from klimabok.engagement.models import Suggestion
from klimabok.engagement.services import IMAGE_TYPES
from klimabok.plans import catalogue
from klimabok.plans.services import MeasureDraft
from klimabok.web.core_messages import localise


class RefusalForm(forms.Form):
    def show_refusal(self, exc: KlimabokError) -> None:
        """Each of the service's problems at its field (else above the form)."""
        for error in input_errors(exc):
            name = error.field or ""
            self.add_error(name if name in self.fields else None, localise(error.problem))


class PostForm(RefusalForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: **bold**, *italic*, lists with “-”, links as [text](https://…). HTML is "
                    "removed."))
    image = forms.FileField(
        label=_("Image"), required=False,
        help_text=_("PNG, JPEG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMAGE_TYPES)}))
    image_alt = forms.CharField(label=_("What the image shows"), max_length=200, required=False,
                                help_text=_("For those who cannot see it."))


class SuggestionForm(RefusalForm):
    title = forms.CharField(label=_("Your suggestion in a few words"), max_length=200)
    text = forms.CharField(label=_("Describe it"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    anonymous = forms.BooleanField(
        label=_("Send it anonymously"), required=False,
        help_text=_("Your name is then not stored with it at all: nobody, not even the administrator, can "
                    "see who wrote it, and you will not be told of the answer by e-mail."))


class CommentForm(RefusalForm):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AnswerForm(RefusalForm):
    """The ombudsman's answer; accepting a suggestion without a measure makes one (kind, start year, and
    the share it cuts for the kinds that need one: refine it on the measure's page)."""

    status = forms.ChoiceField(label=_("Status"), choices=Suggestion.Status.choices)
    reply = forms.CharField(label=_("Reply to the suggestion"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Shown under the suggestion; a named author gets it by e-mail."))
    declined_reason = forms.CharField(label=_("Why it is declined"), required=False, max_length=2000,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("Needed when the status is “declined”."))
    kind = forms.ChoiceField(label=_("Kind of measure"), required=False,
                             help_text=_("When accepted: the measure it becomes in the plan."))
    start_year = forms.IntegerField(label=_("Start year"), required=False, min_value=2000, max_value=2100)
    percent = forms.DecimalField(
        label=_("What it cuts (%)"), required=False, min_value=0, max_value=100, decimal_places=2,
        help_text=_("For the kinds that ask for a share or percentage; every other parameter takes the "
                    "catalogue's default."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "—")] + [(key, localise(catalogue.label(key)))
                                                     for key in catalogue.kinds()]
        self.fields["start_year"].initial = timezone.localdate().year

    def measure_draft(self, suggestion: Suggestion) -> MeasureDraft | None:
        """The measure an accepted suggestion becomes (None without a kind)."""
        kind = self.cleaned_data.get("kind") or ""
        if not kind:
            return None
        params: dict[str, Any] = {p.key: p.default for p in catalogue.params_of(kind)
                                  if p.default is not None}
        percent = self.cleaned_data.get("percent")
        if percent is not None:
            for param in catalogue.params_of(kind):
                if param.default is None and not param.optional and param.key in ("pct", "share"):
                    params[param.key] = float(percent)
        return MeasureDraft(title=suggestion.title, kind=kind, params=params,
                            start_year=self.cleaned_data.get("start_year") or timezone.localdate().year,
                            description=suggestion.text, acts_on=[])


class DigestForm(forms.Form):
    wanted = forms.BooleanField(label=_("Send me the monthly digest by e-mail"), required=False)
