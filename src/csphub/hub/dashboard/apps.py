from django.apps import AppConfig


class Config(AppConfig):
    name = "csphub.hub.dashboard"
    label = "dashboard"
    default_auto_field = "django.db.models.BigAutoField"
