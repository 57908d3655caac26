from django.apps import AppConfig
from django.db.models.signals import post_migrate


class Config(AppConfig):
    name = "csphub.hub.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from csphub.hub.audit.roles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, sender=self)
