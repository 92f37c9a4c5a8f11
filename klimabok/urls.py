from django.urls import include, path

from klimabok.ledger import mapping_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("klimabok.accounts.urls")),
    path("", include("klimabok.factors.urls")),
    path("", include("klimabok.inventory.urls")),
    path("", include("klimabok.ledger.urls")),
    path("", include("klimabok.account.urls")),
    path("", include("klimabok.claims.urls")),
    path("", include("klimabok.credits.urls")),
    path("", include("klimabok.certificates.urls")),
    path("", include("klimabok.compensation.urls")),
    path("", include("klimabok.api.urls")),
    path("partner/spend-mapping/", mapping_views.spend_mapping, name="spend_mapping"),
    path("partner/spend-mapping/<str:key>/", mapping_views.spend_mapping_edit, name="spend_mapping_edit"),
]
