from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The one audit trail: append-only, hash-chained events of every change that must be accounted for."""

    name = "klimabok.audit"
    label = "audit"
    verbose_name = "Audit trail"
