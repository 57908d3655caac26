"""URLs of this part of the hub (included by csphub.hub.urls). Every view declares its
access rule with csphub.hub.access.rules.access."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
