from django.apps import AppConfig


class InventoryConfig(AppConfig):
    """Reporting years, organisation facts, activity data and the climate account."""

    name = "klimabok.inventory"
    label = "inventory"

    def ready(self) -> None:
        from klimabok.inventory.kept_files import connect

        connect()
