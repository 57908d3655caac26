"""The audit chain's expected hashes, computed from the canonical form as docs/commands.md
states it (not from csphub's own code), and a PostgreSQL server for tests that make their
own databases and roles.

Rows may come from the ORM or straight from the database: SQLite's text timestamps
(naive, UTC) and psycopg's ``ipaddress`` objects are accepted; JSON columns read as text
must be decoded first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import math
import os
from urllib.parse import urlsplit, urlunsplit

import pytest

KEYS = [
    "seq",
    "prev_hash",
    "at",
    "actor_id",
    "actor_name",
    "system_run",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "justification",
    "address",
    "path",
]
#: Form 2's further keys, as docs/commands.md lists them.
KEYS_2 = ["form", "acting_agency", "request_id", "subjects", "recipient", "legal_basis"]
ZEROS = "0" * 64


def _utc_text(value) -> str:
    if isinstance(value, str):  # SQLite stores UTC without an offset
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _json(value):
    if isinstance(value, float) and math.isfinite(value) and value % 1 == 0:
        return int(value)
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def _address(value):
    if value in (None, ""):
        return None
    return ipaddress.ip_address(str(value)).exploded


def expected_hash(row: dict) -> str:
    form = row.get("form") or 1
    assert form in (1, 2), f"form {form}"
    body = {key: row[key] for key in (KEYS if form == 1 else KEYS + KEYS_2)}
    if form == 2:
        subjects = row["subjects"]
        body["subjects"] = json.loads(subjects) if isinstance(subjects, str) else subjects
    body["at"] = _utc_text(row["at"])
    body["address"] = _address(row["address"])
    body["before"] = _json(row["before"])
    body["after"] = _json(row["after"])
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def assert_chained(rows: list[dict], first_seq: int = 1) -> None:
    """``rows`` (in seq order, from ``first_seq``) are numbered without gaps, each links
    to the one before and each hash is the expected one."""
    assert [r["seq"] for r in rows] == list(range(first_seq, first_seq + len(rows)))
    previous = ZEROS if first_seq == 1 else rows[0]["prev_hash"]
    for row in rows:
        assert row["prev_hash"] == previous, f"seq {row['seq']} does not link"
        assert row["row_hash"] == expected_hash(row), f"seq {row['seq']} hash"
        previous = row["row_hash"]


def postgres_admin_url() -> str:
    """A superuser URL of the PostgreSQL server: $CSPHUB_TEST_POSTGRES_URL, else the server
    of a PostgreSQL $DATABASE_URL (database postgres), else postgres@127.0.0.1:5432."""
    if url := os.environ.get("CSPHUB_TEST_POSTGRES_URL"):
        return url
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return urlunsplit(urlsplit(url)._replace(path="/postgres"))
    return "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_admin():
    """An autocommit superuser connection, or skip the test when no server answers."""
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(postgres_admin_url(), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {postgres_admin_url()}: {exc}")


def url_for(admin_url: str, user: str, password: str, database: str) -> str:
    parts = urlsplit(admin_url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{user}:{password}@{host}:{parts.port or 5432}"
    return urlunsplit(parts._replace(netloc=netloc, path=f"/{database}"))
