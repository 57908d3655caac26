"""The audit trail: one append-only table, written only by :mod:`.service`.

Rows cannot be changed or deleted through the ORM (``save`` of an existing row,
``delete``, and the queryset's ``update``, ``delete`` and ``bulk_create`` raise) nor through
SQL (database triggers, created by the migration, refuse UPDATE and DELETE on SQLite and
PostgreSQL). Every new row is linked into a hash chain (:mod:`.chain`) as it is inserted,
so a row changed or deleted by someone who could lift the triggers shows as a break in
``csphub audit verify``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, router, transaction

from csphub.hub.audit import chain


class AppendOnlyError(RuntimeError):
    """An attempt to change or delete an audit row."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit rows cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit rows cannot be deleted")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("audit rows are written one at a time, each linked to the last")


class AuditEvent(models.Model):
    ACTIONS = [
        ("view", "View"),
        ("create", "Create"),
        ("update", "Update"),
        ("delete", "Delete"),
        ("export", "Export"),
        ("denied", "Refused"),
        ("sign-in", "Sign in"),
        ("sign-in-failed", "Sign-in failed"),
        ("sign-out", "Sign out"),
    ]
    #: Set as the row is linked into the chain (under the chain's lock), unless given.
    at = models.DateTimeField(db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    system_run = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=ACTIONS, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    justification = models.TextField(blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    #: The row's place in the chain: 1, 2, 3, ... with no gaps.
    seq = models.BigIntegerField(unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    row_hash = models.CharField(max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit rows cannot be changed")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            chain.link(self, using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows cannot be deleted")

    def __str__(self) -> str:
        who = self.actor_name or self.system_run
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_type} {self.object_id}"
