from django.apps import AppConfig


class CompensationConfig(AppConfig):
    """The client's compensation: residual emissions, credit orders, and the partner's retirements."""

    name = "klimabok.compensation"
    label = "compensation"
    verbose_name = "Compensation"
