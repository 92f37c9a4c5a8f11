from django.urls import URLPattern

app_name = "credits"
urlpatterns: list[URLPattern] = []
