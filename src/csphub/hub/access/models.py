"""Agencies, the roles users hold in them, second factors, sign-in counters and account
state."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models

from csphub.hub.access.crypto import EncryptedCharField

ROLES_FILE = Path(__file__).resolve().parent / "data" / "roles.csv"


#: How far a grant reaches (``data/roles.csv``).
REACHES = ("partnership", "seat", "chaired", "owned", "lead", "shared")


@cache
def _role_rows() -> tuple[dict[str, str], ...]:
    """The rows of ``data/roles.csv`` (its comment lines left out), read once."""
    lines = [
        line
        for line in ROLES_FILE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    return tuple(csv.DictReader(lines))


@cache
def role_grants() -> dict[str, tuple[str, frozenset[tuple[str, str]]]]:
    """Role code to (name, grants), each grant a (permission, reach), from
    ``data/roles.csv``."""
    table = {}
    for row in _role_rows():
        grants = set()
        for item in filter(None, (g.strip() for g in row["grants"].split(";"))):
            permission, _, reach = item.partition("@")
            if reach not in REACHES:
                raise ValueError(f"{ROLES_FILE.name}: role {row['code']}: unknown reach {item!r}")
            grants.add((permission, reach))
        table[row["code"]] = (row["name"], frozenset(grants))
    return table


@cache
def second_admin_roles() -> frozenset[str]:
    """Roles whose grant, removal or deactivation takes a second administrator."""
    return frozenset(r["code"] for r in _role_rows() if r["second_admin"] == "yes")


def role_table() -> dict[str, tuple[str, frozenset[str]]]:
    """Role code to (name, the permissions it grants, whatever their reach)."""
    return {
        code: (name, frozenset(p for p, _ in grants))
        for code, (name, grants) in role_grants().items()
    }


class Agency(models.Model):
    """A partner organisation: statutory member of the CSP or opted in."""

    KINDS = [
        ("council", "Local authority"),
        ("police", "Police"),
        ("fire", "Fire and rescue"),
        ("health", "Health"),
        ("probation", "Probation"),
        ("housing", "Housing provider"),
        ("ambulance", "Ambulance service"),
        ("pcc", "Police and Crime Commissioner"),
        ("education", "Education"),
        ("voluntary", "Voluntary and community sector"),
        ("other", "Other"),
    ]
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=KINDS)
    statutory = models.BooleanField(help_text="A statutory member of the partnership.")
    requires_two_factor = models.BooleanField(
        default=False, help_text="Members must sign in with a second factor."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user in an agency, with roles (codes of ``data/roles.csv``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    roles = models.JSONField(default=list, blank=True)  # none until a second admin approves
    job_title = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="one_membership_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.agency}"

    def grants(self) -> frozenset[tuple[str, str]]:
        """(permission, reach) of this membership's roles."""
        table = role_grants()
        return frozenset().union(*(table[r][1] for r in self.roles if r in table))


class TwoFactor(models.Model):
    """A user's TOTP secret (RFC 6238), encrypted at rest; ``confirmed`` once a code has
    been entered."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor"
    )
    secret = EncryptedCharField(max_length=255)
    confirmed = models.BooleanField(default=False)
    last_step = models.BigIntegerField(default=0)  # a code is accepted once (no replay)

    audit_masked_fields = ("secret",)


class SignInCounter(models.Model):
    """Sign-in attempts counted against one throttling key (an account or user name,
    with or without an address) since ``started``; see :mod:`.throttle`. The key holds a
    user's id or a keyed hash of an unknown user name, never the name as typed."""

    key = models.CharField(max_length=200, unique=True)
    started = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)


class AccountState(models.Model):
    """What the hub keeps about a user's sign-in beside Django's user: a temporary
    password to change at the next sign-in, and the networks the user signed in from
    (for throttling: :mod:`.throttle`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_state"
    )
    must_change_password = models.BooleanField(default=False)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    #: network ("203.0.113.7" or "2001:db8:1:2::/64") -> ISO time of the last full sign-in
    known_networks = models.JSONField(default=dict, blank=True)


class PendingChange(models.Model):
    """A change to who may do what, proposed by one administrator and waiting for a
    second to approve or reject it (``second_admin`` roles in ``data/roles.csv``)."""

    KINDS = [("roles", "Change roles"), ("deactivate", "Deactivate the membership")]
    STATES = [("pending", "Waiting"), ("approved", "Approved"), ("rejected", "Rejected")]
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="pending_changes"
    )
    kind = models.CharField(max_length=20, choices=KINDS)
    roles = models.JSONField(default=list, blank=True)  # the roles after a "roles" change
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=20, choices=STATES, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.membership}"
