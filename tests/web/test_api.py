"""The JSON API: bearer tokens, compensation orders (201/200/400/404/409), cancel, tenant scoping, OpenAPI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from klimabok.accounts.models import Organisation, User
from klimabok.api.models import ApiToken
from klimabok.api.tokens import create_token, revoke_token, token_hash
from klimabok.cli import _register, app
from klimabok.credits.models import CompensationOrder, CreditBlock
from klimabok.inventory.models import ReportingYear
from tests.web.compensation_setup import FIRST_SERIAL, closed_year, offered_block

ORDERS = "/api/v1/orgs/nordlys/compensation-orders"


@pytest.fixture
def year(nordlys: Organisation, alice: User) -> ReportingYear:
    return closed_year(nordlys, alice)


@pytest.fixture
def block(klimapartner: Organisation, petra: User) -> CreditBlock:
    return offered_block(klimapartner, petra)


@pytest.fixture
def alice_token(alice: User, nordlys: Organisation) -> str:
    return create_token(alice, nordlys, "ERP")[1]


def call(method: str, path: str, token: str | None, body: dict[str, Any] | None = None,
         key: str | None = None) -> tuple[int, Any, Any]:
    headers = {}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    client = Client(enforce_csrf_checks=True)  # token auth needs no CSRF token; sessions are not accepted
    response = getattr(client, method)(path, data=json.dumps(body) if body is not None else None,
                                       content_type="application/json", **headers)
    return response.status_code, response.json(), response


def post_order(token: str, tonnes: int, key: str) -> tuple[int, Any, Any]:
    return call("post", ORDERS, token, {"reporting_year": 2025, "tonnes": tonnes}, key)


def test_201_with_the_reserved_serials_then_200_for_the_same_key(year: ReportingYear, block: CreditBlock,
                                                                 alice_token: str) -> None:
    status, order, _ = post_order(alice_token, 7, "key-00000001")
    assert status == 201
    assert (order["tonnes"], order["status"], order["price_total"]) == (7, "reserved", "1400.00")  # 7 × 200
    assert [(r["start"], r["end"], r["quantity"]) for r in order["ranges"]] == [
        (FIRST_SERIAL, FIRST_SERIAL + 6, 7)]
    assert order["ranges"][0]["serial"].startswith("19385-941467007-941467013-VCS-VCU")
    status, again, response = call("post", ORDERS, alice_token, {"reporting_year": 2025, "tonnes": 7},
                                   "key-00000001")
    assert (status, again["id"], response["Idempotent-Replayed"]) == (200, order["id"], "true")
    assert CompensationOrder.objects.count() == 1


def test_409_when_not_enough_credits_or_the_key_is_reused(year: ReportingYear, block: CreditBlock,
                                                          alice_token: str) -> None:
    status, error, _ = post_order(alice_token, 101, "key-00000001")
    assert (status, error["code"]) == (409, "not_enough_credits")
    assert "101 t ordered, but only 100 t available" in error["detail"]
    post_order(alice_token, 7, "key-00000002")
    status, error, _ = post_order(alice_token, 8, "key-00000002")
    assert (status, error["code"]) == (409, "idempotency_key_reused")


def test_409_when_the_year_is_open(block: CreditBlock, nordlys: Organisation, alice_token: str) -> None:
    ReportingYear.objects.create(organisation=nordlys, year=2025)
    status, error, _ = post_order(alice_token, 7, "key-00000001")
    assert (status, error["code"]) == (409, "year_not_closed")
    assert "still open" in error["detail"]


def test_400_without_idempotency_key(year: ReportingYear, block: CreditBlock, alice_token: str) -> None:
    status, error, _ = call("post", ORDERS, alice_token, {"reporting_year": 2025, "tonnes": 7})
    assert (status, error["code"]) == (400, "idempotency_key_missing")
    assert not CompensationOrder.objects.exists()


def test_list_get_and_cancel(year: ReportingYear, block: CreditBlock, alice_token: str) -> None:
    _, order, _ = post_order(alice_token, 7, "key-00000001")
    status, listed, _ = call("get", ORDERS, alice_token)
    assert (status, [o["id"] for o in listed]) == (200, [order["id"]])
    status, one, _ = call("get", f"{ORDERS}/{order['id']}", alice_token)
    assert (status, one["ranges"]) == (200, order["ranges"])
    status, cancelled, _ = call("post", f"{ORDERS}/{order['id']}/cancel", alice_token)
    assert (status, cancelled["status"], cancelled["ranges"]) == (200, "cancelled", [])


def test_tenant_scoping_and_revoked_tokens(year: ReportingYear, block: CreditBlock, alice_token: str,
                                          mallory: User, fjordbakst: Organisation, alice: User,
                                          nordlys: Organisation) -> None:
    _, order, _ = post_order(alice_token, 7, "key-00000001")
    mallory_token = create_token(mallory, fjordbakst)[1]
    assert call("get", ORDERS, mallory_token)[0] == 404
    assert call("get", f"{ORDERS}/{order['id']}", mallory_token)[0] == 404
    assert call("post", f"{ORDERS}/{order['id']}/cancel", mallory_token)[0] == 404
    assert call("get", f"/api/v1/orgs/fjordbakst/compensation-orders/{order['id']}", mallory_token)[0] == 404
    assert call("get", ORDERS, None)[0] == 401
    assert call("get", ORDERS, "kb_not-a-token")[0] == 401
    row = ApiToken.objects.get(token_hash=token_hash(alice_token))
    revoke_token(row.pk)
    assert call("get", ORDERS, alice_token)[0] == 401


def test_a_session_does_not_authorise_the_api(year: ReportingYear, alice: User) -> None:
    client = Client()
    client.force_login(alice, backend="klimabok.accounts.backends.EmailBackend")
    assert client.get(ORDERS).status_code == 401


def test_partner_token_serves_its_clients_and_readers_cannot_order(
        year: ReportingYear, block: CreditBlock, petra: User, klimapartner: Organisation, emma: User,
        nordlys: Organisation) -> None:
    petra_token = create_token(petra, klimapartner)[1]
    assert post_order(petra_token, 5, "key-00000001")[0] == 201
    emma_token = create_token(emma, nordlys)[1]
    assert call("get", ORDERS, emma_token)[0] == 200
    status, error, _ = post_order(emma_token, 5, "key-00000002")
    assert (status, error["code"]) == (403, "forbidden")


def test_openapi_lists_the_paths(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/orgs/{org}/compensation-orders" in paths
    assert "/api/v1/orgs/{org}/compensation-orders/{order_id}/cancel" in paths
    assert response.json()["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_cli_creates_a_token_shown_once_and_revokes_it(alice: User, nordlys: Organisation) -> None:
    _register()
    runner = CliRunner()
    result = runner.invoke(app, ["api-token", "create", "--user", "alice@nordlys.example", "--name", "ERP"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    row = ApiToken.objects.get()
    assert token.startswith("kb_") and row.token_hash == token_hash(token) and token not in str(
        list(ApiToken.objects.values()))
    assert (row.organisation, row.name) == (nordlys, "ERP")
    result = runner.invoke(app, ["api-token", "revoke", str(row.pk)])
    assert result.exit_code == 0 and "revoked" in result.stdout
    assert ApiToken.objects.get().revoked_at is not None
    result = runner.invoke(app, ["api-token", "create", "--user", "nobody@example.org"])
    assert result.exit_code == 1 and "no user nobody@example.org" in result.output
