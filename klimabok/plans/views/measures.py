"""Measures: the list with its filters, a measure's page (notes, evidence, history), the forms, and what
a measure's owner may do (status, notes, evidence)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.access import org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError
from klimabok.plans import acts_on, catalogue, read_models, services
from klimabok.plans.access import may_update, measure_access, plan_context
from klimabok.plans.forms import (
    EvidenceForm,
    MeasureFilterForm,
    MeasureForm,
    MeasureStatusForm,
    NoteForm,
    PlanForm,
)
from klimabok.plans.models import Measure, MeasureEvidence
from klimabok.web.core_messages import localise


@login_required
def measure_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug)
    members = read_models.members_of(access.organisation)
    filters = MeasureFilterForm(request.GET or None, members=members)
    status, owner = "", None
    if filters.is_valid():
        status = filters.cleaned_data["status"]
        owner = filters.chosen_owner()
    measures = read_models.measure_list(
        access.organisation, status=status, owner_id=owner.pk if owner else None
    )
    return render(
        request,
        "plans/measures.html",
        plan_context(access, measures=measures, filters=filters, filtered=bool(status or owner)),
    )


def _measure_form_page(request: AuthenticatedHttpRequest, slug: str, measure: Measure | None) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_PLAN)
    members = read_models.members_of(access.organisation)
    # "make this a measure" links (the account's largest sources) fill the form:
    # ?title=…&kind=…&acts_on=…&from=account:<year>:<activity>; ?kind= alone reloads it for another kind.
    kind = request.GET.get("kind") or (measure.kind if measure else "generic")
    initial = (
        MeasureForm.initial_of(measure)
        if measure
        else {name: request.GET[name] for name in ("title",) if name in request.GET}
        | {"acts_on": request.GET.getlist("acts_on"), "source_ref": request.GET.get("from", "")}
    )
    keep = list(measure.acts_on) if measure else request.GET.getlist("acts_on")
    if request.method == "POST":
        keep += request.POST.getlist("acts_on")
    form = MeasureForm(
        request.POST or None,
        members=members,
        initial=initial,
        kind=kind,
        acts_on_choices=acts_on.choices(access.organisation, keep),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_measure(access.organisation, form.draft(measure), request.user, measure)
        except KlimabokError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, _("The measure “%(title)s” is saved.") % {"title": saved.title})
            return redirect("plans:measure", slug=slug, pk=saved.pk)
    carry = [(name, value) for name in ("title", "from") for value in request.GET.getlist(name)]
    carry += [("acts_on", value) for value in request.GET.getlist("acts_on")]
    return render(
        request,
        "plans/measure_form.html",
        plan_context(
            access,
            form=form,
            measure=measure,
            kinds=catalogue.catalogue_rows(),
            kind_choices=[(key, localise(catalogue.label(key))) for key in catalogue.kinds()],
            chosen=catalogue.definition(form.chosen_kind),
            carry=carry,
        ),
        status=400 if form.errors else 200,
    )


@login_required
def measure_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _measure_form_page(request, slug, None)


@login_required
def measure_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_PLAN)
    return _measure_form_page(
        request, slug, get_object_or_404(Measure, organisation=access.organisation, pk=pk)
    )


def _measure_page(
    request: AuthenticatedHttpRequest,
    slug: str,
    pk: int,
    *,
    status_form: PlanForm | None = None,
    note_form: PlanForm | None = None,
    evidence_form: PlanForm | None = None,
) -> HttpResponse:
    access, measure = measure_access(request, slug, pk)
    page = read_models.measure_page(measure)
    failed = any(form is not None and form.errors for form in (status_form, note_form, evidence_form))
    return render(
        request,
        "plans/measure.html",
        plan_context(
            access,
            page=page,
            measure=measure,
            can_update=may_update(access, measure, request.user),
            status_form=status_form
            or MeasureStatusForm(
                initial={"status": measure.status, "dropped_reason": measure.dropped_reason}
            ),
            note_form=note_form or NoteForm(),
            evidence_form=evidence_form or EvidenceForm(),
        ),
        status=400 if failed else 200,
    )


@login_required
def measure_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    return _measure_page(request, slug, pk)


def _update(request: AuthenticatedHttpRequest, slug: str, pk: int, form: PlanForm, form_name: str,
            action: Callable[[Measure], object], done: str) -> HttpResponse:
    """A POST that updates a measure (its owner may): the service call, the refusal at the form, or
    back to the measure page with ``done``."""
    _access, measure = measure_access(request, slug, pk, update=True)
    if form.is_valid():
        try:
            action(measure)
        except KlimabokError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, done)
            return redirect("plans:measure", slug=slug, pk=pk)
    return _measure_page(request, slug, pk, **{form_name: form})


@login_required
@require_POST
def measure_status(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    form = MeasureStatusForm(request.POST)
    return _update(request, slug, pk, form, "status_form", lambda measure: services.set_measure_status(
        measure, form.cleaned_data["status"], form.cleaned_data["dropped_reason"], request.user),
        _("The status is saved."))


@login_required
@require_POST
def measure_note(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    form = NoteForm(request.POST)
    return _update(request, slug, pk, form, "note_form",
                   lambda measure: services.add_note(measure, form.cleaned_data["text"], request.user),
                   _("The note is added."))


@login_required
@require_POST
def measure_evidence(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    form = EvidenceForm(request.POST, request.FILES)
    return _update(request, slug, pk, form, "evidence_form",
                   lambda measure: services.add_evidence(measure, form.cleaned_data["file"], request.user),
                   _("The evidence is stored."))


@login_required
def evidence_download(request: AuthenticatedHttpRequest, slug: str, pk: int) -> FileResponse:
    """An evidence file, always as an attachment with the type checked when it was stored."""
    access = org_access(request, slug)
    evidence = get_object_or_404(MeasureEvidence, measure__organisation=access.organisation, pk=pk)
    return FileResponse(
        default_storage.open(evidence.stored_name, "rb"),
        as_attachment=True,
        filename=evidence.filename,
        content_type=evidence.content_type,
    )
