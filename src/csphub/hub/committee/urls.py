"""The committee overview report. Every view declares its access rule with
csphub.hub.access.rules.access."""

from django.urls import path

from csphub.hub.committee import views

urlpatterns: list = [
    path("committee-report/", views.committee_report, name="committee-report"),
]
