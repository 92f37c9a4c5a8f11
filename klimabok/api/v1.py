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
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema, Status
from ninja.params.functions import Header
from ninja.security import HttpBearer
from pydantic import Field

from klimabok.accounts.access import role_in
from klimabok.accounts.models import Organisation
from klimabok.accounts.roles import Capability, can
from klimabok.api.models import ApiToken
from klimabok.api.tokens import authenticate
from klimabok.compensation import services
from klimabok.compensation.read_models import OrderRow, order_rows
from klimabok.core.credits.blocks import CreditError, NotEnoughCredits
from klimabok.credits.models import CompensationOrder, CreditProject
from klimabok.plans.models import Measure, Scenario
from klimabok.plans.read_models import targets_of
from klimabok.plans.scenarios import MeasureRow, plan_effects, projections, scenario_effects


class TokenRequest(HttpRequest):
    """The request an endpoint receives: :class:`BearerToken` let it through and ninja set its token."""

    auth: ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return authenticate(token)


api = NinjaAPI(
    title="klimabok API", version="1", urls_namespace="api-v1", auth=BearerToken(), docs_url=None,
    description="Compensation orders of a client's closed climate account. Credits are reported beside the "
                "account and never deducted from it.")


class Error(Schema):
    detail: str
    code: str


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


@api.exception_handler(Forbidden)
def _forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "code": "forbidden"}, status=403)


def _client(request: TokenRequest, org: str, *, order: bool = False) -> tuple[Organisation, ApiToken]:
    """The organisation ``org`` if the token may act there (its own, or a client of its partner), else 404."""
    token = request.auth
    client = (Organisation.objects.filter(slug=org, kind=Organisation.Kind.CLIENT)
              .select_related("partner").first())
    if client is None or token.organisation_id not in (client.pk, client.partner_id):
        raise NotFound(f"no organisation {org}")
    role = role_in(token.user, client)
    if role is None or not can(role, Capability.VIEW_SUMMARY):
        raise NotFound(f"no organisation {org}")
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


@api.post("/orgs/{org}/compensation-orders", response={200: OrderOut, 201: OrderOut, 400: Error, 409: Error},
          summary="Order credits (reserves serial ranges at once)")
def create_order(request: TokenRequest, org: str, body: OrderIn, response: HttpResponse,
                 idempotency_key: str | None = Header(None, alias="Idempotency-Key")) -> Any:
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


@api.get("/orgs/{org}/compensation-orders", response=list[OrderOut], summary="The organisation's orders")
def list_orders(request: TokenRequest, org: str, reporting_year: int | None = None) -> Any:
    client, _token = _client(request, org)
    orders = CompensationOrder.objects.filter(client=client)
    if reporting_year is not None:
        orders = orders.filter(reporting_year=reporting_year)
    rows = order_rows(list(orders.select_related("client", "partner").prefetch_related("retirements")
                           .order_by("-created_at", "-pk")))
    return [_order_out(row) for row in rows]


@api.get("/orgs/{org}/compensation-orders/{order_id}", response={200: OrderOut, 404: Error},
         summary="One order with its serial ranges")
def get_order(request: TokenRequest, org: str, order_id: int) -> Any:
    client, _token = _client(request, org)
    return _load(_order_of(client, order_id))


@api.post("/orgs/{org}/compensation-orders/{order_id}/cancel",
          response={200: OrderOut, 404: Error, 409: Error},
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


@api.get("/orgs/{org}/targets", response=list[TargetOut], summary="The organisation's emission targets")
def list_targets(request: TokenRequest, org: str) -> Any:

    client, _token = _client(request, org)
    return [{"id": t.pk, "name": t.name, "base_year": t.base_calendar_year, "target_year": t.target_year,
             "coverage": t.coverage, "scope3_categories": list(t.scope3_categories or []),
             "scope2_method": t.scope2_method, "metric": t.metric, "reduction_percent": t.reduction_percent,
             "base_t_co2e": t.base_t_co2e,
             "target_t_co2e": (t.base_t_co2e * (1 - t.reduction_percent / 100)).quantize(Decimal("0.001")),
             "ruleset": t.ruleset, "sbti_validated_on": t.sbti_validated_on}
            for t in targets_of(client)]


@api.get("/orgs/{org}/measures", response=PlanOut,
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


@api.get("/orgs/{org}/scenarios", response=list[ScenarioOut],
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
