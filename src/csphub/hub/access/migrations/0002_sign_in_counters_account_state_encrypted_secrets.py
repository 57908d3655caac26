"""Sign-in counters instead of one row per failure; account state (temporary password,
known networks); second-factor secrets encrypted at rest: the column widened, the existing
secrets encrypted in place (decrypted again when unapplied), then the field encrypted."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import csphub.hub.access.crypto

#: Every Fernet token starts so (version byte 0x80); a base32 TOTP secret never does.
TOKEN_PREFIX = "gAAAAA"


def encrypt_secrets(apps, schema_editor):
    from csphub.hub.access.crypto import encrypt

    model = apps.get_model("access", "TwoFactor")
    for device in model.objects.using(schema_editor.connection.alias).all():
        if device.secret and not device.secret.startswith(TOKEN_PREFIX):
            device.secret = encrypt(device.secret)
            device.save(update_fields=["secret"])


def decrypt_secrets(apps, schema_editor):
    from csphub.hub.access.crypto import decrypt

    model = apps.get_model("access", "TwoFactor")
    for device in model.objects.using(schema_editor.connection.alias).all():
        if device.secret.startswith(TOKEN_PREFIX):
            device.secret = decrypt(device.secret)
            device.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SignInCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=200, unique=True)),
                ("started", models.DateTimeField(db_index=True)),
                ("count", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="AccountState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("must_change_password", models.BooleanField(default=False)),
                ("password_changed_at", models.DateTimeField(blank=True, null=True)),
                ("known_networks", models.JSONField(blank=True, default=dict)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="account_state",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.DeleteModel(name="SignInFailure"),
        migrations.AlterField(
            model_name="twofactor", name="secret", field=models.CharField(max_length=255)
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
        migrations.AlterField(
            model_name="twofactor",
            name="secret",
            field=csphub.hub.access.crypto.EncryptedCharField(max_length=255),
        ),
    ]
