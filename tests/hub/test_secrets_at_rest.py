"""Second-factor secrets encrypted at rest (csphub.hub.access.crypto), readable after the
secret key is rotated, refused loudly without the key, and the migration that encrypts the
secrets stored before."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from csphub.hub.access import crypto
from csphub.hub.access.models import TwoFactor

from .factories import UserFactory

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def stored_secret(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM access_twofactor WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_second_factor_secrets_are_encrypted_at_rest(db):
    device = TwoFactor.objects.create(user=UserFactory(), secret=SECRET, confirmed=True)
    raw = stored_secret(device.pk)
    assert SECRET not in raw and raw.startswith("gAAAAA")  # a Fernet token
    assert TwoFactor.objects.get(pk=device.pk).secret == SECRET
    # Another encryption of the same secret differs (no equal secrets to spot).
    other = TwoFactor.objects.create(user=UserFactory(), secret=SECRET, confirmed=True)
    assert stored_secret(other.pk) != raw


def test_secrets_survive_a_rotated_key_and_fail_loudly_without_it(db, settings):
    device = TwoFactor.objects.create(user=UserFactory(), secret=SECRET, confirmed=True)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old]
    assert TwoFactor.objects.get(pk=device.pk).secret == SECRET
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        TwoFactor.objects.get(pk=device.pk)


def test_the_migration_encrypts_existing_secrets(audit_triggers_lifted, transactional_db):
    from django.db.migrations.executor import MigrationExecutor

    before = [("access", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    executor.loader.build_graph()
    old_apps = executor.loader.project_state(before).apps
    user = old_apps.get_model("auth", "User").objects.create(username="olduser")
    old_apps.get_model("access", "TwoFactor").objects.create(
        user_id=user.pk, secret=SECRET, confirmed=True
    )
    assert stored_secret(old_apps.get_model("access", "TwoFactor").objects.get().pk) == SECRET

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    device = TwoFactor.objects.get(user_id=user.pk)
    assert device.secret == SECRET
    raw = stored_secret(device.pk)
    assert raw != SECRET and crypto.decrypt(raw) == SECRET
