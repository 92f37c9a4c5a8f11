"""Report URLs: the organisation's reports (login) and its public climate page (no login)."""

from django.urls import path

from klimabok.reports.views import datapoints as datapoint_views
from klimabok.reports.views import index, jobs, miljofyrtarn, public
from klimabok.reports.views.audit_bundle import download as audit_bundle_download
from klimabok.reports.views.ghg import board_summary_pdf, inventory_pdf

app_name = "reports"

urlpatterns = [
    path("o/<slug:slug>/reports/", index.index, name="index"),
    path("o/<slug:slug>/reports/public-page/", index.public_page_settings, name="public_page_settings"),
    path("o/<slug:slug>/reports/<int:year>/miljofyrtarn/", miljofyrtarn.report, name="miljofyrtarn"),
    path(
        "o/<slug:slug>/reports/<int:year>/miljofyrtarn.xlsx",
        miljofyrtarn.report_xlsx,
        name="miljofyrtarn_xlsx",
    ),
    path(
        "o/<slug:slug>/reports/<int:year>/miljofyrtarn.pdf", miljofyrtarn.report_pdf, name="miljofyrtarn_pdf"
    ),
    path(
        "o/<slug:slug>/reports/<int:year>/miljofyrtarn/figures/",
        miljofyrtarn.figures,
        name="miljofyrtarn_figures",
    ),
    path("climate/<slug:slug>/", public.public_page, name="public_page"),
    path("o/<slug:slug>/reports/<int:year>/audit-bundle.zip", audit_bundle_download, name="audit_bundle"),
    path("o/<slug:slug>/reports/<int:year>/audit-bundle/make/", jobs.start_audit_bundle,
         name="audit_bundle_start"),
    path("o/<slug:slug>/reports/<int:year>/account-export/<str:fmt>/make/", jobs.start_account_export,
         name="account_export_start"),
    path("o/<slug:slug>/reports/jobs/<int:pk>/", jobs.job_page, name="job"),
    path("o/<slug:slug>/reports/jobs/<int:pk>/status.json", jobs.job_status, name="job_status"),
    path("o/<slug:slug>/reports/jobs/<int:pk>/download", jobs.job_download, name="job_download"),
    path("o/<slug:slug>/reports/<int:year>/ghg-inventory.pdf", inventory_pdf, name="ghg_inventory_pdf"),
    path("o/<slug:slug>/reports/<int:year>/board-summary.pdf", board_summary_pdf, name="board_summary_pdf"),
    path("o/<slug:slug>/reports/<int:year>/vsme.json", datapoint_views.vsme_json, name="vsme_json"),
    path("o/<slug:slug>/reports/<int:year>/vsme.xhtml", datapoint_views.vsme_ixbrl, name="vsme_ixbrl"),
    path("o/<slug:slug>/reports/<int:year>/vsme.xlsx", datapoint_views.vsme_xlsx, name="vsme_xlsx"),
    path("o/<slug:slug>/reports/<int:year>/esrs-e1.json", datapoint_views.esrs_e1_json, name="esrs_e1_json"),
    path("o/<slug:slug>/reports/<int:year>/esrs-e1.xlsx", datapoint_views.esrs_e1_xlsx, name="esrs_e1_xlsx"),
]
