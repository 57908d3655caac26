"""The partnership plan: plan periods and their priorities."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models

#: The longest description of what a priority covers, in characters.
COVERAGE_MAX_LENGTH = 2_000


class PlanPeriod(models.Model):
    name = models.CharField(max_length=100, unique=True)  # e.g. "Community Safety Plan 2022-2025"
    starts = models.DateField()
    ends = models.DateField()

    class Meta:
        ordering = ["-starts"]

    def __str__(self) -> str:
        return self.name


class Priority(models.Model):
    """A priority of the plan: the crime types and harm it covers and the group that leads.

    The default seven come from ``csphub/data/assessment/priorities.csv``, the same file the
    Strategic Assessment scores, so the hub and the evidence agree on what each covers.
    """

    plan = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="priorities")
    order = models.PositiveSmallIntegerField()
    code = models.SlugField()
    title = models.CharField(max_length=200)
    crime_types = models.JSONField(default=list)  # data.police.uk categories
    coverage = models.TextField(blank=True, validators=[MaxLengthValidator(COVERAGE_MAX_LENGTH)])
    lead_group = models.ForeignKey(
        "groups.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_priorities",
    )

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="priority_code")]

    def __str__(self) -> str:
        return self.title
