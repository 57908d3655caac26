"""The hash chain: ``seq``, ``prev_hash`` and ``row_hash`` on every audit row, and ``at``
set by the writer (so it is known before the row is hashed) instead of ``auto_now_add``.

Rows already in the trail are linked in ``id`` order. The append-only triggers refuse the
UPDATE that needs, so they are dropped first and created again last, in this migration's
transaction (SQLite also loses them when Django rebuilds the table to add a column, so they
are dropped before any change to the table).
"""

import importlib

from django.db import migrations, models

from csphub.hub.audit.chain import GENESIS, HASHED, row_hash

triggers = importlib.import_module("csphub.hub.audit.migrations.0002_append_only")
CREATE = {"sqlite": triggers.SQLITE, "postgresql": triggers.POSTGRES}
DROP = {"sqlite": triggers.SQLITE_UNDO, "postgresql": triggers.POSTGRES_UNDO}
BATCH = 2000


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def link_existing_rows(apps, schema_editor):
    """seq 1, 2, 3, ... in id order, each row hashed with the previous row's hash."""
    event = apps.get_model("audit", "AuditEvent")
    connection = schema_editor.connection
    rows = event.objects.using(connection.alias).order_by("id")
    update = (
        f"UPDATE {event._meta.db_table} SET seq = %s, prev_hash = %s, row_hash = %s WHERE id = %s"
    )
    seq, prev, last_id = 0, GENESIS, 0
    while batch := list(rows.filter(id__gt=last_id).values("id", *HASHED[2:])[:BATCH]):
        params = []
        for row in batch:
            seq += 1
            row.update(seq=seq, prev_hash=prev)
            prev = row_hash(row)
            params.append((seq, row["prev_hash"], prev, row["id"]))
        with connection.cursor() as cursor:
            cursor.executemany(update, params)
        last_id = batch[-1]["id"]
    if connection.vendor == "postgresql":
        # Fire any deferred constraint checks now: ALTER TABLE refuses a table with
        # pending trigger events, and the next operation alters this one.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.RunPython(_run(DROP), _run(CREATE)),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, editable=False),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(link_existing_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, unique=True),
        ),
        migrations.RunPython(_run(CREATE), _run(DROP)),
    ]
