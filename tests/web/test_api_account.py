"""The account over the JSON API (issue 13 §6): organisations, years, the account, its lines; a batch of
activity lines (all or nothing, idempotent); a SAF-T import and its progress; who may read and write.

Nordlys' hand-made 2025 (AR5, the shipped factors, as in ``test_account_views``):
- electricity.no, 100,000 kWh: location 100,000 × 0.015 (NVE 2023) = 1,500 kg;
  market 100,000 × 0.40491 (AIB residual mix, Scope2_Electricity_NO_kWh_2021) = 40,491 kg
- car.average.diesel.km, 10,000 km: tailpipe 10,000 × 0.17304 (DESNZ ID 4_301_3069_4_1) = 1,730.4 kg scope 1;
  WTT 10,000 × 0.04146 (ID 26_904_3069_4_1) = 414.6 kg scope 3.3

scope 1 1.730 t · scope 2 location 1.500 t, market 40.491 t · scope 3 0.415 t
total location 1.7304 + 1.5 + 0.4146 = 3.645 t; total market 1.7304 + 40.491 + 0.4146 = 42.636 t
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation, User
from klimabok.api.models import ActivityBatch
from klimabok.api.tokens import create_token
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.ledger.models import LedgerImport

BASE = "/api/v1/orgs/nordlys/years/2025"


@pytest.fixture
def year(nordlys: Organisation) -> ReportingYear:
    reporting_year = ReportingYear.objects.create(organisation=nordlys, year=2025, fte=Decimal(10))
    for activity, quantity, unit in (("electricity.no", 100_000, "kWh"),
                                     ("car.average.diesel.km", 10_000, "km")):
        ActivityEntry.objects.create(reporting_year=reporting_year, activity=activity,
                                     quantity=Decimal(quantity), unit=unit)
    return reporting_year


def call(method: str, path: str, token: str | None, body: Any = None, key: str | None = None,
         **extra: Any) -> tuple[int, Any]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    client = Client(enforce_csrf_checks=True)
    if body is None and extra:
        response = getattr(client, method)(path, data=extra, **headers)
    else:
        response = getattr(client, method)(path, data=json.dumps(body) if body is not None else None,
                                           content_type="application/json", **headers)
    return response.status_code, response.json()


def token(user: User, organisation: Organisation) -> str:
    return create_token(user, organisation)[1]


def test_organisations_years_and_the_account_with_known_totals(year: ReportingYear, alice: User,
                                                               nordlys: Organisation) -> None:
    alice_token = token(alice, nordlys)
    assert call("get", "/api/v1/orgs", alice_token) == (200, [
        {"slug": "nordlys", "name": "Nordlys Kundesenter AS", "org_number": "974760673",
         "partner": "klimapartner"}])
    status, years = call("get", "/api/v1/orgs/nordlys/years", alice_token)
    assert status == 200
    assert [(y["year"], y["status"], y["totals"]["total_market"]) for y in years] == [(2025, "open", 42.636)]
    status, account = call("get", f"{BASE}/account", alice_token)
    assert status == 200
    assert account["totals"] == {"scope_1": 1.73, "scope_2_location": 1.5, "scope_2_market": 40.491,
                                 "scope_3": 0.415, "total_location": 3.645, "total_market": 42.636}
    assert account["by_category"] == {"scope_1": 1.73, "scope_2_location": 1.5, "scope_2_market": 40.491,
                                      "scope_3.3": 0.415}
    expected = load_account(year)
    assert account["totals"] == expected.totals.to_dict()
    market_range = account["uncertainty"]["total_market"]
    assert market_range["low"] < 42.636 < market_range["high"]
    # per FTE: 42.636 t / 10 FTE = 4.2636 t
    assert account["intensities"]["per_fte"]["t_co2e_market"] == pytest.approx(4.2636, abs=1e-4)
    assert (account["biogenic_co2_t"], account["lines"]) == (0.0, len(expected.lines))


def test_lines_with_factor_and_source_row_paginated(year: ReportingYear, alice: User,
                                                    nordlys: Organisation) -> None:
    alice_token = token(alice, nordlys)
    status, page = call("get", f"{BASE}/lines", alice_token, page=1, page_size=2)
    assert (status, page["count"], page["pages"], len(page["lines"])) == (200, 4, 2, 2)
    status, second = call("get", f"{BASE}/lines", alice_token, page=2, page_size=2)
    refs = {line["factor"]["source_ref"] for line in page["lines"] + second["lines"]}
    assert {"4_301_3069_4_1", "26_904_3069_4_1"} <= refs
    tailpipe = next(line for line in page["lines"] + second["lines"]
                    if line["factor"]["source_ref"] == "4_301_3069_4_1")
    assert (tailpipe["t_co2e"], tailpipe["scope"]) == (1.73, 1)  # 10,000 km × 0.17304 kg
    status, error = call("get", f"{BASE}/lines", alice_token, page=1, page_size=501)
    assert (status, error["code"], error["errors"][0]["field"]) == (422, "invalid", "page_size")


def test_a_batch_with_one_bad_row_is_a_422_naming_it_and_saves_nothing(year: ReportingYear, alice: User,
                                                                       nordlys: Organisation) -> None:
    lines = [{"activity": "electricity.no", "quantity": "5000", "unit": "kWh"},
             {"activity": "fuel.unobtainium", "quantity": "5", "unit": "kg"},
             {"activity": "hotel.no", "quantity": "2", "unit": "room_night"}]
    status, error = call("post", f"{BASE}/activity-lines", token(alice, nordlys), {"lines": lines}, "batch-1")
    assert (status, error["code"]) == (422, "invalid")
    assert [(e["row"], e["field"]) for e in error["errors"]] == [(2, "activity")]
    assert "fuel.unobtainium" in error["errors"][0]["message"]
    assert ActivityEntry.objects.filter(reporting_year=year).count() == 2
    assert not ActivityBatch.objects.exists()
    status, error = call("post", f"{BASE}/activity-lines", token(alice, nordlys),
                         {"lines": [lines[0], {**lines[2], "quantity": "-1"}]}, "batch-1")
    assert (status, [(e["row"], e["field"]) for e in error["errors"]]) == (422, [(2, "quantity")])


def test_the_same_idempotency_key_twice_is_one_batch(year: ReportingYear, alice: User,
                                                     nordlys: Organisation) -> None:
    alice_token = token(alice, nordlys)
    body = {"lines": [{"activity": "hotel.no", "quantity": "2", "unit": "room_night", "data_quality": 2}]}
    status, first = call("post", f"{BASE}/activity-lines", alice_token, body, "batch-1")
    assert (status, first["lines"], len(first["entry_ids"])) == (201, 1, 1)
    status, again = call("post", f"{BASE}/activity-lines", alice_token, body, "batch-1")
    assert (status, again["id"], again["entry_ids"]) == (200, first["id"], first["entry_ids"])
    assert ActivityEntry.objects.filter(reporting_year=year).count() == 3  # two before, one added
    status, error = call("post", f"{BASE}/activity-lines", alice_token,
                         {"lines": [{"activity": "hotel.no", "quantity": "3", "unit": "room_night"}]},
                         "batch-1")
    assert (status, error["code"]) == (409, "idempotency_key_reused")
    status, error = call("post", f"{BASE}/activity-lines", alice_token, body)
    assert (status, error["code"]) == (400, "idempotency_key_missing")


def test_another_organisations_token_is_a_404(year: ReportingYear, mallory: User,
                                              fjordbakst: Organisation) -> None:
    mallory_token = token(mallory, fjordbakst)
    assert [o["slug"] for o in call("get", "/api/v1/orgs", mallory_token)[1]] == ["fjordbakst"]
    for path in ("/api/v1/orgs/nordlys/years", f"{BASE}/account", f"{BASE}/lines"):
        status, error = call("get", path, mallory_token)
        assert (status, error["code"]) == (404, "not_found")
    status, _ = call("post", f"{BASE}/activity-lines", mallory_token,
                     {"lines": [{"activity": "hotel.no", "quantity": "2", "unit": "room_night"}]}, "k-1")
    assert status == 404
    assert call("get", f"{BASE}/account", None)[0] == 401


def test_a_partner_token_reaches_its_clients(year: ReportingYear, petra: User,
                                             klimapartner: Organisation) -> None:
    petra_token = token(petra, klimapartner)
    status, orgs = call("get", "/api/v1/orgs", petra_token)
    assert (status, [o["slug"] for o in orgs]) == (200, ["nordlys"])
    assert call("get", f"{BASE}/account", petra_token)[1]["totals"]["total_location"] == 3.645


def test_an_auditor_reads_but_cannot_write(year: ReportingYear, aud: User, nordlys: Organisation) -> None:
    aud_token = token(aud, nordlys)
    assert call("get", f"{BASE}/account", aud_token)[0] == 200
    assert call("get", f"{BASE}/lines", aud_token)[0] == 200
    status, error = call("post", f"{BASE}/activity-lines", aud_token,
                         {"lines": [{"activity": "hotel.no", "quantity": "2", "unit": "room_night"}]}, "k-1")
    assert (status, error["code"]) == (403, "forbidden")
    response = Client().post(f"{BASE}/saft-imports", {"file": SimpleUploadedFile("saft.xml", b"<x/>")},
                             HTTP_AUTHORIZATION=f"Bearer {aud_token}")
    assert response.status_code == 403
    assert not ActivityBatch.objects.exists() and not LedgerImport.objects.exists()


def test_a_saft_import_answers_202_with_its_status_url(year: ReportingYear, alice: User,
                                                       nordlys: Organisation) -> None:
    alice_token = token(alice, nordlys)
    response = Client().post(f"{BASE}/saft-imports", {"file": SimpleUploadedFile("not.xml", b"hello")},
                             HTTP_AUTHORIZATION=f"Bearer {alice_token}")
    assert (response.status_code, response.json()["code"]) == (422, "invalid")
    assert "not an XML file" in response.json()["errors"][0]["message"]
    response = Client().post(f"{BASE}/saft-imports",
                             {"file": SimpleUploadedFile("saft.xml", b"<AuditFile>broken")},
                             HTTP_AUTHORIZATION=f"Bearer {alice_token}")
    assert response.status_code == 202
    started = response.json()
    assert started["status_url"] == f"{BASE}/saft-imports/{started['id']}"
    status, progress = call("get", started["status_url"], alice_token)
    # progress counts the file's bytes: len(b"<AuditFile>broken") = 17
    assert (status, progress["id"], progress["progress_total"]) == (200, started["id"], 17)
