from django.urls import path

from klimabok.factors import views

app_name = "factors"

urlpatterns = [
    path("factors/", views.library, name="library"),
]
