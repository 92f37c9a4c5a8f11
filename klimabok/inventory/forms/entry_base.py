"""The common part of every guided data-entry form.

A guided form asks in plain language ("How many kWh did you buy?") and turns
the answers into one :class:`~klimabok.inventory.services.EntryDraft`: a
catalogue activity key, a quantity and a unit. What the user typed is kept
in the entry's ``details`` so the entry reopens in the same form.

Choices come from the catalogue for the year, so the forms offer only what
has a published factor.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from klimabok.core.errors import FactorNotFound, InputError
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Activity
from klimabok.inventory.models import ActivityEntry, Site
from klimabok.inventory.services import EntryDraft
from klimabok.web.core_messages import localise

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str

DATA_QUALITY_CHOICES = [
    (1, _("1 – measured or from the supplier (meter, fuel receipt)")),
    (2, _("2 – from records (invoices, travel agency report)")),
    (3, _("3 – partly estimated")),
    (4, _("4 – extrapolated or averaged")),
    (5, _("5 – rough estimate")),
]
# Fields every guided form has; everything else a form asks goes into ``details``.
COMMON_FIELDS = ("site", "description", "data_quality")
# Where the entry is in the accounting ledger (kept in ``details``): the double-counting rule
# (klimabok.core.spend.double_counting) excludes exactly that spend, not the whole spend category.
LEDGER_FIELDS = ("supplier", "vouchers", "cost_nok")
#: The kinds whose data a spend category also measures (electricity, heat, cars, flights, hotels, taxi…).
LEDGER_KINDS = frozenset({"electricity", "district_heating", "company_cars", "flight", "hotel", "transport",
                          "generic"})


def activity_label(activity: Activity) -> str:
    """The activity's name in the user's language (bokmål name when there is one)."""
    if (get_language() or "nb").startswith("nb") and activity.name_nb:
        return activity.name_nb
    return activity.name


def usable_activities(catalogue: Catalogue, year: int, prefix: str = "") -> list[Activity]:
    """Activities under ``prefix`` with a factor for every component in ``year`` (or earlier)."""
    usable = []
    for activity in catalogue.activities():
        if not activity.key.startswith(prefix):
            continue
        try:
            for key in activity.components:
                catalogue.factor(key, year)
        except FactorNotFound:
            continue
        usable.append(activity)
    return usable


def quantity_field(label: StrOrPromise, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=Decimal(0), max_digits=20, decimal_places=6,
                              localize=True, **kwargs)


def to_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Site):
        return value.pk
    return value


class EntryForm(forms.Form):
    """Base of the guided forms: where, a note, and how good the number is."""

    kind: ClassVar[str] = ""
    method: ClassVar[str] = ActivityEntry.Method.ACTIVITY
    # Engine error fields (activity/quantity/unit) → the form field to show them beside.
    error_fields: ClassVar[dict[str, str]] = {"quantity": "quantity", "unit": "unit"}

    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False,
                                  empty_label=_("(whole organisation)"))
    description = forms.CharField(label=_("Note"), max_length=300, required=False,
                                  help_text=_("For example the supplier, the invoice or the trip's purpose."))
    data_quality = forms.TypedChoiceField(label=_("How good is the number?"), choices=DATA_QUALITY_CHOICES,
                                          coerce=int, initial=2)
    supplier = forms.CharField(
        label=_("Supplier in the ledger (optional)"), max_length=200, required=False,
        help_text=_("Org.nr or name of the supplier you bought it from (several separated by ;). With an "
                    "imported ledger, that supplier's spend in the same category is not counted a second "
                    "time."))
    vouchers = forms.CharField(
        label=_("Voucher or invoice numbers (optional)"), max_length=500, required=False,
        help_text=_("The ledger's voucher numbers (bilagsnummer), separated by commas: exactly those "
                    "transactions are not counted a second time."))
    cost_nok = forms.DecimalField(
        label=_("Amount paid, NOK excl. VAT (optional)"), min_value=Decimal(0), max_digits=14,
        decimal_places=2, localize=True, required=False,
        help_text=_("When neither supplier nor voucher can be named: this much of the category's spend "
                    "is taken as covered by this entry."))

    def __init__(self, *args: Any, catalogue: Catalogue, year: int, sites: list[Site],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue, self.year = catalogue, year
        site_field = self.fields["site"]
        assert isinstance(site_field, forms.ModelChoiceField)
        site_field.queryset = Site.objects.filter(pk__in=[s.pk for s in sites])
        if not sites:
            del self.fields["site"]
        if self.kind not in LEDGER_KINDS:
            for name in LEDGER_FIELDS:
                del self.fields[name]
        # The common fields go last, after the questions of the kind, and the ledger's after them.
        self.order_fields([*(n for n in self.fields if n not in (*COMMON_FIELDS, *LEDGER_FIELDS)),
                           *COMMON_FIELDS, *LEDGER_FIELDS])
        self.setup()

    def setup(self) -> None:
        """Fill catalogue-based choices (subclasses)."""

    def activity_choices(self, prefix: str) -> list[tuple[str, str]]:
        return [(a.key, activity_label(a)) for a in usable_activities(self.catalogue, self.year, prefix)]

    # What a subclass provides ----------------------------------------------------------------------
    def entry(self) -> tuple[str, Decimal, str]:
        """(activity key, quantity, unit) from the cleaned data."""
        raise NotImplementedError

    def explanation(self) -> str:
        """The arithmetic shown to the user (empty when the quantity is what they typed)."""
        return ""

    def extra_details(self) -> dict[str, Any]:
        """Computed values kept with the entry (a flight's distance…)."""
        return {}

    # ----------------------------------------------------------------------------------------------
    def draft(self) -> EntryDraft:
        activity, quantity, unit = self.entry()
        answers = {name: to_json(value) for name, value in self.cleaned_data.items()
                   if name not in COMMON_FIELDS}
        return EntryDraft(
            activity=activity, quantity=quantity, unit=unit, site=self.cleaned_data.get("site"),
            description=self.cleaned_data.get("description", ""),
            data_quality=self.cleaned_data.get("data_quality", 3), method=self.method,
            details={"kind": self.kind, **answers, **self.extra_details()})

    @classmethod
    def initial_from(cls, entry: ActivityEntry) -> dict[str, Any]:
        """Initial values to edit ``entry`` in the form it was made with."""
        given = {"activity": entry.activity, "quantity": entry.quantity, "unit": entry.unit, **entry.details}
        initial = {k: v for k, v in given.items() if k in cls.base_fields}
        for name, value in initial.items():
            if isinstance(cls.base_fields[name], forms.DecimalField) and value not in (None, ""):
                initial[name] = Decimal(str(value))
        return {**initial, "site": entry.site_id, "description": entry.description,
                "data_quality": entry.data_quality}

    def add_engine_errors(self, errors: list[InputError]) -> None:
        """Show the engine's row-level problems beside the field they concern."""
        for error in errors:
            target = self.error_fields.get(error.field or "")
            self.add_error(target if target in self.fields else None, localise(error.problem))
