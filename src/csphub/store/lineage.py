"""Lineage: the record of every file ingested (name, sha256, counts, status)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from csphub.store.store import Store


@dataclass(frozen=True)
class FileRecord:
    file_id: int
    name: str
    sha256: str
    kind: str
    status: str


def find_current_by_sha(store: Store, sha256: str, kind: str | None = None) -> FileRecord | None:
    """The current file with this checksum, if it was ingested before and is still in use."""
    sql = (
        "SELECT file_id, name, sha256, kind, status FROM source_file "
        "WHERE sha256 = ? AND status = 'current'"
    )
    params: list[object] = [sha256]
    if kind is not None:
        sql += " AND kind = ?"
        params.append(kind)
    row = store.con.execute(sql + " ORDER BY file_id DESC LIMIT 1", params).fetchone()
    return FileRecord(*row) if row else None


def next_file_id(store: Store) -> int:
    return int(store.con.execute("SELECT nextval('file_id_seq')").fetchone()[0])


def allocate_file_ids(store: Store, n: int) -> list[int]:
    """``n`` new file ids in one round trip (ids of files that end up unchanged are unused)."""
    if n == 0:
        return []
    rows = store.con.execute("SELECT nextval('file_id_seq') FROM range(?)", [n]).fetchall()
    return [int(r[0]) for r in rows]


def register_file(
    store: Store,
    *,
    file_id: int,
    name: str,
    path: str | None,
    sha256: str,
    kind: str,
    size: int,
    rows_read: int,
    rows_loaded: int,
    rows_quarantined: int,
) -> None:
    """Insert the lineage row of a file (call inside the transaction that loads it)."""
    store.con.execute(
        "INSERT INTO source_file VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'current')",
        [
            file_id,
            name,
            path,
            sha256,
            kind,
            size,
            rows_read,
            rows_loaded,
            rows_quarantined,
            datetime.now(UTC).replace(tzinfo=None),
        ],
    )


def supersede_files_of_kind(store: Store, kind: str, keep_file_id: int) -> list[FileRecord]:
    """Mark every other current file of a whole-table kind (e.g. population) superseded."""
    rows = store.con.execute(
        "UPDATE source_file SET status = 'superseded' WHERE kind = ? AND status = 'current' "
        "AND file_id <> ? RETURNING file_id, name, sha256, kind, status",
        [kind, keep_file_id],
    ).fetchall()
    return [FileRecord(*r) for r in rows]
