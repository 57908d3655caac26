from django.apps import AppConfig


class Config(AppConfig):
    name = "csphub.hub.groups"
    label = "groups"
    verbose_name = "partnership groups"
    default_auto_field = "django.db.models.BigAutoField"
