"""The spend-based part of the climate account: drill-down from a spend category to accounts,
suppliers and individual ledger lines.

``/o/<slug>/<year>/account/spend/`` takes ``?category=…``, ``?status=excluded|unmapped``,
``?account=…``, ``?supplier=…`` or ``?account=…&supplier=…`` (then the postings too). Every figure
comes from the computed account (:class:`~klimabok.account.spend.SpendAccount`). Viewing needs
VIEW_DATA; the override forms it shows post to the ledger app (EDIT_DATA and an open year).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from klimabok.account.read_models import load_year_account
from klimabok.account.spend import SpendRow, spend_account
from klimabok.accounts.access import Access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError
from klimabok.core.spend import ATTRIBUTION
from klimabok.inventory.access import page_context, year_access
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.forms import OverrideForm
from klimabok.ledger.models import Posting, SpendLine, SpendOverride, category_label
from klimabok.ledger.read_models import SpendPart

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
    return reverse("account:spend", args=[access.organisation.slug, year]) + (
        f"?{urlencode(query)}" if query else "")


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
def spend_detail(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """The spend behind a category, account or supplier, one level at a time, with its factor and tonnes."""
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    level = Level.from_query(request)
    try:
        kept = load_year_account(reporting_year)  # kept per data revision, as the account page's
        account, every = kept.account, kept.spend_parts
    except KlimabokError:  # the account page lists what prevents it
        return redirect("account:account", slug, year)
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
    return render(request, "account/spend_detail.html", page_context(
        access, reporting_year=reporting_year, level=level, heading=_heading(level, parts), rows=rows,
        counted_nok=sum(r.counted_nok for r, _href in rows),
        t_co2e=sum(r.kg_co2e for r, _href in rows) / 1000,
        postings=postings, overrides=overrides,
        forms=_override_forms(access, reporting_year, level, overrides),
        can_override=access.can(Capability.EDIT_DATA) and not reporting_year.is_closed,
        here=request.get_full_path(), attribution=ATTRIBUTION,
        account_url=reverse("account:account", args=[slug, year])))
