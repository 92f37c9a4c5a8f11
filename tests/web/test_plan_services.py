"""The plan's writes refuse bad input at the field, in bokmål, with nothing saved; each change is audited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from klimabok.accounts.models import Organisation, User
from klimabok.audit.models import Event
from klimabok.core.errors import InputErrors
from klimabok.inventory.models import ReportingYear
from klimabok.plans import services
from klimabok.plans.models import Measure, Target, TargetRecalculation
from klimabok.web.core_messages import localise
from tests.web.plans_setup import closed_2024, open_2025

__all__ = ["closed_2024", "open_2025"]


def problems(exc: pytest.ExceptionInfo[InputErrors]) -> dict[str, str]:
    return {error.field or "": localise(error.problem) for error in exc.value.errors}


def target(base: ReportingYear, **changes: object) -> services.TargetDraft:
    values: dict[str, object] = {
        "name": "Scope 1+2 2030",
        "base_year": base,
        "target_year": 2030,
        "coverage": Target.Coverage.SCOPE_1_2,
        "reduction_percent": Decimal("25.2"),
        "base_t_co2e": Decimal("120.5"),
    }
    return services.TargetDraft(**{**values, **changes})  # type: ignore[arg-type]


def test_a_target_on_an_open_year_before_its_base_and_over_100_percent_is_refused_field_by_field(
    nordlys: Organisation, olga: User, closed_2024: ReportingYear, open_2025: ReportingYear
) -> None:
    with pytest.raises(InputErrors) as refused:
        services.save_target(
            nordlys, target(open_2025, target_year=2024, reduction_percent=Decimal(120)), olga
        )
    assert problems(refused) == {
        "base_year": "2025 er ikke låst: et basisår må være et låst år, så tallene ikke lenger endrer seg.",
        "target_year": "Målåret (2024) må komme etter basisåret (2025).",
        "reduction_percent": "En reduksjon er mellom 0 og 100 % (ikke 120 %).",
    }
    assert not Target.objects.exists() and not Event.objects.exists()


def test_a_target_is_saved_and_its_recalculation_keeps_both_base_values(
    nordlys: Organisation, olga: User, closed_2024: ReportingYear
) -> None:
    saved = services.save_target(nordlys, target(closed_2024), olga)
    assert (saved.base_calendar_year, saved.base_t_co2e) == (2024, Decimal("120.500"))
    services.record_recalculation(saved, Decimal("131.0"), TargetRecalculation.Reason.ACQUISITION, "", olga)
    saved.refresh_from_db()
    recalculation = saved.recalculations.get()
    assert (recalculation.old_base_t_co2e, recalculation.new_base_t_co2e, saved.base_t_co2e) == (
        Decimal("120.500"),
        Decimal("131.000"),
        Decimal("131.000"),
    )
    events = list(
        Event.objects.filter(kind__startswith="plans.").values_list("kind", "actor_label", "subject")
    )
    assert events == [
        ("plans.target_saved", "olga@nordlys.example", f"target:nordlys/{saved.pk}"),
        ("plans.target_recalculated", "olga@nordlys.example", f"target:nordlys/{saved.pk}"),
    ]
    assert Event.objects.last().payload["old_base_t_co2e"] == "120.500"  # type: ignore[union-attr]


def test_a_measure_with_a_parameter_out_of_range_and_absurd_costs_is_refused_with_nothing_saved(
    nordlys: Organisation, olga: User, closed_2024: ReportingYear
) -> None:
    draft = services.MeasureDraft(
        title="Elbiler",
        kind="electric_cars",
        start_year=2026,
        params={"kwh_per_km": 3},
        capex_nok=Decimal("2e10"),
        lifetime_years=0,
        discount_rate_percent=Decimal(35),
        acts_on=["fuel.", "flight.domestic"],
    )
    with pytest.raises(InputErrors) as refused:
        services.save_measure(nordlys, draft, olga)
    found = problems(refused)
    # the core's message (klimabok.core.plan.measures): its range 0.05–0.5 kWh/km, in the catalogue's language
    assert "0.05" in found["params.kwh_per_km"] and "kWh/km" in found["params.kwh_per_km"]
    assert found["capex_nok"] == (
        "En engangskostnad over 10 000 000 000 kroner er nok heller en tastefeil: sjekk beløpet."
    )
    assert found["lifetime_years"] == "Et tiltak varer minst ett år."
    assert found["discount_rate_percent"] == "Diskonteringsrenten er mellom 0 og 30 % i året (ikke 35 %)."
    # fuel.diesel was entered in 2024; no flight was
    assert found["acts_on"].startswith("Ingen linje i regnskapet passer med flight.domestic:")
    assert not Measure.objects.exists() and not Event.objects.exists()


def test_a_measure_change_is_audited_with_what_changed(
    nordlys: Organisation, olga: User, carl: User, closed_2024: ReportingYear
) -> None:
    measure = services.save_measure(
        nordlys,
        services.MeasureDraft(title="Elbiler", kind="electric_cars", start_year=2026, acts_on=["fuel."]),
        olga,
    )
    services.set_measure_status(measure, "in_progress", "", carl)
    with pytest.raises(InputErrors) as refused:
        services.set_measure_status(measure, "dropped", " ", carl)
    assert problems(refused) == {"dropped_reason": "Skriv hvorfor det droppes."}
    last = Event.objects.filter(kind="plans.measure_saved").last()
    assert last is not None and last.actor_label == "carl@nordlys.example"
    assert last.payload == {"created": False, "changed": {"status": ["idea", "in_progress"]}}


def test_an_owner_from_another_organisation_is_refused(
    nordlys: Organisation, olga: User, mallory: User
) -> None:
    with pytest.raises(InputErrors) as refused:
        services.save_goal(nordlys, services.GoalDraft(title="Miljøfyrtårn 2027", owner=mallory), olga)
    assert problems(refused) == {"owner": "Mallory Outsider er ikke medlem av Nordlys Kundesenter AS."}
