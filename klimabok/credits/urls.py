from django.urls import path
from django.views.generic import RedirectView

from klimabok.credits.views import portfolio as views

app_name = "credits"

urlpatterns = [
    path("partner/credits/", views.portfolio, name="portfolio"),
    path("partner/credits/import/", views.import_export, name="import"),
    path("partner/credits/add/", views.add_block, name="add"),
    path("partner/credits/policy/", views.policy, name="policy"),
    path("partner/credits/projects/<int:pk>/", views.project_edit, name="project"),
    path("partner/log/", views.events_page, name="events"),
    # The page's address while the chain held credit events only ("the credits ledger"): bookmarks work.
    path("partner/ledger/", RedirectView.as_view(pattern_name="credits:events", query_string=True,
                                                 permanent=True), name="events_former"),
]
