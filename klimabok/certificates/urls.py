"""Certificate URLs: the public verification page, PDF and badge (no login), and the client's list."""

from django.urls import path

from klimabok.certificates.views import client, public

app_name = "certificates"

urlpatterns = [
    path("verify/<str:token>/", public.verify, name="verify"),
    path("verify/<str:token>/certificate.pdf", public.certificate_pdf, name="pdf"),
    path("verify/<str:token>/badge.svg", public.badge, name="badge"),
    path("o/<slug:slug>/certificates/", client.certificate_list, name="list"),
    path("o/<slug:slug>/certificates/issue/<int:retirement_id>/", client.issue, name="issue"),
    path("o/<slug:slug>/certificates/<str:number>/revoke/", client.revoke, name="revoke"),
]
