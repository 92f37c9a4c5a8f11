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
