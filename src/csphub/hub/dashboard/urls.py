"""The dashboard, the hub's home page. Every view declares its access rule with
csphub.hub.access.rules.access."""

from django.urls import path

from csphub.hub.dashboard import views

urlpatterns: list = [
    path("", views.home, name="dashboard"),
]
