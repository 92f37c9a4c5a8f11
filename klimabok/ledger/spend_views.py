"""The spend-based part of the climate account: drill-down from a spend category to accounts,
suppliers and individual ledger lines, and the year's overrides.

``/o/<slug>/<year>/account/spend/`` takes ``?category=…``, ``?status=excluded|unmapped``,
``?account=…``, ``?supplier=…`` or ``?account=…&supplier=…`` (then the postings too). Every figure
comes from the computed account (:class:`~klimabok.ledger.spend_account.SpendAccount`). Viewing
needs VIEW_DATA; setting or removing an override EDIT_DATA and an open year.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from klimabok.accounts.access import Access
from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError
from klimabok.core.spend import ATTRIBUTION
from klimabok.inventory.models import ReportingYear
from klimabok.inventory.read_models import account_with_catalogue, load_entries
from klimabok.inventory.views.common import page_context, year_access
from klimabok.ledger.models import Posting, SpendLine, SpendOverride, category_label
from klimabok.ledger.overrides import carried_over, carry_over, delete_override, set_override
from klimabok.ledger.read_models import SpendPart
from klimabok.ledger.spend_account import SpendAccount, SpendRow, spend_account
from klimabok.ledger.spend_forms import OverrideForm
from klimabok.web.core_messages import localise

POSTINGS_PER_PAGE = 100
RowKey = Callable[[SpendPart], tuple[str, str, str]]


def _by_account(part: SpendPart) -> tuple[str, str, str]:
    return part.line.account_id, part.line.account_description, ""


def _by_supplier(part: SpendPart) -> tuple[str, str, str]:
    line = part.line
    return line.supplier_id, line.supplier_name or line.supplier_id, line.supplier_org_number


def _by_transaction(part: SpendPart) -> tuple[str, str, str]:
    return part.transaction_id, part.transaction_id, ""


def spend_url(access: Access, year: int, **query: str) -> str:
    return reverse("ledger:spend", args=[access.organisation.slug, year]) + (
        f"?{urlencode(query)}" if query else "")


def spend_category_rows(spend: SpendAccount, total_t: float) -> list[tuple[SpendRow, float | None]]:
    """The account page's spend categories with their share of the total in view."""
    return [(row, spend.share(row, total_t)) for row in spend.categories]


def spend_line_urls(access: Access, reporting_year: ReportingYear,
                    ids: Collection[int]) -> dict[int, str]:
    """Spend line id → its account and supplier in the drill-down (one query; none without VIEW_DATA)."""
    if not ids or not access.can(Capability.VIEW_DATA):
        return {}
    lines = SpendLine.objects.filter(ledger_import__reporting_year=reporting_year, pk__in=ids)
    return {line.pk: spend_url(access, reporting_year.year, account=line.account_id,
                               supplier=line.supplier_id)
            for line in lines.only("pk", "account_id", "supplier_id")}


@dataclass(frozen=True)
class Level:
    """Which spend the page shows, and how its rows are grouped."""

    category: str = ""
    status: str = ""
    account: str | None = None
    supplier: str | None = None

    @classmethod
    def from_query(cls, request: HttpRequest) -> Level:
        status = request.GET.get("status", "")
        if status not in ("", "excluded", "unmapped"):
            raise Http404
        return cls(category=request.GET.get("category", ""), status=status,
                   account=request.GET.get("account"), supplier=request.GET.get("supplier"))

    def keep(self, part: SpendPart) -> bool:
        if self.category and part.group != self.category:
            return False
        if self.status == "excluded" and part.classification.excluded is None:
            return False
        if self.status == "unmapped" and part.classification.status != "unmapped":
            return False
        if self.account is not None and part.line.account_id != self.account:
            return False
        return self.supplier is None or part.line.supplier_id == self.supplier

    @property
    def row_key(self) -> RowKey:
        if self.account is not None and self.supplier is not None:
            return _by_transaction
        return _by_supplier if self.account is not None else _by_account

    @property
    def rows_are(self) -> str:
        """"accounts", "suppliers" or "transactions"."""
        names: dict[RowKey, str] = {_by_account: "accounts", _by_supplier: "suppliers",
                                    _by_transaction: "transactions"}
        return names[self.row_key]

    def row_query(self, row: SpendRow) -> dict[str, str]:
        """The drill-down one level further for ``row`` (empty at the last level)."""
        if self.rows_are == "accounts":
            return {"account": row.key} | ({"supplier": self.supplier} if self.supplier is not None else {})
        if self.rows_are == "suppliers":
            return {"account": self.account or "", "supplier": row.key}
        return {}


def _heading(level: Level, parts: list[SpendPart]) -> list[str]:
    first = parts[0].line
    out = []
    if level.category:
        out.append(category_label(level.category) if level.category != "own" else _("Own factors"))
    if level.status:
        out.append(_("Excluded") if level.status == "excluded" else _("Not mapped"))
    if level.account is not None:
        out.append(_("Account %(account)s %(name)s") % {"account": level.account,
                                                         "name": first.account_description})
    if level.supplier is not None:
        out.append(_("Supplier %(name)s") % {"name": first.supplier_name or level.supplier or _("(none)")})
    return out or [_("All accounts")]


OverrideSlot = tuple[str, str, SpendOverride | None, OverrideForm | None]


def _override_forms(access: Access, reporting_year: ReportingYear, level: Level,
                    overrides: dict[tuple[str, str], SpendOverride]) -> list[OverrideSlot]:
    """(target, key, its override, a form to set it) for the account and/or supplier shown."""
    editable = access.can(Capability.EDIT_DATA) and not reporting_year.is_closed
    out = []
    for target, key in (("account", level.account), ("supplier", level.supplier)):
        if key is None or (target == "supplier" and not key):
            continue
        existing = overrides.get((target, key))
        form = (OverrideForm(initial={"target": target, "key": key}, auto_id=f"id_{target}_%s")
                if editable else None)
        out.append((target, key, existing, form))
    return out


@login_required
def spend_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The spend behind a category, account or supplier, one level at a time, with its factor and tonnes."""
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    level = Level.from_query(request)
    try:
        account, _catalogue, every = account_with_catalogue(reporting_year, load_entries(reporting_year))
    except KlimabokError:  # the account page lists what prevents it
        return redirect("inventory:account", slug, year)
    spend = spend_account(reporting_year, every, account)
    parts = [p for p in spend.parts if level.keep(p)] if spend else []
    if spend is None or not parts:
        raise Http404
    rows = [(row, spend_url(access, year, **query) if (query := level.row_query(row)) else "")
            for row in spend.rows(level.row_key, parts)]
    overrides = {(o.target, o.key): o for o in reporting_year.spend_overrides.all()}
    postings = None
    if level.rows_are == "transactions":
        found = Posting.objects.filter(spend_line__in={p.line.pk for p in parts}).order_by("date", "id")
        postings = Paginator(found, POSTINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "ledger/spend_detail.html", page_context(
        access, reporting_year=reporting_year, level=level, heading=_heading(level, parts), rows=rows,
        counted_nok=sum(r.counted_nok for r, _href in rows),
        t_co2e=sum(r.kg_co2e for r, _href in rows) / 1000,
        postings=postings, overrides=overrides,
        forms=_override_forms(access, reporting_year, level, overrides),
        can_override=access.can(Capability.EDIT_DATA) and not reporting_year.is_closed,
        here=request.get_full_path(), attribution=ATTRIBUTION,
        account_url=reverse("inventory:account", args=[slug, year])))


def _back(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("ledger:spend_overrides", slug, year)


@login_required
def spend_overrides(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The year's overrides (GET), or set one (POST, from the drill-down's forms)."""
    if request.method == "POST":
        access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
        form = OverrideForm(request.POST)
        if not form.is_valid():
            # Django's messages end with a full stop: join them as sentences
            problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
            messages.error(request, _("The override was not saved: %(problems)s") % {"problems": problems})
            return _back(request, slug, year)
        try:
            set_override(reporting_year, **form.service_arguments(), user=request.user)  # type: ignore[arg-type]
        except KlimabokError as exc:
            messages.error(request, localise(exc))
        else:
            messages.success(request, _("Override saved: the account now uses it."))
        return _back(request, slug, year)
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    names = _names(reporting_year)
    rows = [(o, names.get((o.target, o.key), ""), _link(access, year, o)) for o in
            reporting_year.spend_overrides.select_related("created_by")]
    can_override = access.can(Capability.EDIT_DATA) and not reporting_year.is_closed
    return render(request, "ledger/spend_overrides.html", page_context(
        access, reporting_year=reporting_year, rows=rows, can_override=can_override,
        carry=carried_over(reporting_year) if can_override else None,
        account_url=reverse("inventory:account", args=[slug, year])))


def _names(reporting_year: ReportingYear) -> dict[tuple[str, str], str]:
    """(target, key) → the account's description or the supplier's name, for the overrides list."""
    out: dict[tuple[str, str], str] = {}
    for account_id, description, supplier_id, supplier_name in SpendLine.objects.filter(
            ledger_import__reporting_year=reporting_year, ledger_import__status="confirmed").values_list(
            "account_id", "account_description", "supplier_id", "supplier_name").distinct():
        out[("account", account_id)] = description
        if supplier_id:
            out[("supplier", supplier_id)] = supplier_name
    return out


def _link(access: Access, year: int, override: SpendOverride) -> str:
    if override.target == SpendOverride.Target.TRANSACTION:
        return ""
    return spend_url(access, year, **{override.target: override.key})


@login_required
@require_POST
def spend_overrides_carry(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Copy the previous year's account and supplier overrides that apply to this year's ledger."""
    _access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    try:
        count = carry_over(reporting_year, request.user)  # type: ignore[arg-type]
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, ngettext("%(count)s override copied.", "%(count)s overrides copied.", count)
                         % {"count": count})
    return redirect("ledger:spend_overrides", slug, year)


@login_required
@require_POST
def spend_override_delete(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    override = get_object_or_404(SpendOverride, reporting_year=reporting_year, pk=pk)
    try:
        delete_override(override)
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, _("Override removed: the default applies again."))
    return _back(request, slug, year)
