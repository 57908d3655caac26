"""Sign-in, sign-out, the second factor and the stylesheet."""

from django.urls import path

from csphub.hub.access import static, views

urlpatterns: list = [
    path("static/hub.css", static.hub_css, name="hub-css"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
]
