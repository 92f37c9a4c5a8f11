"""Ledger URLs under ``/o/<slug>/<year>/``: the SAF-T imports, and the spend-based part of the account."""

from django.urls import path

from klimabok.ledger import gl_views, spend_views, views

app_name = "ledger"

urlpatterns = [
    path("o/<slug:slug>/<int:year>/ledger/", views.imports, name="imports"),
    path("o/<slug:slug>/<int:year>/ledger/<int:pk>/", views.detail, name="import"),
    path("o/<slug:slug>/<int:year>/ledger/<int:pk>/status.json", views.status, name="import_status"),
    path("o/<slug:slug>/<int:year>/ledger/<int:pk>/confirm/", views.confirm, name="import_confirm"),
    path("o/<slug:slug>/<int:year>/ledger/<int:pk>/delete/", views.delete, name="import_delete"),
    path("o/<slug:slug>/<int:year>/ledger/gl/", gl_views.gl_upload, name="gl_upload"),
    path("o/<slug:slug>/<int:year>/ledger/gl/<str:token>/", gl_views.gl_preview, name="gl_preview"),
    path("o/<slug:slug>/<int:year>/account/spend/overrides/", spend_views.spend_overrides,
         name="spend_overrides"),
    path("o/<slug:slug>/<int:year>/account/spend/overrides/carry-over/", spend_views.spend_overrides_carry,
         name="spend_overrides_carry"),
    path("o/<slug:slug>/<int:year>/account/spend/overrides/<int:pk>/delete/",
         spend_views.spend_override_delete, name="spend_override_delete"),
]
