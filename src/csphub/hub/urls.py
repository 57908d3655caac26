"""Every URL of the hub; each part owns its own ``urls.py``."""

from django.urls import include, path

urlpatterns = [
    path("", include("csphub.hub.dashboard.urls")),
    path("", include("csphub.hub.access.urls")),
    path("", include("csphub.hub.audit.urls")),
    path("", include("csphub.hub.groups.urls")),
    path("", include("csphub.hub.actions.urls")),
    path("", include("csphub.hub.committee.urls")),
    path("", include("csphub.hub.casework.urls")),
    path("", include("csphub.hub.casework.merge_urls")),
]
