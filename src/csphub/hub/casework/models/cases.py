"""A case: its type (from ``data/case_types.toml``), state, lead agency and owner; its
parties, shares, risk assessments, append-only timeline, documents, tasks and meetings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from csphub.hub.access.models import Agency
from csphub.hub.casework.types import case_types, outcomes

TEXT_MAX_LENGTH = 10_000
PARTY_ROLES = [
    ("victim", "Victim"),
    ("complainant", "Complainant"),
    ("subject", "Subject or perpetrator"),
    ("witness", "Witness"),
    ("child_at_risk", "Child at risk"),
    ("adult_of_concern", "Adult of concern"),
    ("place_of_concern", "Place of concern"),
]
PERSON_ROLES = [r for r in PARTY_ROLES if r[0] != "place_of_concern"]


def _type_choices():
    return [(code, t.name) for code, t in case_types().items()]


def _outcome_choices():
    return [("", "Not closed"), *outcomes().items()]


class AppendOnly(models.Model):
    """A record that is never changed once written (a correction is a new row)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"a {self._meta.verbose_name} is never changed: add a correction")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"a {self._meta.verbose_name} is never deleted")


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    case_type = models.CharField(max_length=30, choices=_type_choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    state = models.CharField(max_length=30)
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="led_cases")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_cases",
    )
    restricted = models.BooleanField(
        default=False, help_text="Opening the case asks the user why (children, abuse)."
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.TextField(blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    outcome = models.CharField(max_length=30, blank=True, choices=_outcome_choices)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            # The case lists walk one owner's or one agency's cases newest first and stop
            # after a page: thousands of a worker's cases are never read or sorted.
            models.Index(fields=["lead_agency", "-opened_at", "-id"], name="case_agency_recent"),
            models.Index(fields=["owner", "-opened_at", "-id"], name="case_owner_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def type(self):
        return case_types()[self.case_type]

    @property
    def state_label(self) -> str:
        return self.type.lifecycle.states.get(self.state, self.state)

    @property
    def open(self) -> bool:
        return self.state in self.type.lifecycle.live


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(
        "casework.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="parties"
    )
    place = models.ForeignKey(
        "casework.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="parties"
    )
    role = models.CharField(max_length=20, choices=PARTY_ROLES)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, place__isnull=True)
                    | models.Q(person__isnull=True, place__isnull=False)
                ),
                name="party_is_person_or_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person or self.place}"


class SharingAgreement(models.Model):
    """A data-sharing agreement: who shares, why, under which legal basis, until when it
    is reviewed (ICO data sharing code)."""

    title = models.CharField(max_length=200)
    purpose = models.TextField(validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    legal_basis = models.CharField(
        max_length=300, help_text="For example 'Crime and Disorder Act 1998 s.115 and s.17A'."
    )
    parties = models.ManyToManyField(Agency, related_name="sharing_agreements")
    signed_on = models.DateField()
    review_date = models.DateField()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CaseShare(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_shares")
    agreement = models.ForeignKey(SharingAgreement, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shared_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=models.Q(ended_at__isnull=True),
                name="one_live_share_per_agency",
            )
        ]


class RiskAssessment(AppendOnly):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    person = models.ForeignKey(
        "casework.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tool = models.CharField(max_length=40)
    answers = models.JSONField(default=dict)
    score = models.IntegerField()
    level = models.CharField(
        max_length=10, choices=[("standard", "Standard"), ("medium", "Medium"), ("high", "High")]
    )
    reasons = models.TextField(validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now_add=True)
    review_due = models.DateField()

    class Meta:
        ordering = ["-assessed_at", "-id"]


class TimelineEntry(AppendOnly):
    KINDS = [
        ("note", "Note"),
        ("contact", "Contact"),
        ("incident", "Incident"),
        ("decision", "Decision"),
        ("step", "Step taken"),
        ("state", "Change of state"),
        ("share", "Sharing"),
        ("party", "Party"),
        ("risk", "Risk assessment"),
        ("document", "Document"),
        ("meeting", "Meeting"),
        ("closure", "Closure"),
    ]
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=10, choices=KINDS)
    text = models.TextField(validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    occurred_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "timeline entries"


class Document(AppendOnly):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=120, help_text="Sanitised; never a path.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    #: The stored file's name: random, never built from the upload's name or content.
    storage_key = models.CharField(max_length=32, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]


class CaseTask(models.Model):
    """An action (the hub's task) that works on a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    action = models.OneToOneField("actions.Action", on_delete=models.CASCADE, related_name="+")


class CaseAgendaItem(models.Model):
    """A case put on a group's agenda: the case's meeting history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agenda_items")
    agenda_item = models.OneToOneField(
        "groups.AgendaItem", on_delete=models.CASCADE, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
