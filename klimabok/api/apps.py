from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API and its tokens."""

    name = "klimabok.api"
    label = "api"
    verbose_name = "API"
