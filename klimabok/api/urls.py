"""``/api/v1/``: the JSON API; its OpenAPI document is ``/api/v1/openapi.json``."""

from django.urls import path

from klimabok.api.v1 import api

urlpatterns = [path("api/v1/", api.urls)]
