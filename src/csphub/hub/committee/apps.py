from django.apps import AppConfig


class Config(AppConfig):
    name = "csphub.hub.committee"
    label = "committee"
    default_auto_field = "django.db.models.BigAutoField"
