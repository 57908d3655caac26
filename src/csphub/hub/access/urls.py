"""Sign-in, sign-out, the second factor and the stylesheet."""

from django.urls import path

from csphub.hub.access import static

urlpatterns: list = [
    path("static/hub.css", static.hub_css, name="hub-css"),
]
