from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """General-ledger (SAF-T) imports and their spend lines, aggregated per account and supplier."""

    name = "klimabok.ledger"
    label = "ledger"
