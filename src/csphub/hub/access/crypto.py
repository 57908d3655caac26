"""Secrets the hub must read back (the TOTP secrets of second factors), encrypted at rest.

Fernet (AES-128-CBC with an HMAC-SHA256 tag, from the ``cryptography`` package), with a
key derived from ``settings.SECRET_KEY`` by HMAC-SHA256 under a purpose of its own, so a
copy of the database alone does not give the secrets. Values written under an older key in
``settings.SECRET_KEY_FALLBACKS`` are still read, so the secret key can be rotated; a value
that no key opens is an error that says so (never a silent wrong secret).

:class:`EncryptedCharField` stores the token and hands the model the plain text; a lookup
by value cannot work (each encryption differs), and nothing looks secrets up.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.crypto import salted_hmac

PURPOSE = "csphub.hub.access.crypto: secrets at rest"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    derived = [
        base64.urlsafe_b64encode(
            salted_hmac(PURPOSE, "fernet", secret=k, algorithm="sha256").digest()
        )
        for k in keys
    ]
    return MultiFernet([Fernet(k) for k in derived])


def _current() -> MultiFernet:
    return _fernet((settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS))


def encrypt(text: str) -> str:
    return _current().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "a stored secret cannot be decrypted with SECRET_KEY or SECRET_KEY_FALLBACKS: "
            "was the secret key changed without keeping the old one as a fallback?"
        ) from None


class EncryptedCharField(models.CharField):
    """Text kept encrypted in the database (:func:`encrypt`), plain in Python."""

    def from_db_value(self, value, expression, connection):
        return value if value in (None, "") else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value in (None, "") else encrypt(value)
