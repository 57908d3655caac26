"""Sign-in, sign-out, the second factor, passwords, the stylesheet and partnership
management."""

from django.urls import path

from csphub.hub.access import acting_views, partnership, password_views, reasons, static, views

urlpatterns: list = [
    path("static/hub.css", static.hub_css, name="hub-css"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("account/password/", password_views.change_password, name="account-password"),
    path(
        "partnership/users/<int:pk>/password/",
        password_views.partnership_user_password,
        name="partnership-user-password",
    ),
    path(
        "partnership/users/<int:pk>/two-factor/",
        password_views.partnership_user_two_factor,
        name="partnership-user-two-factor",
    ),
    path("acting/", acting_views.acting_switch, name="acting-switch"),
    path("reason/", reasons.give_reason, name="access-reason"),
    path("partnership/", partnership.partnership_home, name="partnership-home"),
    path(
        "partnership/changes/<int:pk>/",
        partnership.partnership_change_decide,
        name="partnership-change-decide",
    ),
    path(
        "partnership/agencies/new/",
        partnership.partnership_agency_new,
        name="partnership-agency-new",
    ),
    path("partnership/users/new/", partnership.partnership_user_new, name="partnership-user-new"),
    path(
        "partnership/memberships/<int:pk>/",
        partnership.partnership_membership_edit,
        name="partnership-membership-edit",
    ),
]
