"""The climate partner's credit pages: portfolio, import, add by hand, policy, project, credit log.

Only partner staff (role PARTNER in a partner organisation) reach them; anyone
else gets a 404, so the pages do not reveal that a portfolio exists. Thin
views: validate the form, call one service, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from klimabok.accounts.access import partner_of
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.models import Organisation
from klimabok.audit.kinds import CREDIT_KINDS
from klimabok.audit.models import Event
from klimabok.core.credits.registries import Project
from klimabok.core.credits.screening import Policy
from klimabok.core.errors import InputError, KlimabokError, input_errors
from klimabok.credits import services, verification
from klimabok.credits.forms import AddBlockForm, ImportForm, PolicyForm, ProjectForm
from klimabok.credits.models import EVENT_LABELS, CreditBlock, CreditProject, RegistryImport
from klimabok.credits.read_models import portfolio as load_portfolio
from klimabok.web.core_messages import localise

LOG_PAGE = 50


def _render(request: HttpRequest, template: str, partner: Organisation, status: int = 200,
            **context: Any) -> HttpResponse:
    return render(request, template, {"partner": partner, **context}, status=status)


@login_required
def portfolio(request: AuthenticatedHttpRequest) -> HttpResponse:
    partner = partner_of(request)
    return _render(request, "credits/portfolio.html", partner, portfolio=load_portfolio(partner))


@login_required
def import_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a registry export: everything is imported and screened, or nothing and every problem listed."""
    partner = partner_of(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[InputError] = []
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_registry_file(partner, upload, form.cleaned_data["format"],
                                                   request.user, file_name=upload.name)
        except KlimabokError as exc:
            problems = input_errors(exc)
    imports = RegistryImport.objects.filter(partner=partner).select_related("imported_by")[:20]
    rejected = (CreditBlock.objects.filter(imported_from=result.registry_import, status="rejected")
                .select_related("project").prefetch_related("checks") if result else [])
    return _render(request, "credits/import.html", partner, 400 if problems or form.errors else 200,
                   form=form, problems=problems, result=result, imports=imports, rejected=rejected)


@login_required
def add_block(request: AuthenticatedHttpRequest) -> HttpResponse:
    partner = partner_of(request)
    form = AddBlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            block = services.add_block(
                partner, data["serial"], data["quantity"],
                Project(registry="", project_id=data["project_id"], name=data["project_name"],
                        country=data["country"], methodology=data["methodology"]),
                user=request.user, kind=data["kind"], labels=data["labels"],
                product_type=data["product_type"], price=data["price"])
        except KlimabokError as exc:
            # One error or a list (an overlap is refused as a list): each on its field, without
            # the "1 error(s): column serial:" prefix a list's text would put before it.
            for error in input_errors(exc):
                form.add_error(_field_of(error, form), _localised(error))
        else:
            text = (_("Block %(serial)s (%(quantity)s t) is added and offered.")
                    if block.status == CreditBlock.Status.OFFERED
                    else _("Block %(serial)s (%(quantity)s t) is added but rejected by screening: "
                           "see why below."))
            messages.success(request, text % {"serial": block.raw_serial, "quantity": block.quantity})
            return redirect("credits:portfolio")
    return _render(request, "credits/add.html", partner, 400 if form.errors else 200, form=form)


def _localised(exc: KlimabokError) -> str:
    return localise(exc.problem if isinstance(exc, InputError) else exc)


def _field_of(exc: InputError, form: AddBlockForm) -> str | None:
    field = {"project_name": "project_name", "project_id": "project_id"}.get(exc.field or "", exc.field)
    return field if field in form.fields else None


@login_required
def policy(request: AuthenticatedHttpRequest) -> HttpResponse:
    partner = partner_of(request)
    stored = partner.portfolio_policy if hasattr(partner, "portfolio_policy") else None
    default = Policy()  # no row yet: the strict defaults, each shown so the partner sees what applies
    initial = {"require_ccp": default.require_ccp, "max_vintage_age_years": default.max_vintage_age_years,
               "ex_post_only": default.ex_post_only} if stored is None else {
        "require_ccp": stored.require_ccp, "min_vintage_year": stored.min_vintage_year,
        "max_vintage_age_years": stored.max_vintage_age_years,
        "min_removal_percent": (stored.min_removal_share * 100
                                if stored.min_removal_share is not None else None),
        "allowed_registries": stored.allowed_registries or [],
        "inactive_methodologies": ", ".join(stored.inactive_methodologies or []),
        "ex_post_only": stored.ex_post_only}
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_policy(partner, request.user, **form.policy_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request,
                             _("The policy is saved and every block not yet sold is screened again."))
            return redirect("credits:portfolio")
    return _render(request, "credits/policy.html", partner, 400 if form.errors else 200, form=form)


@login_required
def project_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = partner_of(request)
    project = get_object_or_404(CreditProject, pk=pk, owner=partner)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        price = form.cleaned_data["price"]
        user = request.user
        services.update_project(project, user, **fields)
        if price is not None:
            for block in project.blocks.all():
                services.set_price(block, price, user)
        messages.success(request, _("The project is saved."))
        return redirect("credits:portfolio")
    return _render(request, "credits/project.html", partner, 400 if form.errors else 200, form=form,
                   project=project)


@login_required
def events_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The partner's latest credit events (the audit trail's) with their hashes; ``?verify=1`` re-checks
    the whole chain."""
    partner = partner_of(request)
    # Certificate events are filed under the client (whose certificate it is); the partner issued them,
    # and the public verification page sends readers to the partner to find that hash in the chain.
    # The audit trail holds other events too (years, factors): the page shows credit events only.
    about = Q(kind__in=CREDIT_KINDS) & (Q(organisation=partner) | Q(organisation__partner=partner, kind__in=[
        *verification.CERTIFICATE_KINDS]))
    events = [(e, EVENT_LABELS.get(e.kind, e.kind))
              for e in Event.objects.filter(about).order_by("-pk")[:LOG_PAGE]]
    checked = verification.verify(partner) if request.GET.get("verify") else None
    return _render(request, "credits/events.html", partner, events=events, verification=checked,
                   total=Event.objects.filter(about).count())
