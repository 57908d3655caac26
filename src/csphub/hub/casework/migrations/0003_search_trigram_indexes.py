"""Trigram indexes for the search box (:mod:`csphub.hub.casework.search`), on PostgreSQL
only, as 0002: a case's title (the ``icontains`` lookup compares ``UPPER(title)``) and a
place's folded address. Without them a partial title or address reads every row."""

from django.db import migrations

INDEXES = [
    ("casework_case_title_trgm", "casework_case", "upper((title)::text) gin_trgm_ops"),
    ("casework_place_address_trgm", "casework_place", "address_key gin_trgm_ops"),
]


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_name_trigram_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
