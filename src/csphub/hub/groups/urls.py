"""Groups and meetings. Object routes take ``pk`` and are named ``<model>-<verb>``; every
view declares its access rule with csphub.hub.access.rules.access."""

from django.urls import path

from csphub.hub.groups import views

urlpatterns: list = [
    path("groups/", views.group_list, name="group-list"),
    path("groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("groups/<int:pk>/meetings/new/", views.group_meeting_new, name="group-meeting-new"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/agenda/new/", views.meeting_agenda_new, name="meeting-agenda-new"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting-attendance"),
    path(
        "meetings/<int:pk>/decisions/new/",
        views.meeting_decision_new,
        name="meeting-decision-new",
    ),
]
