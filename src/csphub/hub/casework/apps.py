from django.apps import AppConfig


class Config(AppConfig):
    name = "csphub.hub.casework"
    label = "casework"
    verbose_name = "Casework: people, places and cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from csphub.hub.actions.signals import action_raised
        from csphub.hub.casework.services.meetings import on_action_raised

        action_raised.connect(on_action_raised, dispatch_uid="casework-case-tasks")
