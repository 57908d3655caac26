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
from csphub.hub.audit.events import Event


class AppendOnlyError(RuntimeError):
    """An attempt to change or delete an audit row."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit rows cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit rows cannot be deleted")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("audit rows are written one at a time, each linked to the last")


class SubjectQuerySet(AuditQuerySet):
    """The subject index is written in bulk with its row (it is not chained row by row);
    like the trail, it is never changed or deleted."""

    def bulk_create(self, objs, *args, **kwargs):
        return models.QuerySet.bulk_create(self, objs, *args, **kwargs)


class AuditEvent(models.Model):
    ACTIONS = Event.choices
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
    #: The agency the actor acted for (its name then), and the request's id.
    acting_agency = models.CharField(max_length=200, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    #: The people (and other records) the row is about, as sorted ``"type:id"`` strings;
    #: indexed by :class:`AuditSubject` for a subject access request.
    subjects = models.JSONField(default=list, blank=True)
    #: For a disclosure: to whom, and under which legal basis (DPA 2018 s.62).
    recipient = models.CharField(max_length=200, blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)
    #: The canonical form the row was hashed in (:data:`.chain.FORMS`).
    form = models.PositiveSmallIntegerField(default=chain.FORM, editable=False)
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
            entries = [
                AuditSubject(event=self, subject_type=kind, subject_id=key)
                for kind, _, key in (subject.partition(":") for subject in self.subjects)
            ]
            if entries:  # one INSERT for all of them, while the chain's lock is held
                AuditSubject.objects.using(using).bulk_create(entries)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows cannot be deleted")

    def __str__(self) -> str:
        who = self.actor_name or self.system_run
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_type} {self.object_id}"


class AuditSubject(models.Model):
    """An index of the data subjects named by audit rows, so that every row about one
    person is found with one indexed query (a subject access request, DPA 2018 s.45).
    Written with its row in one transaction; ``csphub audit verify`` checks it against the
    hashed ``subjects`` of each row, and the same triggers keep it append-only."""

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="subject_rows")
    subject_type = models.CharField(max_length=50)
    subject_id = models.CharField(max_length=64)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows cannot be deleted")
