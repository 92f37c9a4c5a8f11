"""Forms for logging in, members, invitations and organisation settings.

Forms only validate and normalise; the views hand the cleaned values to
:mod:`klimabok.accounts.services`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from klimabok.accounts.models import Organisation, User
from klimabok.accounts.roles import Role
from klimabok.accounts.services import OrganisationDetails
from klimabok.accounts.validators import validate_lei, validate_norwegian_org_number

# Roles a client organisation hands out; partner staff come through the partner organisation.
MEMBER_ROLES = [(r.value, r.label) for r in Role if r != Role.PARTNER]

COUNTRIES = [
    ("NO", _("Norway")), ("SE", _("Sweden")), ("DK", _("Denmark")), ("FI", _("Finland")),
    ("IS", _("Iceland")), ("DE", _("Germany")), ("NL", _("Netherlands")), ("GB", _("United Kingdom")),
]


class LoginForm(AuthenticationForm):
    username = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(
        attrs={"autofocus": True, "autocomplete": "email"}))
    error_messages = {
        "invalid_login": _("Wrong e-mail address or password. After five failed attempts the "
                           "account is locked for an hour."),
        "inactive": _("This account is deactivated."),
    }


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"), choices=MEMBER_ROLES, initial=Role.CONTRIBUTOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MEMBER_ROLES)


class NewUserForm(forms.Form):
    """Name and password for someone who accepts an invitation without an account."""

    name = forms.CharField(label=_("Your name"), max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1 = forms.CharField(label=_("Password"), strip=False,
                                help_text=password_validation.password_validators_help_text_html,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(
                    first, User(email=self.email, name=data.get("name", "")))
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("The name shown in klimabok and on reports."))
    legal_name = forms.CharField(label=_("Legal name"), max_length=200, required=False,
                                 help_text=_("As registered, if it differs from the name."))
    org_number = forms.CharField(label=_("Organisation number"), max_length=20, required=False,
                                 help_text=_("Nine digits for a Norwegian company."))
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES, initial="NO")
    consolidation = forms.ChoiceField(
        label=_("Consolidation approach"), required=False,
        choices=[("", _("Not recorded (reports say operational control)")),
                 *Organisation.Consolidation.choices],
        help_text=_("How the climate account's boundary is drawn (GHG Protocol Corporate Standard, "
                    "chapter 3): the emissions of what the company operates, what it controls financially, "
                    "or its share of each entity it owns."))
    identifier_scheme = forms.ChoiceField(
        label=_("Identifier scheme for VSME reports"), required=False,
        choices=[("", _("None")), *Organisation.IdentifierScheme.choices],
        help_text=_("The VSME taxonomy identifies the reporting company by one of these schemes; the "
                    "organisation number is shown beside it. The iXBRL report needs an LEI."))
    identifier = forms.CharField(label=_("Identifier"), max_length=40, required=False)

    @classmethod
    def for_organisation(cls, organisation: Organisation, data: Any = None) -> OrganisationForm:
        return cls(data, initial={"name": organisation.name, "legal_name": organisation.legal_name,
                                  "org_number": organisation.org_number, "country": organisation.country,
                                  "consolidation": organisation.consolidation,
                                  "identifier_scheme": organisation.identifier_scheme,
                                  "identifier": organisation.identifier})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("org_number", "")
        if number and data.get("country") == "NO":
            try:
                data["org_number"] = validate_norwegian_org_number(number)
            except ValidationError as error:
                self.add_error("org_number", error)
        scheme, identifier = data.get("identifier_scheme", ""), data.get("identifier", "").strip()
        if scheme and not identifier:
            self.add_error("identifier", _("Enter the identifier for the scheme %(scheme)s, or choose no "
                                           "scheme.") % {"scheme": scheme})
        elif identifier and not scheme:
            self.add_error("identifier_scheme", _("Choose the scheme this identifier belongs to."))
        elif scheme == Organisation.IdentifierScheme.LEI:
            try:
                data["identifier"] = validate_lei(identifier)
            except ValidationError as error:
                self.add_error("identifier", error)
        return data

    def details(self) -> OrganisationDetails:
        data = self.cleaned_data
        return OrganisationDetails(name=data["name"].strip(), legal_name=data["legal_name"].strip(),
                                   org_number=data["org_number"].strip(), country=data["country"],
                                   consolidation=data.get("consolidation", ""),
                                   identifier_scheme=data.get("identifier_scheme", ""),
                                   identifier=data.get("identifier", "").strip())


class ClientForm(OrganisationForm):
    first_admin_email = forms.EmailField(
        label=_("First administrator's e-mail"), required=False,
        help_text=_("We send an invitation to become administrator of the new organisation."))
