from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountConfig(AppConfig):
    """A year's climate account: assembled from activity data and ledger spend, its figures,
    exports and pages, and closing, reopening and recalculating it."""

    name = "klimabok.account"
    label = "account"

    def ready(self) -> None:
        from klimabok.account import revision

        # Sent once per app with models after the whole migrate; the inventory app's is enough (this
        # app has no models, so none is sent for it). Every migrate re-installs the data revision
        # triggers: a table Django rebuilt on SQLite has lost them.
        def install(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
            if sender.label == "inventory":
                revision.install_after_migrate(using=using)

        post_migrate.connect(install, weak=False, dispatch_uid="klimabok.account.revision")
