from django.apps import AppConfig


class PlansConfig(AppConfig):
    """Turning the account into cuts: targets and their recalculations, the organisation's own goals,
    measures with their notes and evidence, scenarios, the annual wheel (årshjul) and its reminders."""

    name = "klimabok.plans"
    label = "plans"
