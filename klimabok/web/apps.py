from django.apps import AppConfig


class WebConfig(AppConfig):
    """Shared web pieces: base templates, middleware, template filters, static files."""

    name = "klimabok.web"
    label = "web"
