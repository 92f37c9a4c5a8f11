"""Plan URLs: the ombudsman's dashboard, goals, measures and the annual wheel, under ``/o/<slug>/plan/``."""

from django.urls import path

from klimabok.plans.views import dashboard, goals, macc, measures, scenarios, targets, wheel

app_name = "plans"

urlpatterns = [
    path("o/<slug:slug>/plan/", dashboard.dashboard, name="dashboard"),
    path("o/<slug:slug>/plan/goals/", goals.goal_list, name="goals"),
    path("o/<slug:slug>/plan/goals/new/", goals.goal_new, name="goal_new"),
    path("o/<slug:slug>/plan/goals/<int:pk>/edit/", goals.goal_edit, name="goal_edit"),
    path("o/<slug:slug>/plan/measures/", measures.measure_list, name="measures"),
    path("o/<slug:slug>/plan/measures/new/", measures.measure_new, name="measure_new"),
    path("o/<slug:slug>/plan/measures/<int:pk>/", measures.measure_detail, name="measure"),
    path("o/<slug:slug>/plan/measures/<int:pk>/edit/", measures.measure_edit, name="measure_edit"),
    path("o/<slug:slug>/plan/measures/<int:pk>/status/", measures.measure_status, name="measure_status"),
    path("o/<slug:slug>/plan/measures/<int:pk>/notes/", measures.measure_note, name="measure_note"),
    path(
        "o/<slug:slug>/plan/measures/<int:pk>/evidence/", measures.measure_evidence, name="measure_evidence"
    ),
    path("o/<slug:slug>/plan/evidence/<int:pk>/", measures.evidence_download, name="evidence_download"),
    path("o/<slug:slug>/plan/measures/action-plan.xlsx", macc.action_plan_export, name="action_plan_xlsx"),
    path("o/<slug:slug>/plan/cost-curve/", macc.cost_curve, name="cost_curve"),
    path("o/<slug:slug>/plan/scenarios/", scenarios.scenario_list, name="scenarios"),
    path("o/<slug:slug>/plan/scenarios/new/", scenarios.scenario_new, name="scenario_new"),
    path("o/<slug:slug>/plan/scenarios/<int:pk>/", scenarios.scenario_detail, name="scenario"),
    path("o/<slug:slug>/plan/scenarios/<int:pk>/edit/", scenarios.scenario_edit, name="scenario_edit"),
    path("o/<slug:slug>/plan/targets/", targets.target_list, name="targets"),
    path("o/<slug:slug>/plan/targets/new/", targets.target_new, name="target_new"),
    path("o/<slug:slug>/plan/targets/<int:pk>/", targets.target_detail, name="target"),
    path("o/<slug:slug>/plan/targets/<int:pk>/edit/", targets.target_edit, name="target_edit"),
    path(
        "o/<slug:slug>/plan/targets/<int:pk>/recalculate/",
        targets.target_recalculate,
        name="target_recalculate",
    ),
    path("o/<slug:slug>/plan/wheel/", wheel.wheel, name="wheel"),
    path("o/<slug:slug>/plan/wheel/defaults/", wheel.wheel_defaults, name="wheel_defaults"),
    path("o/<slug:slug>/plan/wheel/new/", wheel.wheel_task_new, name="wheel_task_new"),
    path("o/<slug:slug>/plan/wheel/<int:pk>/edit/", wheel.wheel_task_edit, name="wheel_task_edit"),
    path("o/<slug:slug>/plan/wheel/<int:pk>/done/", wheel.wheel_task_done, name="wheel_task_done"),
]
