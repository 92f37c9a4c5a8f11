"""The common part of every guided data-entry form.

A guided form asks in plain language ("How many kWh did you buy?") and turns
the answers into one :class:`~klimabok.inventory.services.EntryDraft`: a
catalogue activity key, a quantity and a unit. What the user typed is kept
in the entry's ``details`` so the entry reopens in the same form.

Choices come from the catalogue for the year, so the forms offer only what
has a published factor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from klimabok.core.errors import FactorNotFound, InputError
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Activity
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from klimabok.inventory.read_models import catalogue_for
from klimabok.inventory.services import EntryDraft
from klimabok.web.core_messages import localise
from klimabok.web.forms import NumberField

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
    """A quantity ≥ 0 typed as people type it ("45 000,5", "45000.5"): a
    :class:`~klimabok.web.forms.NumberField`."""
    return NumberField(label=label, min_value=Decimal(0), max_digits=20, decimal_places=6, **kwargs)


#: The empty first choice of a list without a sensible default: the user picks, the form never
#: takes the list's first item silently.
CHOOSE = ("", _("(choose)"))
#: A posted "save anyway" box: the user has seen the plausibility warnings and saves all the same.
CONFIRM_FIELD = "confirm_warnings"
#: A city after a Norwegian four-digit postcode at the end of an address ("Storgata 12, 0155 Oslo").
_CITY = re.compile(r"\b\d{4}\s+([^\d,]+?)\s*$")


def address_city(address: str) -> str:
    """The city of an address written the Norwegian way (postcode, city last), or ""."""
    found = _CITY.search(address.strip())
    return found.group(1) if found else ""


@dataclass(frozen=True)
class EntryContext:
    """What a guided form knows of the organisation beyond the year: its defaults and its last year.

    ``previous_kwh`` is last year's energy by (kind, site id or None) in kWh, for the "100 × last year"
    warning; ``cities`` are the organisation's sites' cities, for the district-heating network default.
    """

    country: str = "NO"
    cities: tuple[str, ...] = ()
    previous_kwh: dict[tuple[str, int | None], Decimal] = field(default_factory=dict)


#: Energy units of the guided forms in kWh.
KWH_PER = {"kWh": Decimal(1), "MWh": Decimal(1000), "GWh": Decimal(1_000_000)}
#: The kinds whose year total is compared with last year's, and the catalogue prefix they count.
ENERGY_KINDS = {"electricity": "electricity.", "district_heating": "district_heating."}


def entry_context(reporting_year: ReportingYear) -> EntryContext:
    """The organisation's country, its sites' cities and last year's energy per kind and site."""
    organisation = reporting_year.organisation
    previous: dict[tuple[str, int | None], Decimal] = {}
    last_year = ActivityEntry.objects.filter(reporting_year__organisation_id=organisation.pk,
                                             reporting_year__year=reporting_year.year - 1)
    for activity, unit, site_id, quantity in last_year.values_list("activity", "unit", "site_id", "quantity"):
        kind = next((k for k, prefix in ENERGY_KINDS.items() if activity.startswith(prefix)), None)
        if kind is not None and unit in KWH_PER:
            key = (kind, site_id)
            previous[key] = previous.get(key, Decimal(0)) + quantity * KWH_PER[unit]
    sites = Site.objects.filter(organisation_id=organisation.pk).values_list("address", flat=True)
    cities = tuple(dict.fromkeys(c for c in (address_city(a) for a in sites) if c))
    return EntryContext(country=organisation.country or "NO", cities=cities, previous_kwh=previous)


def entry_form(form_class: type[EntryForm], reporting_year: ReportingYear, data: Any = None,
               initial: dict[str, Any] | None = None) -> EntryForm:
    """A guided form for ``reporting_year`` with everything it checks against and defaults from: the
    year's catalogue, the organisation's sites, country and last year. Every page (and row) that
    validates an entry builds its form here, so the same defaults and warnings apply everywhere."""
    sites = list(Site.objects.filter(organisation_id=reporting_year.organisation_id))
    return form_class(data, initial=initial, catalogue=catalogue_for(reporting_year),
                      year=reporting_year.year, sites=sites, context=entry_context(reporting_year))


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
    cost_nok = NumberField(
        label=_("Amount paid, NOK excl. VAT (optional)"), min_value=Decimal(0), max_digits=14,
        decimal_places=2, required=False,
        help_text=_("When neither supplier nor voucher can be named: this much of the category's spend "
                    "is taken as covered by this entry."))

    #: The answers that are this year's amounts: left blank when last year's entry starts this year's.
    amount_fields: ClassVar[tuple[str, ...]] = ("quantity", "cost_nok", "vouchers")
    #: The plausibility warning for a quantity of 0 (None: no warning).
    zero_warning: ClassVar[StrOrPromise | None] = _(
        "The quantity is 0: this entry adds nothing to the account. Leave it out, or give the amount.")

    def __init__(self, *args: Any, catalogue: Catalogue, year: int, sites: list[Site],
                 context: EntryContext | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue, self.year = catalogue, year
        self.context = context or EntryContext()
        #: Plausibility warnings of the cleaned answers (see :meth:`plausibility_warnings`).
        self.warnings: list[str] = []
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

    def plausibility_warnings(self) -> list[str]:
        """Figures that are possible but almost always a typing mistake, asked about before saving.

        Subclasses add their own to this list (a billion km by car, a flight longer than half the earth).
        """
        _activity, quantity, _unit = self.entry()
        return [str(self.zero_warning)] if quantity == 0 and self.zero_warning else []

    @property
    def confirmed(self) -> bool:
        """The user ticked "save anyway" under the warnings."""
        return str(self.data.get(CONFIRM_FIELD, "")).lower() in {"on", "true", "1", "yes"}

    def full_clean(self) -> None:
        """Ask before saving: with warnings, the form is valid only once "save anyway" is ticked (a
        preview shows the warnings without asking)."""
        super().full_clean()
        self.warnings = []
        if not self.is_bound or self.errors:
            return
        self.warnings = self.plausibility_warnings()
        if self.warnings and not self.confirmed and self.data.get("action") != "preview":
            self.add_error(None, _("Check the figures in the warnings below. If they are right, tick "
                                   "“Save anyway” and save again."))

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

    @classmethod
    def initial_for_next_year(cls, entry: ActivityEntry) -> dict[str, Any]:
        """Last year's ``entry`` as the start of this year's: the same answers, the amounts blank."""
        return {k: v for k, v in cls.initial_from(entry).items() if k not in cls.amount_fields}

    def add_engine_errors(self, errors: list[InputError]) -> None:
        """Show the engine's row-level problems beside the field they concern."""
        for error in errors:
            target = self.error_fields.get(error.field or "")
            self.add_error(target if target in self.fields else None, localise(error.problem))
