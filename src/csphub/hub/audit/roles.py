"""Two PostgreSQL roles: the owner migrates, the application only reads and appends the
audit trail.

With ``CSPHUB_MIGRATE_DATABASE_URL`` set, migrations run on the database alias ``owner``
(the role that owns every table), and after each migration the application's role (the
user of ``DATABASE_URL``) is granted what it needs: SELECT, INSERT, UPDATE and DELETE on
the hub's tables, but only SELECT and INSERT on the audit trail, and USAGE on the tables'
sequences. Not owning the audit table, the application cannot drop or disable its
append-only triggers, nor TRUNCATE it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections, transaction

OWNER_ALIAS = "owner"
#: The trail and its index of data subjects: read and appended, never changed.
AUDIT_TABLES = frozenset({"audit_auditevent", "audit_auditsubject"})
APP_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
AUDIT_PRIVILEGES = "SELECT, INSERT"


def migration_alias() -> str:
    """The database alias migrations run on: ``owner`` when configured."""
    return OWNER_ALIAS if OWNER_ALIAS in settings.DATABASES else "default"


def grant_statements(using: str, role: str) -> list[str]:
    """The GRANTs (each after a REVOKE ALL, so a second run ends in the same state) that
    give ``role`` the hub's tables as the owner on ``using`` sees them now."""
    connection = connections[using]
    quote = connection.ops.quote_name
    who = quote(role)
    out = []
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.django_table_names(only_existing=True))
        for table in tables:
            privileges = AUDIT_PRIVILEGES if table in AUDIT_TABLES else APP_PRIVILEGES
            out += [
                f"REVOKE ALL ON TABLE {quote(table)} FROM {who}",
                f"GRANT {privileges} ON TABLE {quote(table)} TO {who}",
            ]
            for sequence in connection.introspection.get_sequences(cursor, table):
                out += [
                    f"REVOKE ALL ON SEQUENCE {quote(sequence['name'])} FROM {who}",
                    f"GRANT USAGE ON SEQUENCE {quote(sequence['name'])} TO {who}",
                ]
    out.append(f"GRANT SELECT ON TABLE django_migrations TO {who}")
    return out


def grant_app_role(using: str = OWNER_ALIAS, role: str | None = None) -> str | None:
    """Grant the application's role (default: the user of ``DATABASE_URL``) its rights,
    as the owner on ``using``. Returns the role, or None when there is nothing to do (not
    PostgreSQL, or the application runs as the owner)."""
    connection = connections[using]
    role = role or settings.DATABASES["default"].get("USER") or ""
    if connection.vendor != "postgresql" or role == connection.settings_dict.get("USER"):
        return None
    if not role:
        raise RuntimeError(
            "DATABASE_URL names no user: with CSPHUB_MIGRATE_DATABASE_URL set, DATABASE_URL "
            "must name the application's role (postgresql://ROLE@host/db)"
        )
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in grant_statements(using, role):
            cursor.execute(statement)
    return role


def grant_after_migrate(sender: Any, using: str, **kwargs: Any) -> None:
    """post_migrate: after migrating as the owner, grant the application's role."""
    if using == OWNER_ALIAS:
        grant_app_role(using)
