"""The demo's plan read two ways: Nordlys's target pages and its scenario page say the same share of the gap
for "Plan 2030" (one implementation: :mod:`klimabok.plans.scenarios`), and the busy plan pages keep to a
query budget."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ReportingYear
from klimabok.plans import pathway, scenarios, services
from klimabok.plans.models import Scenario, Target
from klimabok.plans.scenarios import scenario_projection

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_db: None) -> None:
    """The demo, loaded once for the module (tests/conftest.py): these tests only read it."""


def _client(email: str = "olga@nordlys.example") -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


GAP = re.compile(r"Denne planen lukker [\d ,\u00a0]+%? av gapet til målet for \d{4}\.")


def _gap_sentences(html: str) -> list[str]:
    return GAP.findall(html)


def test_the_target_page_and_the_scenario_page_say_the_same_share_of_the_gap(demo: None) -> None:
    client = _client()
    scenario = Scenario.objects.get(organisation__slug="nordlys", name="Plan 2030")
    scenario_page = client.get(f"/o/nordlys/plan/scenarios/{scenario.pk}/").content.decode()
    targets = list(Target.objects.filter(organisation__slug="nordlys").order_by("pk"))
    assert len(targets) == 2
    for target in targets:
        projection = scenario_projection(scenario, target)
        assert projection is not None
        section = scenario_page[scenario_page.index(f'id="target-{target.pk}"') :]
        on_scenario = _gap_sentences(section)[0]
        # the default plan is the most recently updated scenario (the demo's only one), named on the page
        page = client.get(f"/o/nordlys/plan/targets/{target.pk}/").content.decode()
        assert "Planen: scenarioet «Plan 2030» (sist endret)." in page
        on_target = _gap_sentences(page)
        assert on_target == [on_scenario], target.name
        # the same number, from the projection the scenario page draws
        shown = f"{projection.share_percent:.1f}".removesuffix(".0").replace(".", ",")
        assert on_scenario == f"Denne planen lukker {shown}\u00a0% av gapet til målet for 2030."
        asked = client.get(f"/o/nordlys/plan/targets/{target.pk}/?scenario={scenario.pk}").content.decode()
        assert _gap_sentences(asked) == [on_scenario]
        assert "Planen: scenarioet «Plan 2030»." in asked


#: Queries of a warm request (the closed 2024's figures and lines already in the per-process cache): the
#: session, user, organisation and role; the page's own lists; the open 2025's entries and ledger (it is
#: computed on every request, as it may change); the scenarios and the chosen one's measures; the names
#: of who made this month's changes (one query). None of them grows with the number of targets or
#: measures (checked below by adding some).
DASHBOARD_QUERIES = 32
TARGET_PAGE_QUERIES = 24


def _pages() -> tuple[str, str]:
    target = Target.objects.filter(organisation__slug="nordlys").order_by("pk").first()
    assert target is not None
    return "/o/nordlys/plan/", f"/o/nordlys/plan/targets/{target.pk}/"


def test_the_dashboard_and_a_target_page_read_the_closed_year_from_the_cache_in_few_queries(
    demo: None, django_assert_max_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client()
    dashboard, target_page = _pages()
    for url in (dashboard, target_page):  # the first request fills the cache
        assert client.get(url).status_code == 200

    def recomputed(*_args: object) -> None:
        raise AssertionError("the closed year's account was computed again")

    monkeypatch.setattr(scenarios, "load_account", recomputed)
    monkeypatch.setattr(pathway, "account_with_current_factors", recomputed)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        assert client.get(dashboard).status_code == 200
    with django_assert_max_num_queries(TARGET_PAGE_QUERIES):
        assert client.get(target_page).status_code == 200
    # more measures in the scenario and another target: no more queries (no query per row)
    nordlys = Organisation.objects.get(slug="nordlys")
    olga = User.objects.get(email="olga@nordlys.example")
    base = ReportingYear.objects.get(organisation=nordlys, year=2024)
    scenario = Scenario.objects.get(organisation=nordlys)
    extra = [
        services.save_measure(
            nordlys,
            services.MeasureDraft(
                title=f"Kutt {n}", kind="generic", params={"pct": 5}, acts_on=["scope_2"], start_year=2027
            ),
            olga,
        )
        for n in range(3)
    ]
    chosen = [(c.measure, c.start_year) for c in scenario.choices.select_related("measure")]
    services.save_scenario(
        nordlys, scenario.name, chosen + [(m, 2027) for m in extra], olga, scenario=scenario
    )
    services.save_target(
        nordlys,
        services.TargetDraft(
            name="Scope 1: −50 % innen 2035",
            base_year=base,
            target_year=2035,
            coverage="scope_1",
            reduction_percent=Decimal(50),
            base_t_co2e=Decimal(100),
        ),
        olga,
    )
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        assert client.get(dashboard).status_code == 200
    with django_assert_max_num_queries(TARGET_PAGE_QUERIES):
        assert client.get(target_page).status_code == 200
