"""The group tree (board, TTCG, working groups, the daily meeting), its member agencies,
meetings with agenda, attendance, minutes and decisions."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from csphub.hub.access.models import Agency

#: The longest free text each field takes, in characters. A TextField's limit is a
#: validator, so ``full_clean`` (every service) and the forms enforce it.
PURPOSE_MAX_LENGTH = 2_000
MINUTES_MAX_LENGTH = 50_000
TEXT_MAX_LENGTH = 10_000  # an agenda item's detail, a decision


class Group(models.Model):
    KINDS = [
        ("board", "Partnership board"),
        ("ttcg", "Tactical Tasking and Coordination Group"),
        ("working", "Working group"),
        ("daily", "Daily meeting"),
    ]
    CADENCES = [
        ("daily", "Daily"),
        ("weekly", "Weekly"),
        ("monthly", "Monthly"),
        ("quarterly", "Quarterly"),
    ]
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=KINDS)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subgroups"
    )
    cadence = models.CharField(max_length=20, choices=CADENCES)
    purpose = models.TextField(blank=True, validators=[MaxLengthValidator(PURPOSE_MAX_LENGTH)])
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_groups",
    )
    agencies = models.ManyToManyField(Agency, related_name="partnership_groups", blank=True)
    restricted = models.BooleanField(
        default=False,
        help_text="Opening one of its meetings asks why; the audit trail keeps the reason.",
    )

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def next_meeting(self) -> Meeting | None:
        return (
            self.meetings.filter(status="scheduled", starts_at__gte=timezone.now())
            .order_by("starts_at")
            .first()
        )


class Meeting(models.Model):
    STATUSES = [("scheduled", "Scheduled"), ("held", "Held"), ("cancelled", "Cancelled")]
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=STATUSES, default="scheduled")
    minutes = models.TextField(blank=True, validators=[MaxLengthValidator(MINUTES_MAX_LENGTH)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Raised by every edit: an edit made from an older version is a conflict, not an
    #: overwrite (two people keeping the minutes at once).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d %B %Y})"


#: The title of a hot spot agenda item from the evidence store: "Hot spot: NAME (CODE)".
HOT_SPOT_TITLE = re.compile(r"Hot spot: .* \(([EW]\d{8})\)")


class AgendaItem(models.Model):
    SOURCES = [
        ("manual", "Added by the group"),
        ("evidence", "From the evidence store"),
        ("cascade", "Action cascaded to this group"),
    ]
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    priority = models.ForeignKey("plan.Priority", null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(max_length=20, choices=SOURCES, default="manual")
    action = models.ForeignKey(
        "actions.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    exempt = models.BooleanField(default=False, help_text="Exempt information: not published.")

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def hot_spot_lsoa(self) -> str:
        """The LSOA of a hot spot added from the evidence store (its title ends "(CODE)",
        as :mod:`.evidence` writes it), "" otherwise: the page links it to its casework."""
        match = HOT_SPOT_TITLE.fullmatch(self.title) if self.source == "evidence" else None
        return match[1] if match else ""


class Attendance(models.Model):
    STATUSES = [("present", "Present"), ("apologies", "Apologies"), ("absent", "Absent")]
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    status = models.CharField(max_length=20, choices=STATUSES)
    names = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="one_attendance_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_status_display()}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.TextField(validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    exempt = models.BooleanField(default=False, help_text="Exempt information: not published.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
