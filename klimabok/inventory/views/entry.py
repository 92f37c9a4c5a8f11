"""Data entry: pick a kind, fill in its guided form (with a preview), list, edit and delete entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import InputErrors, KlimabokError
from klimabok.inventory import carry_over, services
from klimabok.inventory.access import page_context, year_access
from klimabok.inventory.entry_kinds import BY_SLUG, KINDS, kind_of
from klimabok.inventory.flights import common_airports
from klimabok.inventory.forms.entry_base import CONFIRM_FIELD, entry_form
from klimabok.inventory.forms.entry_other import PurchaseForm
from klimabok.inventory.forms.entry_travel import FlightForm
from klimabok.inventory.models import ActivityEntry
from klimabok.web.core_messages import localise


@login_required
def entry_kinds(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    earlier, sources = carry_over.last_year_sources(reporting_year)
    return render(request, "inventory/entry_kinds.html", page_context(
        access, reporting_year=reporting_year, kinds=KINDS, earlier=earlier, sources=sources,
        sources_left=sum(1 for s in sources if not s.entered)))


@login_required
@require_POST
def copy_last_year(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """Copy last year's lines not entered yet, with their quantities."""
    _access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    try:
        copied = carry_over.copy_last_year(reporting_year, request.user)
    except KlimabokError as exc:
        messages.error(request, localise(exc))
        return redirect("inventory:entry_kinds", slug=slug, year=year)
    messages.success(request, carry_over.copied_message(copied))
    return redirect("account:entries", slug=slug, year=year)


def _entry_page(request: AuthenticatedHttpRequest, slug: str, year: int, *, kind_slug: str | None = None,
                entry_pk: int | None = None) -> HttpResponse:
    """The guided form for a new entry of a kind, or for an existing entry; preview, then save."""
    access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    entry = (get_object_or_404(ActivityEntry, reporting_year=reporting_year, pk=entry_pk)
             if entry_pk is not None else None)
    kind = kind_of(entry) if entry else BY_SLUG.get(kind_slug or "")
    if kind is None:
        raise Http404
    initial = kind.form_class.initial_from(entry) if entry else None
    last_year = None
    if entry is None and request.GET.get("from", "").isdigit():
        # Last year's line as the start of this year's: the same answers, the amounts blank.
        last_year = carry_over.entry_from_last_year(reporting_year, int(request.GET["from"]))
        if last_year is not None and kind_of(last_year) == kind:
            initial = kind.form_class.initial_for_next_year(last_year)
    form = entry_form(kind.form_class, reporting_year, request.POST or None, initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        draft = form.draft()
        try:
            if request.POST.get("action") == "preview":
                preview = services.preview_entry(reporting_year, draft)
            elif entry is None:
                services.add_entry(reporting_year, draft, request.user)
            else:
                services.update_entry(entry, draft)
        except InputErrors as exc:
            form.add_engine_errors(exc.errors)
        except KlimabokError as exc:
            form.add_error(None, localise(exc))
        else:
            if preview is None:
                messages.success(request, _("Saved: %(what)s.") % {"what": kind.title})
                if request.POST.get("action") == "save_another":
                    return redirect("inventory:entry_new", slug=slug, year=year, kind=kind.slug)
                return redirect("account:entries", slug=slug, year=year)
    explanation = form.explanation() if form.is_bound and form.is_valid() else ""
    return render(request, "inventory/entry_form.html", page_context(
        access, reporting_year=reporting_year, kind=kind, form=form, entry=entry, preview=preview,
        explanation=explanation, last_year=last_year,
        airports=common_airports() if kind.slug == "flight" else (),
        route=form.route_facts() if isinstance(form, FlightForm) and form.is_bound else (),
        unavailable=isinstance(form, PurchaseForm) and not form.available, confirm_field=CONFIRM_FIELD,
    ), status=400 if form.is_bound and form.errors else 200)


@login_required
def entry_new(request: AuthenticatedHttpRequest, slug: str, year: int, kind: str) -> HttpResponse:
    return _entry_page(request, slug, year, kind_slug=kind)


@login_required
def entry_edit(request: AuthenticatedHttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    return _entry_page(request, slug, year, entry_pk=pk)


@login_required
@require_POST
def entry_delete(request: AuthenticatedHttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    entry = get_object_or_404(ActivityEntry, reporting_year=reporting_year, pk=pk)
    try:
        services.delete_entry(entry)
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, _("The entry is deleted."))
    return redirect("account:entries", slug=slug, year=year)
