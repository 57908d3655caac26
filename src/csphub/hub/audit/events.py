"""The kinds of audit row: one typed value each, so a misspelt kind fails where it is
written instead of becoming a row nobody searches for."""

from __future__ import annotations

from django.db import models


class Event(models.TextChoices):
    VIEW = "view", "View"
    SEARCH = "search", "Search"
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DELETE = "delete", "Delete"
    EXPORT = "export", "Export"
    #: Personal data given to another agency or person (DPA 2018 s.62: the recipient and
    #: the legal basis are recorded with it).
    DISCLOSE = "disclose", "Disclosure"
    DENIED = "denied", "Refused"
    SIGN_IN = "sign-in", "Sign in"
    SIGN_IN_FAILED = "sign-in-failed", "Sign-in failed"
    SIGN_OUT = "sign-out", "Sign out"
