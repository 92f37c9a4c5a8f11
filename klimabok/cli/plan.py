"""``klimabok plan show ORG [--json]``: an organisation's plan — its targets, its measures with their effect
computed in sequence on the latest closed year's account, and the share of the gap each scenario closes."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import typer

from klimabok.cli import django_setup, fail, reports_errors

app = typer.Typer(no_args_is_help=True)


def _n(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}".replace(",", " ")


def plan_data(slug: str) -> dict[str, Any]:
    """The plan of organisation ``slug`` as plain data (what ``--json`` prints)."""
    from klimabok.accounts.models import Organisation
    from klimabok.plans.models import Measure, Scenario
    from klimabok.plans.read_models import targets_of
    from klimabok.plans.scenarios import plan_effects, projections, scenario_effects

    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        fail(f"no organisation {slug!r}")
    targets = targets_of(organisation)
    effects = plan_effects(organisation)
    measures = list(Measure.objects.filter(organisation=organisation).select_related("owner").order_by("pk"))
    scenarios = []
    for scenario in Scenario.objects.filter(organisation=organisation).order_by("name"):
        chosen = scenario_effects(scenario)
        projected = projections(chosen, targets)
        scenarios.append(
            {
                "name": scenario.name,
                "measures": [row.measure.pk for row in chosen.rows],
                "t_co2e_market_per_year": round(chosen.total_market, 3),
                "gaps": [
                    {
                        "target": p.target.name,
                        "year": p.gap.year,
                        "share": round(p.gap.share, 4),
                        "gap_t_co2e": round(p.gap.gap_t, 3),
                        "closed_t_co2e": round(p.gap.closed_t, 3),
                        "text": str(p.gap.message),
                    }
                    for p in projected
                ],
            }
        )

    def measure(m: Measure) -> dict[str, Any]:
        row = effects.row_of(m.pk)
        computed = row is not None and row.effect is not None
        return {
            "id": m.pk,
            "title": m.title,
            "kind": m.kind,
            "status": m.status,
            "owner": str(m.owner) if m.owner else None,
            "deadline": m.deadline.isoformat() if m.deadline else None,
            "start_year": m.start_year,
            "position": row.position if row else None,
            "t_co2e_location_per_year": round(row.t_location, 3) if row and computed else None,
            "t_co2e_market_per_year": round(row.t_market, 3) if row and computed else None,
            "nok_per_tonne_market": _round(row.nok_per_tonne("market")) if row else None,
            "nok_per_tonne_location": _round(row.nok_per_tonne("location")) if row else None,
            "notes": [str(note) for note in row.notes] if row else [],
        }

    return {
        "organisation": organisation.slug,
        "account_year": effects.year.year if effects.year else None,
        "problem": str(effects.problem) if effects.problem else None,
        "baseline_t_co2e_market": round(effects.baseline_t_market, 3),
        "baseline_t_co2e_location": round(effects.baseline_t_location, 3),
        "targets": [
            {
                "name": t.name,
                "base_year": t.base_calendar_year,
                "target_year": t.target_year,
                "coverage": t.coverage,
                "scope2_method": t.scope2_method,
                "metric": t.metric,
                "reduction_percent": str(t.reduction_percent),
                "base_t_co2e": str(t.base_t_co2e),
                "target_t_co2e": str(
                    (t.base_t_co2e * (1 - t.reduction_percent / 100)).quantize(Decimal("0.001"))
                ),
            }
            for t in targets
        ],
        "measures": sorted(
            (measure(m) for m in measures), key=lambda d: (d["position"] is None, d["position"] or 0, d["id"])
        ),
        "scenarios": scenarios,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value)


@app.command("show")
@reports_errors
def show(
    org: str = typer.Argument(..., help="The organisation's slug."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Print the organisation's targets, its measures with their effects and its scenarios' gap closed."""
    django_setup()
    data = plan_data(org)
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    year = data["account_year"]
    typer.echo(
        f"{org}: plan on the account of {year} (the latest closed year)"
        if year
        else f"{org}: {data['problem']}"
    )
    typer.echo("\nTargets")
    for t in data["targets"]:
        typer.echo(
            f"  {t['name']}: {t['coverage']} ({t['scope2_method']}), {t['base_year']} → {t['target_year']}, "
            f"−{t['reduction_percent']} %: {t['base_t_co2e']} t → {t['target_t_co2e']} t"
        )
    if not data["targets"]:
        typer.echo("  (none)")
    typer.echo(
        f"\nMeasures (t CO2e a year, in sequence; {_n(data['baseline_t_co2e_market'])} t market-based "
        "before them)"
    )
    typer.echo(
        f"  {'#':>3}  {'measure':<44}{'status':<13}{'owner':<24}{'t market':>10}{'t location':>12}"
        f"{'NOK/t':>10}"
    )
    for m in data["measures"]:
        typer.echo(
            f"  {m['position'] or '–':>3}  {m['title'][:43]:<44}{m['status']:<13}"
            f"{(m['owner'] or '–')[:23]:<24}"
            f"{_n(m['t_co2e_market_per_year']):>10}{_n(m['t_co2e_location_per_year']):>12}"
            f"{_n(m['nok_per_tonne_market'], 0):>10}"
        )
    typer.echo("\nScenarios")
    for s in data["scenarios"]:
        typer.echo(f"  {s['name']}: {_n(s['t_co2e_market_per_year'])} t a year (market-based)")
        for gap in s["gaps"]:
            typer.echo(f"    {gap['target']}: {gap['text']}")
    if not data["scenarios"]:
        typer.echo("  (none)")
