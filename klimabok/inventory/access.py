"""What every year page does first: find the organisation and year the user may see.

Also the upload form those pages share (:func:`year_upload`: activity files, SAF-T files,
general-ledger exports): the same access rules, the same refusal with every problem listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django import forms
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from klimabok.accounts.access import Access, org_access
from klimabok.accounts.roles import Capability
from klimabok.core.errors import InputError, KlimabokError, input_errors
from klimabok.inventory.models import ReportingYear

T = TypeVar("T")


def page_context(access: Access, **extra: Any) -> dict[str, Any]:
    """The organisation and what the user may do there, for templates (no role names in templates)."""
    return {
        "organisation": access.organisation, "access": access,
        "can_view_data": access.can(Capability.VIEW_DATA), "can_edit": access.can(Capability.EDIT_DATA),
        "can_manage": access.can(Capability.MANAGE_YEARS), **extra,
    }


def year_access(request: HttpRequest, slug: str, year: int,
                capability: str | None = None) -> tuple[Access, ReportingYear]:
    """The organisation as the user may see it, and its reporting ``year`` (404 if there is none)."""
    access = org_access(request, slug, capability)
    # Not the closing's snapshot of every line (JSON, 100,000 rows for a large year): a page reads it only
    # to recalculate, and then loads it.
    reporting_year = get_object_or_404(ReportingYear.objects.defer("closed_lines"),
                                       organisation=access.organisation, year=year)
    return access, reporting_year


@dataclass
class YearUpload(Generic[T]):
    """A year page's upload form after the request: what the service stored, or why it did not."""

    access: Access
    reporting_year: ReportingYear
    form: forms.Form
    stored: T | None = None
    problems: list[InputError] = field(default_factory=list)

    @property
    def status(self) -> int:
        """The page's HTTP status: 400 when the upload was refused (the form's or the file's problems)."""
        return 400 if self.problems or self.form.errors else 200


def year_upload(request: HttpRequest, slug: str, year: int, form_class: type[forms.Form],
                store: Callable[[ReportingYear, Any], T], *,
                capability: str = Capability.VIEW_DATA) -> YearUpload[T]:
    """The upload form of a year page; on a valid POST the file goes to ``store(reporting_year, file)``.

    Seeing the page needs ``capability``, posting a file EDIT_DATA (else 403). A file the service
    refuses (``KlimabokError``) gives its problems, one per row or element named, and nothing stored.
    """
    access, reporting_year = year_access(request, slug, year, capability)
    upload: YearUpload[T] = YearUpload(access, reporting_year,
                                       form_class(request.POST or None, request.FILES or None))
    if request.method == "POST":
        upload.access, upload.reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
        if upload.form.is_valid():
            try:
                upload.stored = store(upload.reporting_year, upload.form.cleaned_data["file"])
            except KlimabokError as exc:
                upload.problems = input_errors(exc)
    return upload
