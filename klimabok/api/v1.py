"""API version 1: a client's compensation orders.

Every call needs ``Authorization: Bearer <token>`` (``klimabok api-token create``);
there is no session authentication. A token acts as its user in its
organisation — a client, or a climate partner for each of its clients — and
an organisation outside that is a 404, exactly like one that does not exist.

``POST /api/v1/orgs/{org}/compensation-orders`` needs an ``Idempotency-Key``
header (400 without). The first request with a key answers **201** with the
order and its reserved serial ranges; a repeat with the same key and body
answers **200** with that same order as it is now (header
``Idempotent-Replayed: true``) and orders nothing; the same key with another
body is a **409**. Not enough credits, an open year or an order that cannot be
cancelled are **409** with ``detail`` saying why (English) and ``code``.

``GET /api/v1/orgs/{org}/targets``, ``…/measures`` (each with its effect computed in sequence on the
latest closed year's account) and ``…/scenarios`` (with the share of the gap to each target closed)
read the organisation's plan (issue 11).

The account (issue 13): ``GET /api/v1/orgs`` (the organisations the token reaches),
``…/orgs/{org}/years`` (status and totals), ``…/years/{year}/account`` (totals with both scope 2
figures, categories, the 95 % range, intensities, biogenic CO2 apart), ``…/years/{year}/lines``
(each line with its factor and source row, ``?page=&page_size=`` up to 500); ``POST
…/years/{year}/activity-lines`` (a batch, all or nothing, ``Idempotency-Key`` as for orders; a bad
row is a **422** whose ``errors`` list ``{row, field, message}``) and ``POST …/years/{year}/saft-imports``
(multipart ``file``: **202** with the import's id and status URL, read by the task worker; ``GET
…/saft-imports/{id}`` its progress). Reading needs the user's role to see the data, writing to edit it
(an auditor's token reads; writing is a **403**). Every status an operation can answer is in the
OpenAPI document (schemathesis checks it in the test suite).

The reports of a year, the same bytes as the web downloads: ``GET …/years/{year}/reports/ghg-inventory.pdf``
and ``…/board-summary.pdf`` (``application/pdf``), ``…/vsme.json``, ``…/vsme.xhtml`` (Inline XBRL; it needs
the organisation's LEI) and ``…/esrs-e1.json``, each for whoever
reads the account; a year with no lines, or whose account cannot be computed, is a **409**.
``…/audit-bundle.zip`` (``application/zip``) needs the right to see the data (an employee's token is a
**403**).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from ninja import File, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, ValidationError
from ninja.files import UploadedFile
from ninja.params.functions import Header
from ninja.security import HttpBearer
from pydantic import Field

from klimabok.account.read_models import load_account, load_year_accounts
from klimabok.accounts.access import role_in
from klimabok.accounts.models import Organisation
from klimabok.accounts.roles import Capability, can
from klimabok.api import services as api_services
from klimabok.api.models import ActivityBatch, ApiToken
from klimabok.api.tokens import authenticate
from klimabok.compensation import services
from klimabok.compensation.read_models import OrderRow, order_rows
from klimabok.core.credits.blocks import CreditError, NotEnoughCredits
from klimabok.core.engine import AccountResult
from klimabok.core.engine.result import line_to_dict
from klimabok.core.errors import InputError, InputErrors, KlimabokError, input_errors
from klimabok.core.report.esrs import esrs_json
from klimabok.core.report.ghg_inventory import InventoryReport
from klimabok.core.report.ixbrl import IxbrlUnavailable
from klimabok.core.report.ixbrl import document as ixbrl_document
from klimabok.core.report.vsme import datapoints as vsme_datapoints_of
from klimabok.core.report.vsme import template_json
from klimabok.credits.models import CompensationOrder, CreditProject
from klimabok.inventory.models import ReportingYear, Site
from klimabok.inventory.services import YearClosed, year_floor_area
from klimabok.ledger.messages import errors_from_json
from klimabok.ledger.models import LedgerImport
from klimabok.ledger.services import fail_stale_imports, start_import
from klimabok.plans.models import Measure, Scenario
from klimabok.plans.read_models import targets_of
from klimabok.plans.scenarios import MeasureRow, plan_effects, projections, scenario_effects
from klimabok.reports.audit_bundle import build_bundle, bundle_filename
from klimabok.reports.datapoints import LoadedFacts, load_esrs, load_year_facts
from klimabok.reports.ghg_pdf import render_board_summary_pdf, render_inventory_pdf
from klimabok.reports.ghg_read import load_inventory_report, report_date


class TokenRequest(HttpRequest):
    """The request an endpoint receives: :class:`BearerToken` let it through and ninja set its token."""

    auth: ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return authenticate(token)


api = NinjaAPI(
    title="klimabok API", version="1", urls_namespace="api-v1", auth=BearerToken(), docs_url=None,
    description="A client's climate account (organisations, years, the account, its lines; activity lines "
                "and SAF-T imports in), its plan and the compensation orders of a closed year. Credits are "
                "reported beside the account and never deducted from it.")


class Error(Schema):
    detail: str
    code: str


class RowError(Schema):
    row: int | None = Field(description="1 = the first line of the batch; null when not about one line")
    field: str
    message: str


class Invalid(Schema):
    detail: str
    code: str = Field(description="invalid")
    errors: list[RowError]


def responses(ok: dict[int, Any], *codes: int) -> dict[int, Any]:
    """``ok`` with the errors every operation can answer (401: no or a bad token; 404: an organisation or
    object the token does not reach; 422: a parameter or body that does not validate) and ``codes``."""
    return {**ok, **{code: Invalid if code == 422 else Error for code in (401, 404, 422, *codes)}}


class OrderIn(Schema):
    reporting_year: int = Field(ge=1990, le=2100)
    tonnes: int = Field(gt=0, le=10_000_000, description="whole tonnes CO2e, one credit each")
    project_id: int | None = Field(None, description="a project of the partner's portfolio; none = any")
    coverage: str = Field("", description="scope_1_2, scope_1_2_travel or all (informative)")


class RangeOut(Schema):
    serial: str = Field(description="the serial number of exactly this sub-range, as the registry writes it")
    registry: str
    start: int
    end: int
    quantity: int
    status: str
    project_id: int
    project: str
    vintage: int | None


class RetirementOut(Schema):
    retired_on: date
    registry_reference: str
    registry_url: str
    beneficiary: str


class OrderOut(Schema):
    id: int
    organisation: str
    partner: str
    reporting_year: int
    tonnes: int
    project_id: int | None
    coverage: str
    status: str
    price_total: Decimal
    currency: str
    idempotency_key: str
    created_at: datetime
    cancelled_at: datetime | None
    ranges: list[RangeOut]
    retirements: list[RetirementOut]


def _order_out(row: OrderRow) -> dict[str, Any]:
    order = row.order
    return {
        "id": order.pk, "organisation": order.client.slug, "partner": order.partner.slug,
        "reporting_year": order.reporting_year, "tonnes": order.tonnes, "project_id": order.project_id,
        "coverage": order.coverage, "status": order.status, "price_total": order.price_total,
        "currency": order.currency, "idempotency_key": order.idempotency_key, "created_at": order.created_at,
        "cancelled_at": order.cancelled_at,
        "ranges": [{"serial": r.serial, "registry": r.block.registry, "start": r.start, "end": r.end,
                    "quantity": r.quantity, "status": r.status, "project_id": r.block.project_id,
                    "project": r.project, "vintage": r.block.vintage} for r in row.ranges],
        "retirements": [{"retired_on": t.retired_on, "registry_reference": t.registry_reference,
                         "registry_url": t.registry_url, "beneficiary": t.beneficiary}
                        for t in order.retirements.all()],
    }


def _load(order: CompensationOrder) -> dict[str, Any]:
    fresh = (CompensationOrder.objects.select_related("client", "partner").prefetch_related("retirements")
             .get(pk=order.pk))
    return _order_out(order_rows([fresh])[0])


class NotFound(Exception):
    pass


class Forbidden(Exception):
    pass


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "not found", "code": "not_found"}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "a valid bearer token is required (Authorization: "
                                                       "Bearer kb_…)", "code": "unauthorized"}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


def _row_error(error: dict[str, Any]) -> dict[str, Any]:
    """A ninja validation error as ``{row, field, message}``: a batch's ``lines[2].quantity`` is row 3."""
    loc = [part for part in error.get("loc", ()) if part not in ("body", "query", "path", "header", "file")]
    row = None
    if len(loc) >= 2 and loc[0] == "lines" and isinstance(loc[1], int):
        row, loc = loc[1] + 1, loc[2:]
    return {"row": row, "field": ".".join(map(str, loc)), "message": str(error.get("msg", "invalid"))}


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if exc.errors and all(tuple(e.get("loc", ()))[:1] == ("header",) for e in exc.errors):
        return api.create_response(request, {
            "detail": "the Idempotency-Key header (1 to 200 characters, for example a UUID) is required: a "
                      "retried request with the same key returns the first result instead of doing it twice",
            "code": "idempotency_key_missing"}, status=400)
    errors = [_row_error(e) for e in exc.errors]
    return api.create_response(request, {"detail": "the request does not validate: " + "; ".join(
        f"{'row ' + str(e['row']) + ', ' if e['row'] else ''}{e['field'] or 'body'}: {e['message']}"
        for e in errors[:20]), "code": "invalid", "errors": errors}, status=422)


@api.exception_handler(Forbidden)
def _forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "code": "forbidden"}, status=403)


def _client(request: TokenRequest, org: str, *, order: bool = False,
            need: str | None = None) -> tuple[Organisation, ApiToken]:
    """The organisation ``org`` if the token may act there (its own, or a client of its partner), else 404."""
    token = request.auth
    client = (Organisation.objects.filter(slug=org, kind=Organisation.Kind.CLIENT)
              .select_related("partner").first())
    if client is None or token.organisation_id not in (client.pk, client.partner_id):
        raise NotFound(f"no organisation {org}")
    role = role_in(token.user, client)
    if role is None or not can(role, Capability.VIEW_SUMMARY):
        raise NotFound(f"no organisation {org}")
    if need is not None and not can(role, need):
        raise Forbidden("this token's user may read this organisation's account but not "
                        + ("change its data (an administrator, ombudsman or contributor can)"
                           if need == Capability.EDIT_DATA else "see its lines"))
    if order and not services.may_order(role):
        raise Forbidden("this token's user cannot order or cancel credits "
                        "(the administrator or the climate partner can)")
    return client, token


def _order_of(client: Organisation, order_id: int) -> CompensationOrder:
    order = CompensationOrder.objects.filter(pk=order_id, client=client).first()
    if order is None:
        raise NotFound(f"no order {order_id}")
    return order


def _conflict(code: str, exc: Exception) -> Status[dict[str, str]]:
    return Status(409, {"detail": str(exc), "code": code})


@api.post("/orgs/{org}/compensation-orders",
          response=responses({200: OrderOut, 201: OrderOut}, 400, 403, 409),
          summary="Order credits (reserves serial ranges at once)")
def create_order(request: TokenRequest, org: str, body: OrderIn, response: HttpResponse,
                 idempotency_key: str = Header(alias="Idempotency-Key", min_length=1, max_length=200)) -> Any:
    client, token = _client(request, org, order=True)
    if not idempotency_key:
        return Status(400, {"detail": "the Idempotency-Key header is required (for example a UUID): a "
                                      "retried request with the same key returns the first order instead of "
                                      "ordering twice", "code": "idempotency_key_missing"})
    project = None
    if body.project_id is not None:
        project = CreditProject.objects.filter(pk=body.project_id, owner_id=client.partner_id).first()
        if project is None:
            return Status(400, {"detail": f"project {body.project_id} is not in the partner's portfolio",
                                "code": "unknown_project"})
    try:
        placed = services.create_order(
            client, body.reporting_year, body.tonnes, project=project, idempotency_key=idempotency_key,
            user=token.user, coverage=body.coverage)
    except NotEnoughCredits as exc:
        return _conflict("not_enough_credits", exc)
    except services.YearNotClosed as exc:
        return _conflict("year_not_closed", exc)
    except services.IdempotencyConflict as exc:
        return _conflict("idempotency_key_reused", exc)
    except services.CompensationError as exc:
        return Status(400, {"detail": str(exc), "code": "invalid"})
    if not placed.created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if placed.created else 200, _load(placed.order))


@api.get("/orgs/{org}/compensation-orders", response=responses({200: list[OrderOut]}),
         summary="The organisation's orders")
def list_orders(request: TokenRequest, org: str, reporting_year: int | None = None) -> Any:
    client, _token = _client(request, org)
    orders = CompensationOrder.objects.filter(client=client)
    if reporting_year is not None:
        orders = orders.filter(reporting_year=reporting_year)
    rows = order_rows(list(orders.select_related("client", "partner").prefetch_related("retirements")
                           .order_by("-created_at", "-pk")))
    return [_order_out(row) for row in rows]


@api.get("/orgs/{org}/compensation-orders/{order_id}", response=responses({200: OrderOut}),
         summary="One order with its serial ranges")
def get_order(request: TokenRequest, org: str, order_id: int) -> Any:
    client, _token = _client(request, org)
    return _load(_order_of(client, order_id))


@api.post("/orgs/{org}/compensation-orders/{order_id}/cancel",
          response=responses({200: OrderOut}, 403, 409),
          summary="Cancel an order (its credits are released); refused once retired")
def cancel_order(request: TokenRequest, org: str, order_id: int) -> Any:
    client, token = _client(request, org, order=True)
    order = _order_of(client, order_id)
    try:
        services.cancel_order(order, token.user)
    except (services.CompensationError, CreditError) as exc:
        return _conflict("not_cancellable", exc)
    return _load(order)


# --- The plan: targets, measures with their computed effect, scenarios (issue 11) --------------------


class TargetOut(Schema):
    id: int
    name: str
    base_year: int
    target_year: int
    coverage: str = Field(description="scope_1_2, scope_1, scope_2 or scope_3 (with scope3_categories)")
    scope3_categories: list[int]
    scope2_method: str = Field(description="location or market")
    metric: str = Field(description="absolute, per_fte, per_mnok or per_m2")
    reduction_percent: Decimal
    base_t_co2e: Decimal
    target_t_co2e: Decimal = Field(description="base-year emissions less the reduction")
    ruleset: str
    sbti_validated_on: date | None


class EffectOut(Schema):
    """A measure's effect where it stands in the sequence on the latest closed year's account."""

    position: int = Field(description="its place in the sequence (each acts on what the ones before left)")
    t_co2e_location_per_year: float | None
    t_co2e_market_per_year: float | None
    nok_per_tonne_location: float | None
    nok_per_tonne_market: float | None
    annual_cost_nok: float | None
    remaining_t_co2e_location: float | None
    remaining_t_co2e_market: float | None
    notes: list[str] = Field(description="why it avoids nothing or could not be computed, in English")


class MeasureOut(Schema):
    id: int
    title: str
    kind: str
    params: dict[str, Any]
    acts_on: list[str]
    owner: str | None
    status: str
    deadline: date | None
    start_year: int
    ramp_years: int
    capex_nok: Decimal
    opex_delta_nok: Decimal
    lifetime_years: int
    discount_rate_percent: Decimal
    effect: EffectOut | None = Field(description="null for a dropped measure or without a closed year")


class PlanOut(Schema):
    account_year: int | None = Field(description="the latest closed year, whose account the measures act on")
    baseline_t_co2e_location: float
    baseline_t_co2e_market: float
    measures: list[MeasureOut]


class GapOut(Schema):
    target_id: int
    target: str
    year: int
    gap_t_co2e: float
    closed_t_co2e: float
    share: float = Field(description="share of the gap to the target closed (0.64)")
    text: str


class ScenarioMeasureOut(Schema):
    measure_id: int
    start_year: int
    position: int
    t_co2e_location_per_year: float | None
    t_co2e_market_per_year: float | None


class ScenarioOut(Schema):
    id: int
    name: str
    description: str
    measures: list[ScenarioMeasureOut]
    gaps: list[GapOut]


def _effect_out(row: MeasureRow) -> dict[str, Any]:
    computed = row.effect is not None
    return {"position": row.position,
            "t_co2e_location_per_year": round(row.t_location, 3) if computed else None,
            "t_co2e_market_per_year": round(row.t_market, 3) if computed else None,
            "nok_per_tonne_location": _rounded(row.nok_per_tonne("location")),
            "nok_per_tonne_market": _rounded(row.nok_per_tonne("market")),
            "annual_cost_nok": _rounded(row.annual_cost_nok),
            "remaining_t_co2e_location": _rounded(row.remaining_t_location, 3),
            "remaining_t_co2e_market": _rounded(row.remaining_t_market, 3),
            "notes": [str(note) for note in row.notes]}


def _rounded(value: float | None, digits: int = 0) -> float | None:
    return None if value is None else round(value, digits)


@api.get("/orgs/{org}/targets", response=responses({200: list[TargetOut]}),
         summary="The organisation's emission targets")
def list_targets(request: TokenRequest, org: str) -> Any:

    client, _token = _client(request, org)
    return [{"id": t.pk, "name": t.name, "base_year": t.base_calendar_year, "target_year": t.target_year,
             "coverage": t.coverage, "scope3_categories": list(t.scope3_categories or []),
             "scope2_method": t.scope2_method, "metric": t.metric, "reduction_percent": t.reduction_percent,
             "base_t_co2e": t.base_t_co2e,
             "target_t_co2e": (t.base_t_co2e * (1 - t.reduction_percent / 100)).quantize(Decimal("0.001")),
             "ruleset": t.ruleset, "sbti_validated_on": t.sbti_validated_on}
            for t in targets_of(client)]


@api.get("/orgs/{org}/measures", response=responses({200: PlanOut}),
         summary="The organisation's measures, each with its effect computed on the latest closed year")
def list_measures(request: TokenRequest, org: str) -> Any:

    client, _token = _client(request, org)
    effects = plan_effects(client)
    measures = list(Measure.objects.filter(organisation=client).select_related("owner").order_by("pk"))
    return {"account_year": effects.year.year if effects.year else None,
            "baseline_t_co2e_location": round(effects.baseline_t_location, 3),
            "baseline_t_co2e_market": round(effects.baseline_t_market, 3),
            "measures": [{
                "id": m.pk, "title": m.title, "kind": m.kind, "params": dict(m.params),
                "acts_on": list(m.acts_on),
                "owner": str(m.owner) if m.owner else None, "status": m.status, "deadline": m.deadline,
                "start_year": m.start_year, "ramp_years": m.ramp_years, "capex_nok": m.capex_nok,
                "opex_delta_nok": m.opex_delta_nok, "lifetime_years": m.lifetime_years,
                "discount_rate_percent": m.discount_rate_percent,
                "effect": _effect_out(row) if (row := effects.row_of(m.pk)) is not None else None}
                for m in measures]}


@api.get("/orgs/{org}/scenarios", response=responses({200: list[ScenarioOut]}),
         summary="The organisation's scenarios, with the share of the gap to each absolute target they close")
def list_scenarios(request: TokenRequest, org: str) -> Any:

    client, _token = _client(request, org)
    targets = targets_of(client)
    out = []
    for scenario in Scenario.objects.filter(organisation=client).order_by("name"):
        effects = scenario_effects(scenario)
        projected = projections(effects, targets)
        out.append({
            "id": scenario.pk, "name": scenario.name, "description": scenario.description,
            "measures": [{"measure_id": row.measure.pk, "start_year": row.start_year,
                          "position": row.position,
                          "t_co2e_location_per_year": round(row.t_location, 3) if row.effect else None,
                          "t_co2e_market_per_year": round(row.t_market, 3) if row.effect else None}
                         for row in effects.rows],
            "gaps": [{"target_id": p.target.pk, "target": p.target.name, "year": p.gap.year,
                      "gap_t_co2e": round(p.gap.gap_t, 3), "closed_t_co2e": round(p.gap.closed_t, 3),
                      "share": round(p.gap.share, 4), "text": str(p.gap.message)} for p in projected]})
    return out


# --- The account: organisations, years, the account and its lines; activity lines and SAF-T in (issue 13) ---


class OrganisationOut(Schema):
    slug: str
    name: str
    org_number: str
    partner: str | None = Field(description="the climate partner's slug")


class TotalsOut(Schema):
    scope_1: float
    scope_2_location: float
    scope_2_market: float
    scope_3: float
    total_location: float = Field(description="scope 1 + scope 2 location-based + scope 3")
    total_market: float = Field(description="scope 1 + scope 2 market-based + scope 3")


class YearOut(Schema):
    year: int
    status: str = Field(description="open or closed")
    closed_at: datetime | None
    gwp_set: str
    totals: TotalsOut | None = Field(
        description="t CO2e; null when a line of an open year cannot be computed")
    problem: str | None = Field(description="why the totals are missing")


class RangeOfTotal(Schema):
    t_co2e: float
    low: float
    high: float
    plus_minus_pct: float


class IntensityOut(Schema):
    unit: str = Field(description="FTE, MNOK or m²")
    amount: float
    t_co2e_location: float
    t_co2e_market: float


class AccountOut(Schema):
    year: int
    status: str
    gwp_set: str
    datasets: list[str]
    totals: TotalsOut = Field(description="t CO2e, both scope 2 figures (GHG Protocol dual reporting)")
    by_category: dict[str, float] = Field(description="t CO2e per scope_1, scope_2_location, scope_2_market, "
                                                      "scope_3.1 … scope_3.15 (those with lines)")
    uncertainty: dict[str, RangeOfTotal] = Field(description="the 95 % range of each total")
    intensities: dict[str, IntensityOut] = Field(description="per_fte, per_mnok, per_m2 (those the year has)")
    biogenic_co2_t: float = Field(description="t biogenic CO2, outside the scopes and in no total")
    lines: int


class FactorOut(Schema):
    key: str
    name: str
    unit: str
    source: str
    source_ref: str = Field(description="the source row: a DESNZ ID, a CEDA sector, an AIB row …")
    year: int | None
    published_year: int | None
    kg_co2e_per_unit: float
    dataset: str | None


class LineOut(Schema):
    index: int
    activity: str
    quantity: float
    unit: str
    quantity_in_factor_unit: float
    site: str
    description: str
    data_quality: int
    ref: str = Field(description="where the line comes from: entry:42, spend:7 …")
    scope: int
    category: int | None
    scope_label: str
    basis: str
    kg_co2: float
    kg_ch4: float
    kg_n2o: float
    kg_other_co2e: float
    t_co2e: float
    kg_co2_biogenic: float
    biogenic_source_ref: str | None
    flags: list[str]
    factor: FactorOut


class LinesPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    lines: list[LineOut]


class LinesQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(100, ge=1, le=500, description="at most 500")


class ActivityLineIn(Schema):
    activity: str = Field(min_length=1, max_length=200, description="an activity key of the catalogue")
    quantity: Decimal = Field(ge=0, max_digits=20, decimal_places=6)
    unit: str = Field(min_length=1, max_length=50)
    site: str = Field("", max_length=200, description="one of the organisation's sites, by name")
    description: str = Field("", max_length=300)
    data_quality: int = Field(3, ge=1, le=5, description="1 measured … 5 rough estimate")
    supplier: str = Field("", max_length=200)
    vouchers: str = Field("", max_length=500)
    cost_nok: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)


class BatchIn(Schema):
    lines: list[ActivityLineIn] = Field(min_length=1, max_length=10_000)


class BatchOut(Schema):
    id: int
    idempotency_key: str
    reporting_year: int
    upload_id: int
    lines: int
    entry_ids: list[int]
    created_at: datetime


class ImportOut(Schema):
    id: int
    filename: str
    status: str = Field(description="queued, running, ready (read, to confirm on the year's page), "
                                    "confirmed or failed")
    label: str
    progress: int
    progress_total: int
    percent: int
    done: bool
    status_url: str
    transactions: int
    line_count: int
    errors: list[RowError]


def _year_of(client: Organisation, year: int) -> ReportingYear:
    found = (ReportingYear.objects.filter(organisation=client, year=year).select_related("organisation")
             .first())
    if found is None:
        raise NotFound(f"no reporting year {year}")
    return found


def _account(reporting_year: ReportingYear) -> AccountResult:
    try:
        return load_account(reporting_year)
    except KlimabokError as exc:
        raise Unprocessable(exc) from None


class Unprocessable(Exception):
    """The year's account cannot be computed (a line whose factor is gone): a 409 naming why."""


@api.exception_handler(Unprocessable)
def _unprocessable(request: HttpRequest, exc: Unprocessable) -> HttpResponse:
    return api.create_response(request, {"detail": f"the account cannot be computed: {exc}",
                                         "code": "account_not_computable"}, status=409)


def _errors_of(exc: KlimabokError) -> list[dict[str, Any]]:
    return [{"row": e.row, "field": e.field or "", "message": str(e.problem)} for e in input_errors(exc)]


@api.get("/orgs", response={200: list[OrganisationOut], 401: Error},
         summary="The organisations the token reaches (its own, or its partner's clients)")
def list_organisations(request: TokenRequest) -> Any:
    token = request.auth
    clients = (Organisation.objects.filter(kind=Organisation.Kind.CLIENT)
               .filter(Q(pk=token.organisation_id) | Q(partner_id=token.organisation_id))
               .select_related("partner").order_by("slug"))
    return [{"slug": c.slug, "name": c.name, "org_number": c.org_number,
             "partner": c.partner.slug if c.partner else None}
            for c in clients if can(role_in(token.user, c), Capability.VIEW_SUMMARY)]


@api.get("/orgs/{org}/years", response=responses({200: list[YearOut]}),
         summary="The organisation's reporting years with their status and totals")
def list_years(request: TokenRequest, org: str) -> Any:
    client, _token = _client(request, org)
    years = list(ReportingYear.objects.filter(organisation=client).select_related("organisation")
                 .order_by("year"))
    accounts = load_year_accounts(years)
    out = []
    for y in years:
        account = accounts[y.pk]
        computed = isinstance(account, AccountResult)
        out.append({"year": y.year, "status": y.status, "closed_at": y.closed_at, "gwp_set": y.gwp_set,
                    "totals": account.totals.to_dict() if isinstance(account, AccountResult) else None,
                    "problem": None if computed else str(account)})
    return out


@api.get("/orgs/{org}/years/{year}/account", response=responses({200: AccountOut}, 409),
         summary="The account of a year: totals, categories, uncertainty, intensities, biogenic CO2 apart")
def get_account(request: TokenRequest, org: str, year: int) -> Any:
    client, _token = _client(request, org)
    reporting_year = _year_of(client, year)
    account = _account(reporting_year)
    data = account.to_dict(include_lines=False)
    area = year_floor_area(reporting_year, list(Site.objects.filter(organisation=client)))
    given = {"fte": float(reporting_year.fte) if reporting_year.fte else None,
             "revenue_mnok": float(reporting_year.revenue_nok) / 1e6 if reporting_year.revenue_nok else None,
             "floor_area_m2": float(area) if area else None}
    return {"year": reporting_year.year, "status": reporting_year.status, "gwp_set": account.gwp_set,
            "datasets": data["datasets"], "totals": data["totals"], "by_category": data["by_category"],
            "uncertainty": data["uncertainty"],
            "intensities": {name: {"unit": i.unit, "amount": i.amount,
                                   "t_co2e_location": i.t_co2e_location, "t_co2e_market": i.t_co2e_market}
                            for name, i in account.intensities(**given).items()},
            "biogenic_co2_t": data["biogenic_co2_outside_scopes"]["t_co2"], "lines": len(account.lines)}


@api.get("/orgs/{org}/years/{year}/lines", response=responses({200: LinesPage}, 403, 409),
         summary="The account's lines, each with its factor and source row (paginated)")
def list_lines(request: TokenRequest, org: str, year: int, query: Query[LinesQuery]) -> Any:
    client, _token = _client(request, org, need=Capability.VIEW_DATA)
    account = _account(_year_of(client, year))
    lines = account.lines
    count, size = len(lines), query.page_size
    start = (query.page - 1) * size
    return {"count": count, "page": query.page, "page_size": size, "pages": -(-count // size),
            "lines": [line_to_dict(lines[i]) for i in range(start, min(start + size, count))]}


def _batch_out(batch: ActivityBatch) -> dict[str, Any]:
    upload = batch.upload
    return {"id": batch.pk, "idempotency_key": batch.idempotency_key,
            "reporting_year": upload.reporting_year.year, "upload_id": upload.pk, "lines": upload.line_count,
            "entry_ids": list(upload.entries.order_by("pk").values_list("pk", flat=True)),
            "created_at": batch.created_at}


@api.post("/orgs/{org}/years/{year}/activity-lines",
          response=responses({200: BatchOut, 201: BatchOut}, 400, 403, 409),
          summary="Add activity lines to an open year: all or none, idempotent by Idempotency-Key")
def add_activity_lines(request: TokenRequest, org: str, year: int, body: BatchIn, response: HttpResponse,
                       idempotency_key: str = Header(alias="Idempotency-Key", min_length=1,
                                                     max_length=200)) -> Any:
    client, token = _client(request, org, need=Capability.EDIT_DATA)
    reporting_year = _year_of(client, year)
    lines = [api_services.LineIn(**line.dict()) for line in body.lines]
    try:
        placed = api_services.add_activity_batch(reporting_year, lines, key=idempotency_key, user=token.user)
    except api_services.IdempotencyConflict as exc:
        return _conflict("idempotency_key_reused", exc)
    except YearClosed as exc:
        return _conflict("year_closed", exc)
    except InputErrors as exc:
        errors = _errors_of(exc)
        return Status(422, {"detail": f"{len(errors)} problem(s); nothing was saved: {exc}",
                            "code": "invalid", "errors": errors})
    if not placed.created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if placed.created else 200, _batch_out(placed.batch))


def _import_out(imported: LedgerImport, org: str) -> dict[str, Any]:
    return {"id": imported.pk, "filename": imported.filename, "status": imported.status,
            "label": str(imported.get_status_display()), "progress": imported.progress,
            "progress_total": imported.progress_total,
            "percent": min(100, round(100 * imported.progress / imported.progress_total))
            if imported.progress_total else 0,
            "done": imported.status not in (LedgerImport.Status.QUEUED, LedgerImport.Status.RUNNING),
            "status_url": reverse("api-v1:saft_import", kwargs={
                "org": org, "year": imported.reporting_year.year, "import_id": imported.pk}),
            "transactions": imported.transactions, "line_count": imported.line_count,
            "errors": [{"row": e.row, "field": e.field or "", "message": str(e.problem)}
                       for e in errors_from_json(imported.errors)]}


@api.post("/orgs/{org}/years/{year}/saft-imports", response=responses({202: ImportOut}, 403, 409),
          summary="Upload a SAF-T Financial file (multipart, field file): read in the background")
def start_saft_import(request: TokenRequest, org: str, year: int, file: File[UploadedFile]) -> Any:
    client, token = _client(request, org, need=Capability.EDIT_DATA)
    reporting_year = _year_of(client, year)
    try:
        imported = start_import(reporting_year, file, token.user)
    except YearClosed as exc:
        return _conflict("year_closed", exc)
    except KlimabokError as exc:
        errors = _errors_of(exc)
        return Status(422, {"detail": str(exc), "code": "invalid", "errors": errors})
    return Status(202, _import_out(imported, client.slug))


@api.get("/orgs/{org}/years/{year}/saft-imports/{import_id}", response=responses({200: ImportOut}, 403),
         summary="A SAF-T import's progress, then its outcome", url_name="saft_import")
def get_saft_import(request: TokenRequest, org: str, year: int, import_id: int) -> Any:
    client, _token = _client(request, org, need=Capability.VIEW_DATA)
    reporting_year = _year_of(client, year)
    imported = LedgerImport.objects.filter(pk=import_id, reporting_year=reporting_year).first()
    if imported is None:
        raise NotFound(f"no import {import_id}")
    if imported.status in (LedgerImport.Status.QUEUED, LedgerImport.Status.RUNNING) and fail_stale_imports(
            reporting_year):
        imported.refresh_from_db()
    return _import_out(imported, client.slug)


# --- The reports of a year (issue 13 §1–§4): the GHG inventory report, the board summary, the datapoints,
# the auditor's bundle; the same bytes as the web downloads ----------------------------------------------


def _binary(content_type: str, description: str) -> dict[str, Any]:
    """The 200 of an operation answering a file (ninja documents only JSON bodies itself)."""
    schema = {"type": "object"} if content_type == "application/json" else {"type": "string",
                                                                            "format": "binary"}
    return {"responses": {200: {"description": description, "content": {content_type: {"schema": schema}}}}}


class EmptyYear(Exception):
    """A year with no lines: there is nothing to report (a 409, not an empty file)."""


@api.exception_handler(EmptyYear)
def _empty_year(request: HttpRequest, exc: EmptyYear) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "code": "year_empty"}, status=409)


def _nothing_to_report(year: int) -> EmptyYear:
    return EmptyYear(f"{year} has no lines yet: there is nothing to report (enter activity data or import a "
                     "ledger first)")


def _file(data: bytes | str, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


def _report_pdf(request: TokenRequest, org: str, year: int, name: str,
                render: Callable[[InventoryReport, dict[str, str]], bytes]) -> HttpResponse:
    client, _token = _client(request, org)
    reporting_year = _year_of(client, year)
    try:
        page = load_inventory_report(reporting_year)
    except KlimabokError as exc:
        raise Unprocessable(exc) from None
    if page.report.empty:
        raise _nothing_to_report(year)
    draft = "-draft" if page.report.draft else ""
    return _file(render(page.report, page.activity_names), "application/pdf",
                 f"{name}-{client.slug}-{year}{draft}.pdf", inline=True)


_PDF_NOTE = (" An open year's PDF says DRAFT on every page; a closed year's is the same bytes whenever it is "
             "made. A year with no lines, or whose account cannot be computed, is a 409.")


@api.get("/orgs/{org}/years/{year}/reports/ghg-inventory.pdf", response=responses({}, 409),
         openapi_extra=_binary("application/pdf", "The GHG inventory report (PDF)"),
         summary="The year's GHG inventory report (PDF, GHG Protocol chapter 9 structure)",
         description="The same PDF as the web download, in the language of Accept-Language." + _PDF_NOTE)
def ghg_inventory_pdf(request: TokenRequest, org: str, year: int) -> HttpResponse:
    return _report_pdf(request, org, year, "ghg-inventory", render_inventory_pdf)


@api.get("/orgs/{org}/years/{year}/reports/board-summary.pdf", response=responses({}, 409),
         openapi_extra=_binary("application/pdf", "The board summary (one-page PDF)"),
         summary="The year's one-page board summary (PDF)",
         description="Total and by scope, change from last year, targets, largest sources, compensation "
                     "beside (never netted)." + _PDF_NOTE)
def board_summary_pdf(request: TokenRequest, org: str, year: int) -> HttpResponse:
    return _report_pdf(request, org, year, "board-summary", render_board_summary_pdf)


def _facts_with_lines(reporting_year: ReportingYear) -> LoadedFacts:
    """The year's facts for the datapoints (one account computation); 409 unless the account can be
    computed and has lines."""
    loaded = load_year_facts(reporting_year)
    if loaded.facts is None:
        raise _not_computable(loaded.problems)
    if not loaded.has_lines:
        raise _nothing_to_report(reporting_year.year)
    return loaded


def _not_computable(problems: list[InputError]) -> Unprocessable:
    return Unprocessable("; ".join(str(p) for p in problems[:3]) or "unknown problem")


@api.get("/orgs/{org}/years/{year}/reports/vsme.json", response=responses({}, 409),
         openapi_extra=_binary("application/json", "VSME B3/C3 datapoints keyed by taxonomy element"),
         summary="The year's VSME B3 and C3 datapoints (JSON keyed by the EFRAG template's element names)",
         description="The same JSON as the web download; an open year's says \"draft\": true.")
def vsme_datapoints(request: TokenRequest, org: str, year: int) -> HttpResponse:
    client, _token = _client(request, org)
    reporting_year = _year_of(client, year)
    loaded = _facts_with_lines(reporting_year)
    assert loaded.facts is not None  # _facts_with_lines refuses a year without them
    body = json.dumps(template_json(vsme_datapoints_of(loaded.facts)), ensure_ascii=False, indent=2)
    return _file(body, "application/json", f"vsme-{client.slug}-{year}.json")


@api.get("/orgs/{org}/years/{year}/reports/vsme.xhtml", response=responses({}, 409),
         openapi_extra=_binary("application/xhtml+xml", "VSME B3/C3, Inline XBRL (VSME taxonomy 2026-05-01)"),
         summary="The year's VSME B3 and C3 as an Inline XBRL report",
         description="The same document as the web download. It needs the organisation's LEI: without one "
                     "it is a 409 with code lei_missing.")
def vsme_ixbrl(request: TokenRequest, org: str, year: int) -> HttpResponse:
    client, _token = _client(request, org)
    reporting_year = _year_of(client, year)
    loaded = _facts_with_lines(reporting_year)
    assert loaded.facts is not None  # _facts_with_lines refuses a year without them
    try:
        body = ixbrl_document(vsme_datapoints_of(loaded.facts), made_on=report_date(reporting_year))
    except IxbrlUnavailable as exc:
        return api.create_response(request, {"detail": str(exc), "code": "lei_missing"}, status=409)
    return _file(body, "application/xhtml+xml", f"vsme-{client.slug}-{year}.xhtml")


@api.get("/orgs/{org}/years/{year}/reports/esrs-e1.json", response=responses({}, 409),
         openapi_extra=_binary("application/json", "ESRS E1-4 to E1-7 datapoints with their references"),
         summary="The year's ESRS E1 datapoints (E1-4 targets, E1-5 energy, E1-6 GHG, E1-7 credits; JSON)",
         description="The same JSON as the web download, each figure with its datapoint reference.")
def esrs_e1_datapoints(request: TokenRequest, org: str, year: int) -> HttpResponse:
    client, _token = _client(request, org)
    reporting_year = _year_of(client, year)
    report, problems = load_esrs(reporting_year, _facts_with_lines(reporting_year))
    if report is None:
        raise _not_computable(problems)
    body = json.dumps(esrs_json(report), ensure_ascii=False, indent=2)
    return _file(body, "application/json", f"esrs-e1-{client.slug}-{year}.json")


@api.get("/orgs/{org}/years/{year}/reports/audit-bundle.zip", response=responses({}, 403),
         openapi_extra=_binary("application/zip", "The auditor's bundle (ZIP with a SHA-256 manifest)"),
         summary="The year's auditor's bundle (ZIP: lines, factors with source rows, imports, reports, "
                 "manifest)",
         description="Needs the right to see the data (an auditor, administrator, ombudsman, contributor or "
                     "the climate partner; an employee's token is a 403). A year without lines still has a "
                     "bundle (its notes say so), as on the web. `klimabok export verify` checks it.")
def audit_bundle(request: TokenRequest, org: str, year: int) -> HttpResponse:
    client, _token = _client(request, org, need=Capability.VIEW_DATA)
    reporting_year = _year_of(client, year)
    language = "en" if (get_language() or "").startswith("en") else "nb"
    return _file(build_bundle(reporting_year, language), "application/zip", bundle_filename(reporting_year))
