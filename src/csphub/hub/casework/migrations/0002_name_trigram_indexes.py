"""Trigram indexes for matching people by name (:mod:`csphub.hub.casework.matching`), on
PostgreSQL only: ``pg_trgm`` and GIN indexes on the folded names of people and aliases.
SQLite has no trigram index; there matching blocks on the Metaphone keys instead, so this
migration does nothing. The models do not declare these indexes (a model index would be
created on SQLite too), so ``makemigrations`` does not see them."""

from django.db import migrations

INDEXES = [
    ("casework_person_name_trgm", "casework_person"),
    ("casework_personalias_name_trgm", "casework_personalias"),
]


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (name_key gin_trgm_ops)"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
