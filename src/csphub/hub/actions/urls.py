"""Actions. Object routes take ``pk`` and are named ``<model>-<verb>``; every view declares
its access rule with csphub.hub.access.rules.access."""

from django.urls import path

from csphub.hub.actions import views

urlpatterns: list = [
    path("actions/", views.action_list, name="action-list"),
    path("actions/export.csv", views.action_export, name="action-export"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action-progress"),
    path("decisions/<int:pk>/actions/new/", views.decision_action_new, name="decision-action-new"),
]
