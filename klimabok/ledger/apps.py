from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """General-ledger (SAF-T) imports and their spend lines, aggregated per account and supplier."""

    name = "klimabok.ledger"
    label = "ledger"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from klimabok.inventory.kept_files import forget
        from klimabok.ledger.models import LedgerImport

        def deleted(sender: type[LedgerImport], instance: LedgerImport, **kwargs: object) -> None:
            forget(instance.kept_file)

        post_delete.connect(deleted, sender=LedgerImport, weak=False, dispatch_uid="ledger.import.kept_file")
