"""Claims URLs: what an organisation may say about a reporting year, under ``/o/<slug>/<year>/``."""

from django.urls import path

from klimabok.claims.views import claims as views

app_name = "claims"

urlpatterns = [
    path("o/<slug:slug>/<int:year>/claims/", views.claims_page, name="claims"),
    path("o/<slug:slug>/<int:year>/claims/prerequisites/", views.prerequisites, name="prerequisites"),
]
