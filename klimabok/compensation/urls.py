"""Compensation URLs: the compensate page of a client's year, the partner's orders and retirements."""

from django.urls import path

from klimabok.compensation.views import orders as views

app_name = "compensation"

urlpatterns = [
    path("o/<slug:slug>/<int:year>/compensate/", views.compensate, name="compensate"),
    path("o/<slug:slug>/<int:year>/compensate/orders/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("partner/orders/", views.orders, name="partner_orders"),
    path("partner/orders/<int:pk>/retire/", views.retire, name="retire"),
]
