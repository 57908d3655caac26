from django.apps import AppConfig


class Config(AppConfig):
    name = "csphub.hub.actions"
    label = "actions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from csphub.hub.actions.services import on_meeting_scheduled
        from csphub.hub.groups.signals import meeting_scheduled

        meeting_scheduled.connect(on_meeting_scheduled, dispatch_uid="actions-carry-cascaded")
