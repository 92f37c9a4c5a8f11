from django.apps import AppConfig


class AccountConfig(AppConfig):
    """A year's climate account: assembled from activity data and ledger spend, its figures,
    exports and pages, and closing, reopening and recalculating it."""

    name = "klimabok.account"
    label = "account"
