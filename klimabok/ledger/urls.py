"""Ledger URLs: the imports of a year under ``/o/<slug>/<year>/ledger/``, the year's spend overrides,
and the climate partner's spend mapping under ``/partner/spend-mapping/``."""

from django.urls import path

from klimabok.ledger.views import general_ledger, imports, mapping, overrides

app_name = "ledger"

urlpatterns = [
    path("o/<slug:slug>/<int:year>/ledger/", imports.imports, name="imports"),
    path("o/<slug:slug>/<int:year>/ledger/<int:pk>/", imports.detail, name="import"),
    path("o/<slug:slug>/<int:year>/ledger/<int:pk>/status.json", imports.status, name="import_status"),
    path("o/<slug:slug>/<int:year>/ledger/<int:pk>/confirm/", imports.confirm, name="import_confirm"),
    path("o/<slug:slug>/<int:year>/ledger/<int:pk>/delete/", imports.delete, name="import_delete"),
    path("o/<slug:slug>/<int:year>/ledger/gl/", general_ledger.gl_upload, name="gl_upload"),
    path("o/<slug:slug>/<int:year>/ledger/gl/<str:token>/", general_ledger.gl_preview, name="gl_preview"),
    path("o/<slug:slug>/<int:year>/account/spend/overrides/", overrides.spend_overrides,
         name="spend_overrides"),
    path("o/<slug:slug>/<int:year>/account/spend/overrides/carry-over/", overrides.spend_overrides_carry,
         name="spend_overrides_carry"),
    path("o/<slug:slug>/<int:year>/account/spend/overrides/<int:pk>/delete/",
         overrides.spend_override_delete, name="spend_override_delete"),
    path("o/<slug:slug>/<int:year>/account/spend/coverage/", overrides.coverage_rule, name="coverage_rule"),
    path("partner/spend-mapping/", mapping.spend_mapping, name="spend_mapping"),
    path("partner/spend-mapping/<str:key>/", mapping.spend_mapping_edit, name="spend_mapping_edit"),
]
