from django.apps import AppConfig


class FactorsConfig(AppConfig):
    """Imported emission-factor datasets, the catalogue with imports, and the factor-library page."""

    name = "klimabok.factors"
    label = "factors"
    verbose_name = "Emission factors"
