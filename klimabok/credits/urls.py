from django.urls import path

from klimabok.credits.views import portfolio as views

app_name = "credits"

urlpatterns = [
    path("partner/credits/", views.portfolio, name="portfolio"),
    path("partner/credits/import/", views.import_export, name="import"),
    path("partner/credits/add/", views.add_block, name="add"),
    path("partner/credits/policy/", views.policy, name="policy"),
    path("partner/credits/projects/<int:pk>/", views.project_edit, name="project"),
    path("partner/log/", views.events_page, name="events"),
]
