"""Two PostgreSQL roles, on a database of the test's own (fresh roles and database with
unique names, dropped afterwards; skipped when no PostgreSQL answers).

The owner migrates (as ``csphub serve`` does with CSPHUB_MIGRATE_DATABASE_URL) and grants
the application's role; the application's role appends to the audit trail but cannot
change, delete or truncate it nor lift its triggers. Rows written before the hash chain
existed are linked by the migration."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from audit_chain_expect import assert_chained, postgres_admin, postgres_admin_url, url_for

pytestmark = pytest.mark.slow
psycopg = pytest.importorskip("psycopg")
dict_row = pytest.importorskip("psycopg.rows").dict_row
CSPHUB = Path(sys.executable).with_name("csphub")
COLUMNS = (
    "id, seq, prev_hash, row_hash, at, actor_id, actor_name, system_run, action, "
    "object_type, object_id, object_repr, before, after, justification, address, path, "
    "form, acting_agency, request_id, subjects, recipient, legal_basis"
)


def run_hub(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def python(env: dict[str, str], code: str) -> str:
    setup = "from csphub.hub import setup; setup()\n"
    return run_hub(env, sys.executable, "-c", setup + code).stdout


@pytest.fixture(scope="module")
def two_roles(tmp_path_factory):
    """A fresh database owned by a fresh owner role, and a fresh application role."""
    admin = postgres_admin()
    suffix = secrets.token_hex(5)
    owner, app, database = (
        f"csphub_owner_{suffix}",
        f"csphub_app_{suffix}",
        f"csphub_roles_{suffix}",
    )
    password = secrets.token_hex(12)
    admin.execute(f"CREATE ROLE {owner} LOGIN PASSWORD '{password}'")
    admin.execute(f"CREATE ROLE {app} LOGIN PASSWORD '{password}'")
    admin.execute(f"CREATE DATABASE {database} OWNER {owner}")
    base = postgres_admin_url()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CSPHUB_MIGRATE_DATABASE_URL")
    }
    env["CSPHUB_HUB_DIR"] = str(tmp_path_factory.mktemp("roles-hub"))
    env["DJANGO_SETTINGS_MODULE"] = "csphub.hub.settings"
    urls = {
        "owner": url_for(base, owner, password, database),
        "app": url_for(base, app, password, database),
    }
    try:
        yield {"env": env, "urls": urls, "owner": owner, "app": app}
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.execute(f"DROP ROLE IF EXISTS {app}")
        admin.execute(f"DROP ROLE IF EXISTS {owner}")
        admin.close()


@pytest.fixture(scope="module")
def migrated(two_roles):
    """Rows written at audit migration 0002 (before the chain) by the owner, then the
    whole hub migrated the way ``csphub serve`` does, then one row recorded by the app."""
    env, urls = two_roles["env"], two_roles["urls"]
    python(
        {**env, "DATABASE_URL": urls["owner"]},
        "from django.core.management import call_command\n"
        "call_command('migrate', 'audit', '0002', verbosity=0)\n",
    )
    with psycopg.connect(urls["owner"], autocommit=True) as con:
        con.execute(
            "INSERT INTO audit_auditevent (at, actor_name, system_run, action, object_type, "
            "object_id, object_repr, before, after, justification, address, path) VALUES "
            "('2025-03-30 00:59:59.5+00', 'sam', '', 'view', 'x', '1', '', NULL, NULL, '', "
            " '2001:db8::1', '/x'), "
            "('2025-03-30 01:00:00+00', '', 'old job', 'update', 'x', '1', 'Zoë', "
            " '{\"b\": 1.0, \"a\": [1e20]}', '{\"b\": 2}', 'why', NULL, '')"
        )
    both = {**env, "DATABASE_URL": urls["app"], "CSPHUB_MIGRATE_DATABASE_URL": urls["owner"]}
    python(
        both,
        "from csphub.cli.serve import prepare; prepare()\n"
        "from csphub.hub.audit.service import record\n"
        "from csphub.hub.audit.context import system\n"
        "from csphub.hub.audit.events import Event\n"
        "record(Event.VIEW, ctx=system('as the app role'), object_type='test')\n",
    )
    return both


def trail(url: str) -> list[dict]:
    with psycopg.connect(url) as con, con.cursor(row_factory=dict_row) as cur:
        return cur.execute(f"SELECT {COLUMNS} FROM audit_auditevent ORDER BY seq").fetchall()


def test_the_migration_links_old_rows_and_the_app_role_appends(migrated, two_roles):
    rows = trail(two_roles["urls"]["app"])
    assert [r["system_run"] for r in rows] == ["", "old job", "as the app role"]
    assert [r["form"] for r in rows] == [1, 1, 2]  # old rows keep the form they were hashed in
    assert_chained(rows)


def test_the_app_role_cannot_change_or_unprotect_the_trail(migrated, two_roles):
    refused = [
        "UPDATE audit_auditevent SET justification = 'x'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_append_only ON audit_auditevent",
        "SET session_replication_role = replica",
        # The index of data subjects is part of the trail, and as protected.
        "UPDATE audit_auditsubject SET subject_id = '1'",
        "DELETE FROM audit_auditsubject",
        "TRUNCATE audit_auditsubject",
        "DROP TRIGGER audit_subject_append_only ON audit_auditsubject",
    ]
    with psycopg.connect(two_roles["urls"]["app"], autocommit=True) as con:
        for sql in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(sql)
        # The hub's other tables are the app's to change.
        con.execute("UPDATE auth_user SET username = username")
        con.execute("DELETE FROM django_session")
    assert len(trail(two_roles["urls"]["owner"])) == 3


def test_the_owner_is_still_refused_by_the_triggers(migrated, two_roles):
    with psycopg.connect(two_roles["urls"]["owner"], autocommit=True) as con:
        for sql in ("UPDATE audit_auditevent SET action = 'view'", "DELETE FROM audit_auditevent"):
            with pytest.raises(psycopg.errors.RaiseException, match="audit rows cannot be"):
                con.execute(sql)


def test_verify_runs_as_the_app_role(migrated, two_roles):
    env = {**two_roles["env"], "DATABASE_URL": two_roles["urls"]["app"]}
    done = run_hub(env, str(CSPHUB), "audit", "verify")
    assert done.stdout.startswith("3 rows, chain intact.")


def test_migrating_again_keeps_the_grants(migrated, two_roles):
    run_hub(migrated, sys.executable, "-m", "django", "migrate", "--database", "owner", "-v0")
    with psycopg.connect(two_roles["urls"]["app"], autocommit=True) as con:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("DELETE FROM audit_auditevent")
        con.execute("DELETE FROM django_session")
