"""The audit trail and its export."""

from django.urls import path

from csphub.hub.audit import views

urlpatterns: list = [
    path("audit/", views.audit_list, name="audit-list"),
    path("audit/export.csv", views.audit_export, name="audit-export"),
]
