"""The claims page: what the organisation may say about a reporting year, to whom, and why.

Every role of the organisation may read it (it is what employees may say in
public too); recording the prerequisites needs MANAGE_YEARS. The page loads
the year's totals, retired credits and prerequisites once, asks the core
(:func:`klimabok.core.claims.advise`) and shows the advice. Suggested wording is
shown in bokmål and English whatever the page's language: the client publishes both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.account.screening import load_screening
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.models import Organisation
from klimabok.accounts.roles import Capability
from klimabok.claims.forms import PrerequisitesForm
from klimabok.claims.models import RECORDED, ClaimPrerequisites
from klimabok.claims.read_models import (
    load_plan,
    load_planned_credits,
    load_prerequisites,
    load_retired_credits,
    load_totals,
    load_unscreened_tonnes,
    reduction_plans,
    with_plan,
)
from klimabok.claims.services import save_prerequisites
from klimabok.core.claims import Audience, ClaimsAdvice, ClaimsInput, advise
from klimabok.core.messages import Message
from klimabok.inventory.access import page_context, year_access
from klimabok.plans.templatetags.plans_targets import progress_text
from klimabok.web.core_messages import localise

LANGUAGES = (("nb", "Norsk bokmål"), ("en", "English"))


def today() -> date:
    """The date the rules are applied on (a function, so tests can move it)."""
    return timezone.localdate()


@dataclass(frozen=True)
class Suggestion:
    """One suggested sentence in each language: [(code, name, text), …]."""

    texts: list[tuple[str, str, str]]


def in_both_languages(text: Message) -> Suggestion:
    texts = []
    for code, name in LANGUAGES:
        with translation.override(code):
            texts.append((code, name, localise(text)))
    return Suggestion(texts)


@dataclass(frozen=True)
class PrerequisiteRow:
    label: str
    done: bool
    reference: str

    @property
    def reference_is_url(self) -> bool:
        return self.reference.startswith(("https://", "http://"))


def prerequisite_rows(row: ClaimPrerequisites | None) -> list[PrerequisiteRow]:
    return [PrerequisiteRow(str(label), bool(row and getattr(row, name)),
                            getattr(row, f"{name}_reference") if row else "")
            for name, label, _help in RECORDED]


def _audience(request: HttpRequest) -> Audience:
    return Audience.BUSINESS if request.GET.get("audience") == Audience.BUSINESS else Audience.CONSUMERS


def _legal_name(organisation: Organisation) -> str:
    return organisation.legal_name or organisation.name


@login_required
def claims_page(request: AuthenticatedHttpRequest, slug: str, year: int,
                form: PrerequisitesForm | None = None) -> HttpResponse:
    """``/o/<slug>/<year>/claims/?audience=consumers|business``."""
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    audience = _audience(request)
    totals = load_totals(reporting_year)
    credits = load_retired_credits(access.organisation, year)
    prerequisites, row = load_prerequisites(reporting_year)
    plan = load_plan(access.organisation, year)
    advice: ClaimsAdvice = advise(ClaimsInput(
        organisation=_legal_name(access.organisation), year=year, totals=totals, credits=credits,
        prerequisites=with_plan(prerequisites, plan), audience=audience, today=today(),
        screening=load_screening(reporting_year), plans=reduction_plans(plan),
        planned=load_planned_credits(access.organisation)))
    can_manage = access.can(Capability.MANAGE_YEARS)
    if form is None and can_manage:
        form = PrerequisitesForm(instance=row)
    base = reverse("claims:claims", args=[slug, year])
    context: dict[str, Any] = page_context(
        access, reporting_year=reporting_year, audience=audience.value, advice=advice, totals=totals,
        credits_for_year=[c for c in credits if c.for_year == year],
        retired_t=sum((c.tonnes for c in credits if c.for_year == year), 0),
        unscreened_t=load_unscreened_tonnes(access.organisation, year),
        suggestions=[in_both_languages(text) for text in advice.wording_for(audience)],
        prerequisites=prerequisite_rows(row), prerequisites_row=row, form=form, plan=plan,
        plan_standings=[(s.target, s.on_track, progress_text(s.progress)) for s in plan.standings],
        targets_url=reverse("plans:targets", args=[slug]),
        tabs=[(Audience.CONSUMERS.value, _("Consumers"), f"{base}?audience=consumers"),
              (Audience.BUSINESS.value, _("Business partners and annual report"),
               f"{base}?audience=business")],
        account_url=reverse("account:account", args=[slug, year]), today=today(),
        screening_url=reverse("account:scope3_screening", args=[slug, year]))
    status = 400 if form is not None and form.errors else 200
    return render(request, "claims/page.html", context, status=status)


@login_required
@require_POST
def prerequisites(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """Record the year's prerequisites (MANAGE_YEARS: the administrator or the climate partner)."""
    access, reporting_year = year_access(request, slug, year, Capability.MANAGE_YEARS)
    row = ClaimPrerequisites.objects.filter(reporting_year=reporting_year).first()
    form = PrerequisitesForm(request.POST, instance=row)
    if not form.is_valid():
        return claims_page(request, slug, year, form=form)
    save_prerequisites(reporting_year, {name: form.cleaned_data[name] for name in form.Meta.fields},
                       request.user)
    messages.success(request, _("Prerequisites for %(year)s saved.") % {"year": year})
    audience = request.POST.get("audience", "")
    return redirect(f"{reverse('claims:claims', args=[access.organisation.slug, year])}"
                    f"{'?audience=business' if audience == Audience.BUSINESS else ''}")
