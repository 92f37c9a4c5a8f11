"""The cost curve, scenarios, the measure form's parameter fields, the action plan XLSX, the plan API and
``klimabok plan show``, on Nordlys with a closed 2024 (diesel and electricity)."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from typer.testing import CliRunner

from klimabok.accounts.models import Organisation, User
from klimabok.api.tokens import create_token
from klimabok.cli import _register, app
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.plans import services
from klimabok.plans.models import Measure, Scenario, Target
from klimabok.plans.scenarios import plan_effects, scenario_projection
from tests.web.conftest import ClientFor
from tests.web.plans_setup import closed_2024

__all__ = ["closed_2024"]


@pytest.fixture
def power(closed_2024: ReportingYear) -> ReportingYear:
    """2024 with 100,000 kWh of Norwegian electricity beside the 1,000 litres of diesel."""
    ActivityEntry.objects.create(
        reporting_year=closed_2024, activity="electricity.no", quantity=100_000, unit="kWh"
    )
    return closed_2024


@pytest.fixture
def plan(nordlys: Organisation, olga: User, carl: User, power: ReportingYear) -> dict[str, Measure]:
    def save(title: str, kind: str, **fields: Any) -> Measure:
        return services.save_measure(
            nordlys, services.MeasureDraft(title=title, kind=kind, start_year=2026, **fields), olga
        )

    return {
        # guarantees of origin on all kWh: the market-based scope 2, at 20,000 NOK a year
        "goo": save(
            "Opprinnelsesgarantier",
            "guarantees_of_origin",
            params={"share": 100},
            opex_delta_nok=Decimal(20_000),
            owner=olga,
            status="planned",
        ),
        # a 50 % cut of the diesel (a generic cut on fuel.), saving 10,000 NOK a year
        "diesel": save(
            "Mindre diesel",
            "generic",
            params={"pct": 50},
            acts_on=["fuel."],
            opex_delta_nok=Decimal(-10_000),
            owner=carl,
            status="in_progress",
        ),
        "dropped": save(
            "Droppet", "energy_efficiency", params={"pct": 10}, status="dropped", dropped_reason="for dyrt"
        ),
    }


def test_the_cost_curve_shows_each_measure_cheapest_first_with_the_table_as_its_alternative(
    client_for: ClientFor, emma: User, plan: dict[str, Measure], nordlys: Organisation
) -> None:
    effects = plan_effects(nordlys)
    # in the default order (start year, then creation): the guarantees, then the diesel cut; not the dropped
    assert [row.measure.title for row in effects.rows] == ["Opprinnelsesgarantier", "Mindre diesel"]
    goo, diesel = effects.rows
    assert goo.t_location == 0.0 and goo.t_market > 0
    assert goo.nok_per_tonne("market") == pytest.approx(20_000 / goo.t_market)
    assert diesel.nok_per_tonne("market") == pytest.approx(-10_000 / diesel.t_market)
    assert goo.remaining_t_market == pytest.approx(effects.baseline_t_market - goo.t_market)
    page = client_for(emma).get("/o/nordlys/plan/cost-curve/")  # an employee reads it
    html = page.content.decode()
    assert page.status_code == 200
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "<desc>" in svg
    # the saving first: the diesel cut's block is drawn before the guarantees'
    assert svg.index("2. Mindre diesel") < svg.index("1. Opprinnelsesgarantier")
    assert "Droppet" not in html
    table = html[html.index('class="data macc-table"') :]
    assert table.index("Opprinnelsesgarantier") < table.index("Mindre diesel")
    by_cost = client_for(emma).get("/o/nordlys/plan/cost-curve/?sort=cost").content.decode()
    table = by_cost[by_cost.index('class="data macc-table"') :]
    assert table.index("Mindre diesel") < table.index("Opprinnelsesgarantier")
    assert 'aria-sort="ascending"' in table
    location = client_for(emma).get("/o/nordlys/plan/cost-curve/?view=location").content.decode()
    svg = location[location.index("<svg") : location.index("</svg>")]
    assert "Opprinnelsesgarantier" not in svg  # guarantees avoid nothing location-based


def test_without_a_closed_year_the_cost_curve_says_so(client_for: ClientFor, olga: User) -> None:
    page = client_for(olga).get("/o/nordlys/plan/cost-curve/")
    assert page.status_code == 200
    assert "<svg" not in page.content.decode()


def test_the_measure_form_has_a_field_per_parameter_with_its_unit_range_and_default(
    client_for: ClientFor, olga: User, power: ReportingYear
) -> None:
    page = client_for(olga).get("/o/nordlys/plan/measures/new/?kind=electric_cars")
    form = page.context["form"]
    assert form.param_names == [
        "p_share",
        "p_kwh_per_km",
        "p_litres_per_100_km",
        "p_kg_per_kwh_location",
        "p_kg_per_kwh_market",
    ]
    html = page.content.decode()
    assert re.search(r'name="p_kwh_per_km" value="0,2"', html)  # the default, with a decimal comma
    assert "(kWh/km)" in html and "0,05–0,5 kWh/km" in html
    # what it acts on: the 2024 account's lines with their tonnes, not typed
    assert 'value="fuel.diesel"' in html and 'value="electricity.no"' in html and 'value="scope_2"' in html
    assert 'name="params"' not in html


def test_a_parameter_out_of_range_is_refused_at_its_field_and_nothing_is_saved(
    client_for: ClientFor, olga: User, power: ReportingYear
) -> None:
    form = {
        "title": "Elbiler",
        "kind": "electric_cars",
        "p_share": "100",
        "p_kwh_per_km": "3",
        "acts_on": ["fuel.diesel"],
        "status": "planned",
        "start_year": "2026",
        "ramp_years": "0",
        "capex_nok": "0",
        "opex_delta_nok": "0",
        "lifetime_years": "8",
        "discount_rate_percent": "4",
    }
    refused = client_for(olga).post("/o/nordlys/plan/measures/new/?kind=electric_cars", form)
    assert refused.status_code == 400
    errors = refused.context["form"].errors
    assert list(errors) == ["p_kwh_per_km"]
    assert "0.05" in errors["p_kwh_per_km"][0] and "kWh/km" in errors["p_kwh_per_km"][0]
    assert not Measure.objects.exists()
    not_a_number = client_for(olga).post(
        "/o/nordlys/plan/measures/new/?kind=electric_cars", {**form, "p_kwh_per_km": "mye"}
    )
    assert "p_kwh_per_km" in not_a_number.context["form"].errors
    saved = client_for(olga).post(
        "/o/nordlys/plan/measures/new/?kind=electric_cars", {**form, "p_kwh_per_km": "0,18"}
    )
    assert saved.status_code == 302
    assert Measure.objects.get().params == {"share": 100.0, "kwh_per_km": 0.18}


def test_where_to_cut_offers_make_this_a_measure_to_who_keeps_the_plan(
    client_for: ClientFor, olga: User, emma: User, power: ReportingYear
) -> None:
    html = client_for(olga).get("/o/nordlys/2024/account/").content.decode()
    link = re.search(r'href="(/o/nordlys/plan/measures/new/\?[^"]*acts_on=electricity.no[^"]*)"', html)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    assert "kind=energy_efficiency" in url and "from=account%3A2024%3Aelectricity.no" in url
    form = client_for(olga).get(url).context["form"]
    assert form.chosen_kind == "energy_efficiency" and form.initial["acts_on"] == ["electricity.no"]
    assert "/plan/measures/new/" not in client_for(emma).get("/o/nordlys/2024/account/").content.decode()


def test_a_scenario_is_saved_with_its_order_and_closes_a_share_of_the_gap(
    client_for: ClientFor, olga: User, nordlys: Organisation, plan: dict[str, Measure], power: ReportingYear
) -> None:
    goo, diesel = plan["goo"], plan["diesel"]
    client = client_for(olga)
    response = client.post(
        "/o/nordlys/plan/scenarios/new/",
        {
            "name": "Plan 2030",
            f"m{diesel.pk}_chosen": "on",
            f"m{diesel.pk}_start": "2027",
            f"m{diesel.pk}_order": "1",
            f"m{goo.pk}_chosen": "on",
            f"m{goo.pk}_start": "2026",
            f"m{goo.pk}_order": "2",
        },
    )
    scenario = Scenario.objects.get()
    assert response.status_code == 302
    assert [(c.measure_id, c.start_year) for c in scenario.choices.all()] == [
        (diesel.pk, 2027),
        (goo.pk, 2026),
    ]
    effects = plan_effects(nordlys)
    # the target's boundary, 2024's scope 1+2 market-based: 1,000 l diesel × 2.51279 kg (DESNZ 2024,
    # ID 1_101_1011_8_1) + 100,000 kWh × 0.40491 kg (AIB residual mix NO) = 43.00379 t; the account's
    # total adds the diesel's well-to-tank part, 1,000 l × 0.61101 kg (ID 11_101_1011_8_1), scope 3.3
    assert effects.baseline_t_market == pytest.approx(43.00379 + 0.61101)
    base = Decimal("43.004")
    target = services.save_target(
        nordlys,
        services.TargetDraft(
            name="Scope 1+2",
            base_year=power,
            target_year=2030,
            coverage="scope_1_2",
            reduction_percent=Decimal("25.2"),
            base_t_co2e=base,
        ),
        olga,
    )
    projection = scenario_projection(scenario, target)
    assert projection is not None
    # gap in 2030 = 25.2 % of the base; closed: the guarantees' 40.491 t (scope 2) and the diesel cut's
    # scope 1 part, 0.5 × 1,000 l × 2.51279 kg = 1.256395 t; its well-to-tank part, 0.5 × 0.61101 t, is
    # scope 3.3, outside the target
    assert projection.gap.gap_t == pytest.approx(float(base) * 0.252)
    assert projection.gap.closed_t == pytest.approx(40.491 + 1.256395)
    assert effects.total_t("market") == pytest.approx(40.491 + 1.256395 + 0.305505)
    assert projection.scenario_pathway[2026] == pytest.approx(float(base) - effects.rows[0].t_market)
    page = client.get(f"/o/nordlys/plan/scenarios/{scenario.pk}/").content.decode()
    shown = f"{100 * projection.gap.share:.1f}".removesuffix(".0").replace(".", ",")
    # the target page's sentence (plans_targets.gap_text), word for word
    assert f"Denne planen lukker {shown}\u00a0% av gapet til målet for 2030." in page
    bad = client.post(
        f"/o/nordlys/plan/scenarios/{scenario.pk}/edit/",
        {"name": "Plan 2030", f"m{goo.pk}_chosen": "on", f"m{goo.pk}_start": "1999"},
    )
    assert bad.status_code == 400 and f"m{goo.pk}_start" in bad.context["form"].errors


def test_the_action_plan_xlsx_lists_every_measure_with_formulas_neutralised(
    client_for: ClientFor, emma: User, olga: User, nordlys: Organisation, plan: dict[str, Measure]
) -> None:
    services.save_measure(
        nordlys,
        services.MeasureDraft(
            title='=HYPERLINK("x")', kind="generic", params={"pct": 10}, acts_on=["scope_2"], start_year=2028
        ),
        olga,
    )
    response = client_for(emma).get("/o/nordlys/plan/measures/action-plan.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tiltaksplan-nordlys.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tiltaksplan"]
    rows = list(book["Tiltaksplan"].iter_rows(values_only=True))
    assert rows[0][:7] == ("Rekkefølge", "Tiltak", "Type", "Eier", "Status", "Frist", "Startår")
    effects = plan_effects(nordlys)
    goo = effects.rows[0]
    assert rows[1][1] == "Opprinnelsesgarantier" and rows[1][3] == str(olga) and rows[1][4] == "Planlagt"
    assert rows[1][8] == pytest.approx(round(goo.t_market, 3))
    assert rows[1][10] == round(goo.nok_per_tonne("market") or 0)
    assert rows[3][1] == '\'=HYPERLINK("x")'
    assert rows[4][1] == "Droppet" and rows[4][0] is None and rows[4][14] == "for dyrt"


def _get(path: str, token: str) -> tuple[int, Any]:
    response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.status_code, response.json()


def test_the_api_serves_targets_measures_with_effects_and_scenarios(
    nordlys: Organisation,
    alice: User,
    olga: User,
    mallory: User,
    fjordbakst: Organisation,
    plan: dict[str, Measure],
    power: ReportingYear,
) -> None:
    services.save_target(
        nordlys,
        services.TargetDraft(
            name="Scope 1+2",
            base_year=power,
            target_year=2030,
            coverage="scope_1_2",
            reduction_percent=Decimal("25.2"),
            base_t_co2e=Decimal("100"),
        ),
        olga,
    )
    services.save_scenario(nordlys, "Plan", [(plan["goo"], 2026)], olga)
    token = create_token(alice, nordlys, "ERP")[1]
    status, targets = _get("/api/v1/orgs/nordlys/targets", token)
    assert status == 200
    assert targets[0] | {"id": 0} == {
        "id": 0,
        "name": "Scope 1+2",
        "base_year": 2024,
        "target_year": 2030,
        "coverage": "scope_1_2",
        "scope3_categories": [],
        "scope2_method": "market",
        "metric": "absolute",
        "reduction_percent": "25.20",
        "base_t_co2e": "100.000",
        "target_t_co2e": "74.800",
        "ruleset": "",
        "sbti_validated_on": None,
    }
    status, measures = _get("/api/v1/orgs/nordlys/measures", token)
    effects = plan_effects(nordlys)
    assert status == 200 and measures["account_year"] == 2024
    by_title = {m["title"]: m for m in measures["measures"]}
    assert by_title["Droppet"]["effect"] is None
    assert by_title["Opprinnelsesgarantier"]["effect"]["t_co2e_market_per_year"] == round(
        effects.rows[0].t_market, 3
    )
    assert by_title["Opprinnelsesgarantier"]["effect"]["t_co2e_location_per_year"] == 0.0
    status, scenarios = _get("/api/v1/orgs/nordlys/scenarios", token)
    assert status == 200 and scenarios[0]["name"] == "Plan"
    gap = scenarios[0]["gaps"][0]
    # gap 25.2 t (25.2 % of 100 t); closed: the guarantees' market-based tonnes
    assert gap["gap_t_co2e"] == pytest.approx(25.2) and gap["closed_t_co2e"] == round(
        effects.rows[0].t_market, 3
    )
    other = create_token(mallory, fjordbakst, "ERP")[1]
    for path in ("targets", "measures", "scenarios"):
        assert _get(f"/api/v1/orgs/nordlys/{path}", other)[0] == 404
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/orgs/{org}/targets",
        "/api/v1/orgs/{org}/measures",
        "/api/v1/orgs/{org}/scenarios",
    } <= set(paths)


def test_klimabok_plan_show_prints_the_plan(
    nordlys: Organisation, olga: User, plan: dict[str, Measure]
) -> None:
    services.save_scenario(nordlys, "Plan", [(plan["goo"], 2026), (plan["diesel"], 2027)], olga)
    _register()
    result = CliRunner().invoke(app, ["plan", "show", "nordlys", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    effects = plan_effects(nordlys)
    assert data["account_year"] == 2024
    assert [(m["title"], m["position"]) for m in data["measures"]] == [
        ("Opprinnelsesgarantier", 1),
        ("Mindre diesel", 2),
        ("Droppet", None),
    ]
    assert data["measures"][0]["t_co2e_market_per_year"] == round(effects.rows[0].t_market, 3)
    assert data["scenarios"][0]["t_co2e_market_per_year"] == round(effects.total_t("market"), 3)
    text = CliRunner().invoke(app, ["plan", "show", "nordlys"])
    assert text.exit_code == 0 and "Opprinnelsesgarantier" in text.output and "Scenarios" in text.output
    assert CliRunner().invoke(app, ["plan", "show", "nobody"]).exit_code == 1
    assert Target.objects.count() == 0


def test_a_free_measure_gets_a_readable_axis_and_a_visible_block() -> None:
    """0 NOK per tonne: the axis still reaches 100 NOK in steps of 25 (it had ticks of 0.25 NOK, every one
    written "0"), and the block is drawn 4 px high on the axis instead of not at all."""
    from klimabok.plans.macc_chart import Block, macc_chart

    svg = str(
        macc_chart(
            [Block(1, "Gratis", 8.0, 0.0)],
            title="t",
            x_label="t/år",
            y_label="NOK/t",
            empty_text="",
            tonnes=lambda v: f"{v:g}",
            nok=lambda v: f"{v:.0f}",
        )
    )
    labels = re.findall(r'text-anchor="end" font-size="11" fill="[^"]+">([^<]+)<', svg)
    assert labels == ["0", "25", "50", "75", "100"]
    assert re.search(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="4"', svg)


def test_a_tiny_outlier_does_not_flatten_the_curve() -> None:
    """Waste sorting in the demo avoids 0.05 t a year at −106 646 NOK/t: the axis is sized by the blocks
    with at least 2 % of the tonnes (−5 010 … 2 774 NOK/t here), and the outlier is cut at the edge with
    its number and true figure written beside it."""
    from klimabok.plans.macc_chart import Block, macc_chart

    svg = str(
        macc_chart(
            [Block(1, "Avfall", 0.05, -106_646.0), Block(2, "Tog", 12.0, -5_010.0),
             Block(3, "IT", 5.4, 2_774.0), Block(4, "Hjemmekontor", 29.8, 0.0)],
            title="t", x_label="t/år", y_label="NOK/t", empty_text="",
            tonnes=lambda v: f"{v:g}", nok=lambda v: f"{v:.0f}",
        )
    )
    labels = [int(v) for v in re.findall(r'text-anchor="end" font-size="11" fill="[^"]+">([^<]+)<', svg)]
    assert min(labels) > -10_000 and max(labels) < 10_000  # not stretched to −106 646
    assert '<text x="' in svg and ">1. ↓ -106646</text>" in svg
