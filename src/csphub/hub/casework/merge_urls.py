"""The merge-review queue and merge history (:mod:`.merge_views`), to be included by the
hub's URL table. Object routes take ``pk``; every view declares its access rule."""

from django.urls import path

from csphub.hub.casework import merge_views as views

urlpatterns: list = [
    path("casework/duplicates/", views.duplicate_list, name="duplicate-list"),
    path("casework/duplicates/<int:pk>/", views.duplicate_detail, name="duplicate-detail"),
    path("casework/merges/", views.merge_list, name="merge-list"),
    path("casework/merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
]
