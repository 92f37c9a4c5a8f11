from django.urls import path

from klimabok.factors.views import library as views

app_name = "factors"

urlpatterns = [
    path("factors/", views.library, name="library"),
]
