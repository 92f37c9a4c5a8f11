from django.apps import AppConfig


class InventoryConfig(AppConfig):
    """Reporting years, organisation facts, activity data and the climate account."""

    name = "klimabok.inventory"
    label = "inventory"
