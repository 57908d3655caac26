"""The merge-review queue (likely duplicates, from entry or the batch finder) and the
merges made from it, each of which can be undone."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DuplicateCandidate(models.Model):
    STATUSES = [
        ("pending", "Waiting for review"),
        ("merged", "Merged"),
        ("distinct", "Not the same person"),
    ]
    METHODS = [("entry", "At entry"), ("batch", "Batch finder (Splink)")]
    first = models.ForeignKey("casework.Person", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("casework.Person", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="Match probability, 0 to 1.")
    method = models.CharField(max_length=10, choices=METHODS)
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=STATUSES, default="pending")
    found_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="candidate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="candidate_pair_ordered"
            ),
        ]


class PersonMerge(models.Model):
    """``merged`` folded into ``survivor``: what moved, so that an undo moves it back."""

    survivor = models.ForeignKey("casework.Person", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("casework.Person", on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict, help_text="Row ids moved, by table.")
    reason = models.CharField(max_length=500)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
