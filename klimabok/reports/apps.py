from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports made from the account and the plan: the Miljøfyrtårn annual report, the public climate page."""

    name = "klimabok.reports"
    label = "reports"
    verbose_name = "Reports"
