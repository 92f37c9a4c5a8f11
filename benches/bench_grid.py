"""Benchmark: the grid's check as the user types (``/o/<slug>/<year>/entries/grid/``, ``format=json``).

Data: the proof's 30-person company (tests/web/browser/test_first_account_flow.py): 7 lines of energy,
cars and waste, 5 flight rows and 2 hotel rows, repeated to :data:`N_ROWS` rows — a full grid.

Each request goes through Django's test client as the organisation's admin, ``REQUESTS`` times after
a warm-up (the airport table loads once per process); a row's time is the **95th percentile**.

- ``bare page`` (baseline): the entries page of the same year (empty), what any data page costs.
- ``grid check`` — the headline: every row read through its entry form (airports resolved, distances),
  its emissions computed, the JSON answer. Goal: p95 under :data:`GOAL_SECONDS`, so that a row's tonnes
  follow the typing (the page waits 0.4 s after the last key before it asks).
- ``grid paste``: a block of :data:`N_ROWS` rows copied from Excel read into cells.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench_engine import Measurement, Section
from bench_plan_page import _setup_django

HEADLINE = "grid check"
GOAL_SECONDS = 0.300
REQUESTS = 20
N_ROWS = 30
SLUG = "bench-grid"
COMPANY = [
    {"activity": "electricity.no", "quantity": "180 000", "unit": "kWh"},
    {"activity": "Strøm, NO, med opprinnelsesgarantier", "quantity": "40 000"},
    {"activity": "district_heating.delivered.no_default", "quantity": "120 000"},
    {"activity": "car.medium.diesel.km", "quantity": "18 000"},
    {"activity": "car.medium.bev.km", "quantity": "22 000"},
    {"activity": "waste.mixed.incineration", "quantity": "2,4", "unit": "tonnes"},
    {"activity": "waste.paper.recycling", "quantity": "1,1", "unit": "tonnes"},
    {"origin": "OSL", "destination": "BGO", "cabin_class": "economy", "return_trip": "ja", "passengers": "3"},
    {"origin": "Oslo", "destination": "Trondheim", "passengers": "2"},
    {"origin": "OSL", "destination": "CPH", "passengers": "2"},
    {"origin": "OSL", "destination": "LHR", "cabin_class": "business", "passengers": "1"},
    {"origin": "BGO", "destination": "OSL", "return_trip": "nei", "passengers": "2"},
    {"activity": "hotel.no", "quantity": "24"},
    {"activity": "hotel.gb", "quantity": "3"},
]


def _fixture() -> Any:
    from klimabok.accounts.models import Membership, Organisation, User
    from klimabok.accounts.roles import Role
    from klimabok.inventory.models import ReportingYear

    Organisation.objects.filter(slug=SLUG).delete()
    organisation = Organisation.objects.create(slug=SLUG, name="Bench Grid AS")
    user, _ = User.objects.get_or_create(email=f"admin@{SLUG}.example")
    Membership.objects.create(user=user, organisation=organisation, role=Role.ADMIN)
    ReportingYear.objects.create(organisation=organisation, year=2025)
    return user


def _p95(send: Callable[[], Any]) -> float:
    send()  # warm-up
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = send()
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    times.sort()
    return times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def run() -> list[Section]:
    with tempfile.TemporaryDirectory(prefix="klimabok-bench-grid-") as folder:
        _setup_django(folder)
        from django.test import Client

        client = Client(HTTP_HOST="127.0.0.1")  # an allowed host under KLIMABOK_DEBUG
        client.force_login(_fixture())
        url = f"/o/{SLUG}/2025/entries/grid/"
        rows = (COMPANY * (N_ROWS // len(COMPANY) + 1))[:N_ROWS]
        check = {"action": "check", "format": "json", "rows_json": json.dumps(rows)}
        answer = client.post(url, check).json()
        assert answer["summary"]["bad"] == 0, answer
        pasted = "\n".join("\t".join(row.get(c, "") for c in ("activity", "quantity", "unit"))
                           for row in rows)
        bare = _p95(lambda: client.get(f"/o/{SLUG}/2025/entries/"))
        checked = _p95(lambda: client.post(url, check))
        paste = _p95(lambda: client.post(url, {"action": "paste", "format": "json", "pasted": pasted}))
        return [Section(f"{N_ROWS} grid rows, {REQUESTS} requests each", [
            Measurement("bare page: the year's entries, p95", N_ROWS, bare, 0.0),
            Measurement(f"{HEADLINE}: {N_ROWS} rows through their forms, p95", N_ROWS, checked, 0.0),
            Measurement(f"grid paste: {N_ROWS} rows from Excel into cells, p95", N_ROWS, paste, 0.0),
        ])]
