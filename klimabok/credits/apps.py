from django.apps import AppConfig


class CreditsConfig(AppConfig):
    """The climate partner's credit portfolio, screening, orders, retirements and the hash-chained ledger."""

    name = "klimabok.credits"
    label = "credits"
    verbose_name = "Carbon credits"
