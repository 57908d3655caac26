from django.apps import AppConfig


class Config(AppConfig):
    name = "csphub.hub.casework"
    label = "casework"
    verbose_name = "Casework: people, places and cases"
    default_auto_field = "django.db.models.BigAutoField"
