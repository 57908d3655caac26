"""Form 2 of the trail's rows: the acting agency, the request id, the data subjects (and
their index table), and a disclosure's recipient and legal basis (DPA 2018 s.62).

Rows already in the trail keep form 1 and their hashes. SQLite rebuilds the table to add
a column and so loses the append-only triggers; they are dropped first and created again
last, as in 0003. The subject index gets triggers of its own.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

triggers = importlib.import_module("csphub.hub.audit.migrations.0002_append_only")
CREATE = {"sqlite": triggers.SQLITE, "postgresql": triggers.POSTGRES}
DROP = {"sqlite": triggers.SQLITE_UNDO, "postgresql": triggers.POSTGRES_UNDO}
SUBJECT_CREATE = {
    "sqlite": [
        "CREATE TRIGGER audit_subject_no_update BEFORE UPDATE ON audit_auditsubject "
        "BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END",
        "CREATE TRIGGER audit_subject_no_delete BEFORE DELETE ON audit_auditsubject "
        "BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END",
    ],
    "postgresql": [
        "CREATE TRIGGER audit_subject_append_only BEFORE UPDATE OR DELETE ON audit_auditsubject "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
        "CREATE TRIGGER audit_subject_no_truncate BEFORE TRUNCATE ON audit_auditsubject "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
    ],
}
SUBJECT_DROP = {
    "sqlite": ["DROP TRIGGER audit_subject_no_update", "DROP TRIGGER audit_subject_no_delete"],
    "postgresql": [
        "DROP TRIGGER audit_subject_no_truncate ON audit_auditsubject",
        "DROP TRIGGER audit_subject_append_only ON audit_auditsubject",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_denied_action")]

    operations = [
        migrations.RunPython(_run(DROP), _run(CREATE)),
        migrations.AddField(
            model_name="auditevent",
            name="acting_agency",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="request_id",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="subjects",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="recipient",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="legal_basis",
            field=models.CharField(blank=True, max_length=300),
        ),
        # Rows already written were hashed in form 1.
        migrations.AddField(
            model_name="auditevent",
            name="form",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="form",
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "View"),
                    ("search", "Search"),
                    ("create", "Create"),
                    ("update", "Update"),
                    ("delete", "Delete"),
                    ("export", "Export"),
                    ("disclose", "Disclosure"),
                    ("denied", "Refused"),
                    ("sign-in", "Sign in"),
                    ("sign-in-failed", "Sign-in failed"),
                    ("sign-out", "Sign out"),
                ],
                db_index=True,
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="AuditSubject",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("subject_type", models.CharField(max_length=50)),
                ("subject_id", models.CharField(max_length=64)),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="subject_rows",
                        to="audit.auditevent",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["subject_type", "subject_id"], name="audit_audit_subject_a2ed97_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(_run(CREATE), _run(DROP)),
        migrations.RunPython(_run(SUBJECT_CREATE), _run(SUBJECT_DROP)),
    ]
