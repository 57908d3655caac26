"""`csphub audit verify` on a throwaway SQLite hub (the demo partnership): an intact trail
passes, and a row changed, deleted, moved or rewritten by hand (its triggers dropped, in
SQL) is reported with its row id. Also: the chain of rows written before the chain existed
(the migration links them), and writer processes that run at once on SQLite."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from audit_chain_expect import assert_chained, expected_hash
from csphub.cli.demo_hub import create_demo_hub

CSPHUB = Path(sys.executable).with_name("csphub")


def hub_env(hub: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CSPHUB_MIGRATE_DATABASE_URL")
    }
    env["CSPHUB_HUB_DIR"] = str(hub)
    env["DJANGO_SETTINGS_MODULE"] = "csphub.hub.settings"
    return env


def verify(hub: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CSPHUB), "audit", "verify", "--hub-dir", str(hub), *args],
        env=hub_env(hub),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def in_hub(hub: Path, code: str) -> str:
    """Run ``code`` in a Python process with the hub's Django set up; its stdout."""
    setup = "from csphub.hub import setup; setup(); "
    done = subprocess.run(
        [sys.executable, "-c", setup + code],
        env=hub_env(hub),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def raw_rows(hub: Path) -> list[dict]:
    """The trail as SQLite holds it (no Django), JSON decoded, in seq order."""
    with closing(sqlite3.connect(hub / "hub.sqlite3")) as con:
        con.row_factory = sqlite3.Row
        rows = [dict(r) for r in con.execute("SELECT * FROM audit_auditevent ORDER BY seq")]
    for row in rows:
        for key in ("before", "after"):
            row[key] = None if row[key] is None else json.loads(row[key])
    return rows


def tamper(hub: Path, *statements: tuple[str, list]) -> None:
    """Drop the append-only triggers and run ``statements`` (the triggers stay dropped)."""
    with closing(sqlite3.connect(hub / "hub.sqlite3")) as con:
        con.execute("DROP TRIGGER audit_no_update")
        con.execute("DROP TRIGGER audit_no_delete")
        for sql, params in statements:
            con.execute(sql, params)
        con.commit()


@pytest.fixture(scope="module")
def demo_hub(tmp_path_factory) -> Path:
    return create_demo_hub(tmp_path_factory.mktemp("audit-verify") / "hub").hub_dir


@pytest.fixture
def hub(demo_hub, tmp_path) -> Path:
    """A copy of the demo hub, this test's to tamper with."""
    return Path(shutil.copytree(demo_hub, tmp_path / "hub"))


def test_an_intact_trail_passes_with_its_head(hub):
    rows = raw_rows(hub)
    assert len(rows) > 40
    assert_chained(rows)  # every stored hash is the documented one
    done = verify(hub)
    assert done.returncode == 0, done.stdout + done.stderr
    head = rows[-1]
    assert done.stdout.splitlines()[0] == f"{len(rows)} rows, chain intact."
    assert f"Head: seq {head['seq']}, hash {head['row_hash']}." in done.stdout
    anchored = verify(hub, "--anchor", f"{head['seq']}:{head['row_hash']}")
    assert anchored.returncode == 0, anchored.stdout


def test_a_changed_row_is_reported(hub):
    row = raw_rows(hub)[9]
    tamper(hub, ("UPDATE audit_auditevent SET actor_name = ? WHERE id = ?", ["nobody", row["id"]]))
    done = verify(hub)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"row id {row['id']} (seq {row['seq']}): changed:")
    assert lines[1:] == [f"{len(raw_rows(hub))} rows, 1 break in the chain."]


def test_deleted_rows_are_a_gap(hub):
    rows = raw_rows(hub)
    gone, after = rows[20:22], rows[22]
    tamper(hub, ("DELETE FROM audit_auditevent WHERE id IN (?, ?)", [r["id"] for r in gone]))
    done = verify(hub)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        f"row id {after['id']} (seq {after['seq']}): gap: seq {gone[0]['seq']}-"
        f"{gone[1]['seq']} missing before it (deleted rows)"
    )


def test_a_row_deleted_and_written_again_is_out_of_order(hub):
    rows = raw_rows(hub)
    moved, after = rows[30], rows[31]
    columns = [k for k in moved if k != "id"]
    values = [
        json.dumps(moved[k]) if k in ("before", "after") and moved[k] else moved[k] for k in columns
    ]
    tamper(
        hub,
        ("DELETE FROM audit_auditevent WHERE id = ?", [moved["id"]]),
        (
            f"INSERT INTO audit_auditevent ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            values,
        ),
    )
    done = verify(hub)
    assert done.returncode == 1
    first = done.stdout.splitlines()[0]
    assert first.startswith(f"row id {after['id']} (seq {after['seq']}): out-of-order:")
    assert "changed" not in done.stdout  # the content itself is intact


def test_a_rewritten_chain_needs_an_anchor_to_be_caught(hub):
    """Someone who can lift the triggers can change a row and compute its hash again: the
    next row's link breaks. Rewriting every later hash too passes, except against a head
    kept outside the database."""
    rows = raw_rows(hub)
    head = f"{rows[-1]['seq']}:{rows[-1]['row_hash']}"  # kept outside the database
    rows[9]["justification"] = "nothing to see"
    rows[9]["row_hash"] = expected_hash(rows[9])
    tamper(
        hub,
        (
            "UPDATE audit_auditevent SET justification = ?, row_hash = ? WHERE id = ?",
            [rows[9]["justification"], rows[9]["row_hash"], rows[9]["id"]],
        ),
    )
    done = verify(hub)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith(
        f"row id {rows[10]['id']} (seq {rows[10]['seq']}): relinked:"
    )
    statements = []
    for before, row in itertools.pairwise(rows[9:]):
        row["prev_hash"] = before["row_hash"]
        row["row_hash"] = expected_hash(row)
        statements.append(
            (
                "UPDATE audit_auditevent SET prev_hash = ?, row_hash = ? WHERE id = ?",
                [row["prev_hash"], row["row_hash"], row["id"]],
            )
        )
    with closing(sqlite3.connect(hub / "hub.sqlite3")) as con:
        con.executemany(statements[0][0], [params for _, params in statements])
        con.commit()
    assert verify(hub).returncode == 0
    done = verify(hub, "--anchor", head)
    assert done.returncode == 1
    assert f"(seq {rows[-1]['seq']}): anchor:" in done.stdout


def test_writer_processes_at_once_on_sqlite_queue_on_the_chain(hub):
    """Four processes writing at once: SQLite's BEGIN IMMEDIATE makes each wait for the
    write lock before reading the last row, so none fails and none forks the chain."""
    before = len(raw_rows(hub))
    code = (
        "from django.db import transaction; from csphub.hub.audit.service import record\n"
        "from csphub.hub.audit.context import system; from csphub.hub.audit.events import Event\n"
        "for i in range(25):\n"
        "    with transaction.atomic():\n"
        "        record(Event.VIEW, ctx=system('writer'), object_id=str(i))\n"
    )
    setup = "from csphub.hub import setup; setup()\n"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", setup + code],
            env=hub_env(hub),
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    rows = raw_rows(hub)
    assert len(rows) == before + 100
    assert_chained(rows)
    assert verify(hub).returncode == 0


def test_rows_from_before_the_chain_are_linked_by_the_migration(tmp_path):
    hub = tmp_path / "hub"
    in_hub(
        hub,
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
        "call_command('migrate', 'audit', '0002', verbosity=0)",
    )
    old = [
        ("2025-01-02 03:04:05", "sam", "view", None, None, None),
        ("2025-01-02 03:04:05.000100", "", "update", '{"b": 1, "a": 2.0}', '{"b": 2}', "::1"),
        ("2025-06-30 23:59:59.999999", "jo", "export", None, '["x"]', "192.0.2.7"),
    ]
    with closing(sqlite3.connect(hub / "hub.sqlite3")) as con:
        con.executemany(
            "INSERT INTO audit_auditevent (at, actor_name, action, before, after, address, "
            "system_run, object_type, object_id, object_repr, justification, path) "
            "VALUES (?, ?, ?, ?, ?, ?, 'old', '', '', '', '', '')",
            old,
        )
        con.commit()
    in_hub(
        hub, "from django.core.management import call_command; call_command('migrate', verbosity=0)"
    )
    rows = raw_rows(hub)
    assert [r["action"] for r in rows] == ["view", "update", "export"]
    assert_chained(rows)
    assert verify(hub).stdout.startswith("3 rows, chain intact.")
    with (
        closing(sqlite3.connect(hub / "hub.sqlite3")) as con,  # the triggers are back
        pytest.raises(sqlite3.DatabaseError, match="audit rows cannot be changed"),
    ):
        con.execute("UPDATE audit_auditevent SET action = 'view'")


def test_no_database_and_a_bad_anchor_are_errors(tmp_path, hub):
    done = verify(tmp_path / "nowhere")
    assert done.returncode == 2
    assert "no hub database at" in done.stderr
    assert not (tmp_path / "nowhere").exists()  # nothing created
    done = verify(hub, "--anchor", "12:abc")
    assert done.returncode == 2
    assert "is not SEQ:HASH" in done.stderr


DISCLOSE = (
    "from csphub.hub.audit.service import record; from csphub.hub.audit.context import system\n"
    "from csphub.hub.audit.events import Event\n"
    "record(Event.DISCLOSE, ctx=system('test'), object_type='x', object_id='1',\n"
    "       subjects=[('user', 4), ('user', 3)], recipient='Brackwater ICB',\n"
    "       legal_basis='Crime and Disorder Act 1998 s.115')\n"
)


def test_a_disclosures_recipient_basis_and_subjects_are_in_its_hash(hub):
    in_hub(hub, DISCLOSE)
    rows = raw_rows(hub)
    last = rows[-1]
    assert (last["form"], last["recipient"], json.loads(last["subjects"])) == (
        2,
        "Brackwater ICB",
        ["user:3", "user:4"],
    )
    assert_chained(rows)  # the documented form 2 gives every stored hash
    assert verify(hub).returncode == 0
    tamper(hub, ("UPDATE audit_auditevent SET recipient = ? WHERE id = ?", ["Anyone", last["id"]]))
    done = verify(hub)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        f"row id {last['id']} (seq {last['seq']}): changed: its fields do not match its hash"
    )


def test_a_subject_index_entry_removed_or_added_by_hand_is_reported(hub):
    in_hub(hub, DISCLOSE)
    last = raw_rows(hub)[-1]
    first = raw_rows(hub)[0]
    with closing(sqlite3.connect(hub / "hub.sqlite3")) as con:
        con.execute("DROP TRIGGER audit_subject_no_delete")
        con.execute(
            "DELETE FROM audit_auditsubject WHERE event_id = ? AND subject_id = '3'", [last["id"]]
        )
        con.execute(
            "INSERT INTO audit_auditsubject (event_id, subject_type, subject_id) VALUES (?, ?, ?)",
            [first["id"], "user", "3"],
        )
        con.commit()
    done = verify(hub)
    assert done.returncode == 1
    assert done.stdout.splitlines()[:2] == [
        f"row id {first['id']} (seq {first['seq']}): index: "
        "subject index entries for a row that names none",
        f"row id {last['id']} (seq {last['seq']}): index: "
        "its subject index entries differ from its subjects",
    ]
