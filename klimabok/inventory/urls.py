"""Inventory URLs: an organisation's sites and years, data entry and uploads, under ``/o/<slug>/``."""

from django.urls import path

from klimabok.inventory.views import entry, flight_report, grid, upload, years

app_name = "inventory"

urlpatterns = [
    path("o/<slug:slug>/years/", years.year_create, name="year_create"),
    path("o/<slug:slug>/sites/", years.sites, name="sites"),
    path("o/<slug:slug>/sites/<int:pk>/", years.site_edit, name="site_edit"),
    path("o/<slug:slug>/sites/<int:pk>/delete/", years.site_delete, name="site_delete"),
    path("o/<slug:slug>/<int:year>/entries/new/", entry.entry_kinds, name="entry_kinds"),
    path("o/<slug:slug>/<int:year>/entries/copy-last-year/", entry.copy_last_year, name="copy_last_year"),
    path("o/<slug:slug>/<int:year>/entries/new/<slug:kind>/", entry.entry_new, name="entry_new"),
    path("o/<slug:slug>/<int:year>/entries/grid/", grid.grid, name="grid"),
    path("o/<slug:slug>/<int:year>/flights/import/", flight_report.flight_report, name="flight_report"),
    path("o/<slug:slug>/<int:year>/entries/<int:pk>/", entry.entry_edit, name="entry_edit"),
    path("o/<slug:slug>/<int:year>/entries/<int:pk>/delete/", entry.entry_delete, name="entry_delete"),
    path("o/<slug:slug>/<int:year>/template.xlsx", upload.template_download, name="template"),
    path("o/<slug:slug>/<int:year>/upload/", upload.upload, name="upload"),
    path("o/<slug:slug>/<int:year>/upload/<int:pk>/delete/", upload.upload_delete, name="upload_delete"),
]
