"""Scenarios: named sets of the organisation's measures, each with the year it starts in the scenario.

The order of the choices is the order the core applies the measures in (each on what the ones before
it left), so it is kept (``ScenarioMeasure.position``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_noop

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.plans.models import FIRST_START_YEAR, Measure, Scenario, ScenarioMeasure
from klimabok.plans.services.common import Problems, problem, record, refuse_if


@transaction.atomic
def save_scenario(
    organisation: Organisation,
    name: str,
    choices: Sequence[tuple[Measure, int]],
    user: User | None,
    *,
    description: str = "",
    scenario: Scenario | None = None,
) -> Scenario:
    """Create a scenario, or replace ``scenario``'s name and choices: ``(measure, start year)`` in order."""
    found: Problems = []
    if not name.strip():
        found.append(("name", problem(gettext_noop("Give the scenario a name."))))
    elif (
        Scenario.objects.filter(organisation=organisation, name__iexact=name.strip())
        .exclude(pk=scenario.pk if scenario else 0)
        .exists()
    ):
        found.append(
            (
                "name",
                problem(gettext_noop("There is already a scenario called “%(name)s”."), name=name.strip()),
            )
        )
    if any(measure.organisation_id != organisation.pk for measure, _year in choices):
        found.append(
            ("measures", problem(gettext_noop("A scenario chooses among the organisation's own measures.")))
        )
    if len({measure.pk for measure, _year in choices}) != len(choices):
        found.append(("measures", problem(gettext_noop("Each measure is chosen once."))))
    bad_years = sorted({year for _measure, year in choices if not FIRST_START_YEAR <= year <= 2100})
    if bad_years:
        found.append(
            (
                "measures",
                problem(
                    gettext_noop("A start year is between 2000 and 2100 (not %(years)s)."),
                    years=", ".join(map(str, bad_years)),
                ),
            )
        )
    refuse_if(found)
    row = scenario or Scenario(organisation=organisation, created_by=user)
    before = (
        None
        if scenario is None
        else {
            "name": scenario.name,
            "measures": [[c.measure_id, c.start_year] for c in scenario.choices.all()],
        }
    )
    row.name, row.description = name.strip(), description.strip()
    row.save()
    row.choices.all().delete()
    ScenarioMeasure.objects.bulk_create(
        ScenarioMeasure(scenario=row, measure=measure, start_year=year, position=position)
        for position, (measure, year) in enumerate(choices)
    )
    after = {"name": row.name, "measures": [[measure.pk, year] for measure, year in choices]}
    record(
        row,
        organisation,
        user,
        Kind.PLANS_SCENARIO_SAVED,
        "scenario",
        {"created": before is None, "before": before, "after": after},
    )
    return row
