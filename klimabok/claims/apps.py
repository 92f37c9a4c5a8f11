from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    """What a client may say in public about its emissions and credits (the claims page)."""

    name = "klimabok.claims"
    label = "claims"
    verbose_name = "Claims"
