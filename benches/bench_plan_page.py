"""Benchmark: the cost curve page (``/o/<slug>/plan/cost-curve/``), 200 measures over a 100,000-line account.

Data: one organisation whose 2025 year holds the engine benchmark's realistic mix
(:func:`bench_engine.make_input`) as 100,000 activity entries, closed through the account's service (so
its datasets are pinned as a user's would be), and the plan benchmark's 200 measures
(:func:`bench_plan.measures`: every kind of the catalogue) saved through the plan's service.

Each page is requested through Django's test client as the organisation's ombudsman, ``REQUESTS`` times
after one warm-up request; a row's time is the **95th percentile** of those requests.

- ``bare page`` (baseline): the measure list of the same organisation — its 200 measures and owners,
  no account, no computation: what any plan page costs.
- ``cost curve`` — the headline: the closed year's plan lines (kept per process after the first
  request: ``klimabok.plans.scenarios.year_lines``), the 200 measures applied in sequence, the MACC
  chart and the sortable table. Goal (issue 11): p95 under :data:`GOAL_SECONDS`.
- ``cost curve, first request``: the same page when the process has not computed the closed account
  yet (one request: the account of 100,000 lines from the database, then the plan).

The database is a temporary SQLite file (or the one Django is already set up with, when another
benchmark of the same run configured it).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench_engine import Measurement, Section, make_input
from bench_plan import KINDS, N_LINES, N_MEASURES

HEADLINE = "cost curve: p95"
GOAL_SECONDS = 0.200
REQUESTS = 40
SLUG = "bench-plan"


def _setup_django(folder: str) -> None:
    os.environ.setdefault("KLIMABOK_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klimabok.settings")
    from django.conf import settings

    if not settings.configured:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fixture(n_lines: int) -> Any:
    """The organisation, its ombudsman, a closed 2025 with ``n_lines`` entries and 200 measures."""
    from klimabok.account.services import close_year
    from klimabok.accounts.models import Membership, Organisation, User
    from klimabok.accounts.roles import Role
    from klimabok.core.factors.catalogue import default_catalogue
    from klimabok.inventory.models import ActivityEntry, ReportingYear
    from klimabok.plans import services

    Organisation.objects.filter(slug=SLUG).delete()
    organisation = Organisation.objects.create(slug=SLUG, name="Bench Plan AS")
    user = User.objects.create_user(f"ombud@{SLUG}.example", None) if not User.objects.filter(
        email=f"ombud@{SLUG}.example").exists() else User.objects.get(email=f"ombud@{SLUG}.example")
    Membership.objects.create(user=user, organisation=organisation, role=Role.OMBUDSMAN)
    year = ReportingYear.objects.create(organisation=organisation, year=2025)
    columns, _ = make_input(default_catalogue(), n_lines)
    keys, units = columns.activity_keys, columns.units
    ActivityEntry.objects.bulk_create(
        (ActivityEntry(reporting_year=year, activity=keys[a], quantity=Decimal(f"{q:.6f}"), unit=units[u],
                       data_quality=int(d))
         for a, q, u, d in zip(columns.activity_codes.tolist(), columns.quantities.tolist(),
                               columns.unit_codes.tolist(), columns.data_quality.tolist(), strict=True)),
        batch_size=5000)
    close_year(year, user)
    for i in range(N_MEASURES):
        kind, params = KINDS[i % len(KINDS)]
        services.save_measure(organisation, services.MeasureDraft(
            title=f"Tiltak {i}", kind=kind, params=params, start_year=2026 + i % 5, ramp_years=i % 3,
            capex_nok=Decimal(10_000 * (i % 7)), opex_delta_nok=Decimal(1_000 * (i % 5 - 2)),
            lifetime_years=5 + i % 10, owner=user,
            acts_on=["hotel.", "commute."] if kind == "generic" else []), user)
    return user


def _p95(get: Callable[[], Any]) -> float:
    get()  # warm-up
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = get()
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    times.sort()
    return times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def run(n: int = N_LINES) -> list[Section]:
    with tempfile.TemporaryDirectory(prefix="klimabok-bench-plan-") as folder:
        _setup_django(folder)
        from django.test import Client

        from klimabok.account import cache

        user = _fixture(n)
        client = Client(HTTP_HOST="127.0.0.1")  # an allowed host under KLIMABOK_DEBUG
        client.force_login(user)
        measures_url, curve_url = f"/o/{SLUG}/plan/measures/", f"/o/{SLUG}/plan/cost-curve/"
        cache.clear()
        start = time.perf_counter()
        assert client.get(curve_url).status_code == 200
        cold = time.perf_counter() - start
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            with cProfile.Profile() as profile:
                for _ in range(5):
                    client.get(curve_url)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
        bare = _p95(lambda: client.get(measures_url))
        curve = _p95(lambda: client.get(curve_url))
        location = _p95(lambda: client.get(curve_url + "?view=location&sort=-cost"))
        return [Section(f"{n:,} account lines, {N_MEASURES} measures, {REQUESTS} requests a page", [
            Measurement("bare page: the measure list, p95", n, bare, 0.0),
            Measurement(HEADLINE, n, curve, 0.0),
            Measurement("cost curve, location-based, sorted by NOK/t: p95", n, location, 0.0),
            Measurement("cost curve, first request (the account computed)", n, cold, 0.0),
        ])]


if __name__ == "__main__":
    for section in run():
        print(section.title)
        for row in section.rows:
            print(f"  {row.path:<62}{row.seconds:>9.4f}")
