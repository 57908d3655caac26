"""A person known to the partnership: names and aliases, date of birth or age band,
addresses over time, contact details, identifiers in partner systems, flags and a
sensitivity level. A merged person keeps their row, pointing at the survivor, so that a
merge can be undone."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from csphub.hub.access.models import Agency
from csphub.hub.casework.models import keys

AGE_BANDS = [
    ("", "Not known"),
    ("0-9", "0 to 9"),
    ("10-15", "10 to 15"),
    ("16-17", "16 to 17"),
    ("18-24", "18 to 24"),
    ("25-34", "25 to 34"),
    ("35-49", "35 to 49"),
    ("50-64", "50 to 64"),
    ("65+", "65 or over"),
]
GENDERS = [
    ("", "Not recorded"),
    ("female", "Female"),
    ("male", "Male"),
    ("non_binary", "Non-binary"),
    ("other", "Other"),
]
SENSITIVITY = [
    ("standard", "Standard"),
    ("restricted", "Restricted: opening the record asks why"),
]
IDENTIFIER_SCHEMES = [
    ("police_nominal", "Police nominal id"),
    ("childrens_system", "Children's social care id"),
    ("tenancy", "Housing tenancy reference"),
    ("nhs", "NHS number"),
    ("other", "Other partner reference"),
]
CONTACT_KINDS = [("phone", "Phone"), ("email", "Email"), ("other", "Other")]


def age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class Person(models.Model):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    dob = models.DateField("Date of birth", null=True, blank=True)
    age_band = models.CharField(max_length=5, choices=AGE_BANDS, blank=True)
    gender = models.CharField(max_length=12, choices=GENDERS, blank=True)
    child = models.BooleanField(default=False, help_text="A child (under 18).")
    vulnerable_adult = models.BooleanField(default=False)
    sensitivity = models.CharField(max_length=12, choices=SENSITIVITY, default="standard")
    #: Matching keys (:mod:`.keys`), set on save.
    name_key = models.CharField(max_length=210, db_index=True, editable=False)
    family_sound = models.CharField(max_length=20, db_index=True, editable=False)
    given_sound = models.CharField(max_length=20, editable=False)
    created_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Set when this record was merged into another (it is then hidden, and can return).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    audit_masked_fields = ()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [models.Index(fields=["dob"]), models.Index(fields=["family_sound", "dob"])]

    def save(self, *args, **kwargs):
        self.name_key = keys.name_key(self.given_name, self.family_name)
        self.family_sound = keys.phonetic(self.family_name)
        self.given_sound = keys.phonetic(self.given_name)
        if self.dob and not self.age_band:
            self.child = self.child or self.age_today() < 18
        update = kwargs.get("update_fields")
        if update is not None:
            kwargs["update_fields"] = {*update, "name_key", "family_sound", "given_sound"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def age_today(self) -> int:
        from django.utils import timezone

        return age_on(self.dob, timezone.localdate()) if self.dob else -1

    @property
    def born(self) -> str:
        if self.dob:
            return self.dob.strftime("%-d %B %Y")
        return f"Age {self.get_age_band_display().lower()}" if self.age_band else "Not known"


class PersonAlias(models.Model):
    KINDS = [("alias", "Alias"), ("previous", "Previous name"), ("known_as", "Known as")]
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=10, choices=KINDS, default="alias")
    name_key = models.CharField(max_length=210, db_index=True, editable=False)
    family_sound = models.CharField(max_length=20, db_index=True, editable=False)

    def save(self, *args, **kwargs):
        self.name_key = keys.name_key(self.given_name, self.family_name)
        self.family_sound = keys.phonetic(self.family_name or self.given_name)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class PersonIdentifier(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=20, choices=IDENTIFIER_SCHEMES)
    value = models.CharField(max_length=64)
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "value"], name="identifier_once")]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.value}"


class PersonContact(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=10, choices=CONTACT_KINDS)
    value = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True)


class PersonAddress(models.Model):
    """Where a person lived (or stays), from and to: addresses over time."""

    KINDS = [("home", "Home"), ("temporary", "Temporary"), ("care", "Care placement")]
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    place = models.ForeignKey("casework.Place", on_delete=models.PROTECT, related_name="residents")
    kind = models.CharField(max_length=10, choices=KINDS, default="home")
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-from_date", "-id"]
