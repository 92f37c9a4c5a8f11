from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("klimabok.accounts.urls")),
    path("", include("klimabok.factors.urls")),
    path("", include("klimabok.inventory.urls")),
    path("", include("klimabok.ledger.urls")),
    path("", include("klimabok.survey.urls")),
    path("", include("klimabok.account.urls")),
    path("", include("klimabok.plans.urls")),
    path("", include("klimabok.claims.urls")),
    path("", include("klimabok.credits.urls")),
    path("", include("klimabok.certificates.urls")),
    path("", include("klimabok.compensation.urls")),
    path("", include("klimabok.reports.urls")),
    path("", include("klimabok.engagement.urls")),
    path("", include("klimabok.api.urls")),
]
