from django.apps import AppConfig


class CreditsConfig(AppConfig):
    """The climate partner's credit portfolio, screening, orders and retirements (their events: the audit
    trail's)."""

    name = "klimabok.credits"
    label = "credits"
    verbose_name = "Carbon credits"
