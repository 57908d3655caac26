"""Actions: raised from decisions, owned by an agency and a person, with progress notes."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from csphub.hub.access.models import Agency
from csphub.hub.actions.lifecycle import LABELS, STATES, is_overdue

#: The longest free text an action's detail and a progress note take, in characters (a
#: validator, so ``full_clean`` in the services and the forms enforce it).
TEXT_MAX_LENGTH = 10_000


class Action(models.Model):
    group = models.ForeignKey(
        "groups.Group",
        on_delete=models.PROTECT,
        related_name="actions",
        help_text="The group responsible (a subgroup when cascaded).",
    )
    decision = models.ForeignKey(
        "groups.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    due = models.DateField()
    state = models.CharField(
        max_length=20, choices=[(s, LABELS[s]) for s in STATES], default="open"
    )
    exempt = models.BooleanField(default=False, help_text="Exempt information: not published.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["owner_agency", "state", "due"])]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return is_overdue(self.state, self.due, timezone.localdate())

    @property
    def state_label(self) -> str:
        return LABELS[self.state]


class ActionNote(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Blank when the entry only records a change of state.
    text = models.TextField(blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    state_from = models.CharField(max_length=20, blank=True)
    state_to = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
