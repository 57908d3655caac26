"""Loading one file: checksum, unchanged check, one transaction, lineage and quarantine.

Each kind of file supplies a :class:`Loader`: ``unchanged`` says whether a file already
loaded with the same checksum is still what the store holds, ``prepare`` reads and checks
the file without touching the store, and ``write`` puts the good rows in the store inside
the transaction this module opens. A failure anywhere rolls the transaction back, so a
file is either loaded whole (with its lineage row and its quarantined rows) or not at all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import duckdb
import numpy as np
import pyarrow as pa

from csphub.ingest.geography.checks import IssueLog
from csphub.ingest.geography.files import GeographyFileError, SourceFile, read_source
from csphub.ingest.geography.results import FileError, FileResult
from csphub.store.lineage import (
    FileRecord,
    find_current_by_sha,
    next_file_id,
    register_file,
    supersede_files_of_kind,
)
from csphub.store.store import Store


@dataclass
class Prepared:
    """A file read and checked, ready to write: the good rows and the problems."""

    source: SourceFile
    table: pa.Table
    rows_read: int
    issues: IssueLog
    columns: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    detail: Any = None  # what the kind's write step needs to know, e.g. the columns found


@dataclass(frozen=True)
class Written:
    """What ``write`` did: rows written, whether it replaced rows of an earlier file."""

    rows_loaded: int
    replaced: bool
    notes: tuple[str, ...] = ()


class Loader(Protocol):
    kind: str

    def unchanged(self, store: Store, source: SourceFile, previous: FileRecord) -> bool: ...

    def prepare(self, source: SourceFile) -> Prepared: ...

    def write(self, store: Store, prepared: Prepared, file_id: int) -> Written: ...


def ingest_file(store: Store, path: Path, loader: Loader) -> FileResult | FileError:
    """Load one file with ``loader``; bad data gives a :class:`FileError`, never a traceback."""
    started = time.perf_counter()
    try:
        source = read_source(path)
        previous = find_current_by_sha(store, source.sha256, loader.kind)
        if previous is not None and loader.unchanged(store, source, previous):
            return FileResult(
                file=source.name,
                kind=loader.kind,
                status="unchanged",
                file_id=previous.file_id,
                notes=[f"already loaded as file {previous.file_id} ({previous.name})"],
                seconds=time.perf_counter() - started,
            )
        prepared = loader.prepare(source)
    except GeographyFileError as exc:
        return FileError(file=str(path), kind=loader.kind, message=str(exc))
    return _write(store, loader, prepared, started)


def _write(
    store: Store, loader: Loader, prepared: Prepared, started: float
) -> FileResult | FileError:
    source = prepared.source
    store.con.begin()
    try:
        file_id = next_file_id(store)
        written = loader.write(store, prepared, file_id)
        quarantined = prepared.issues.quarantine_table(file_id)
        insert_rows(store, "quarantine", quarantined)
        register_file(
            store,
            file_id=file_id,
            name=source.name,
            path=str(source.path.resolve()),
            sha256=source.sha256,
            kind=loader.kind,
            size=source.size,
            rows_read=prepared.rows_read,
            rows_loaded=written.rows_loaded,
            rows_quarantined=prepared.issues.rejected_rows,
        )
        store.con.commit()
    except GeographyFileError as exc:
        store.con.rollback()
        return FileError(file=source.name, kind=loader.kind, message=str(exc))
    except duckdb.Error as exc:
        store.con.rollback()
        detail = str(exc).splitlines()[0]
        return FileError(
            file=source.name,
            kind=loader.kind,
            message=f"{source.name}: could not be stored ({detail}); nothing from it was kept",
        )
    except BaseException:
        store.con.rollback()
        raise
    return FileResult(
        file=source.name,
        kind=loader.kind,
        status="replaced" if written.replaced else "loaded",
        file_id=file_id,
        rows_read=prepared.rows_read,
        rows_loaded=written.rows_loaded,
        columns=dict(prepared.columns),
        problems=list(prepared.issues.problems),
        notes=[*prepared.notes, *written.notes],
        seconds=time.perf_counter() - started,
    )


def insert_rows(store: Store, table: str, rows: pa.Table) -> None:
    """Insert an Arrow table into a catalog table, matching columns by name."""
    if rows.num_rows == 0:
        return
    view = f"_csphub_new_{table}"
    store.con.register(view, rows)
    try:
        columns = ", ".join(rows.column_names)
        store.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {view}")
    finally:
        store.con.unregister(view)


def upsert_rows(store: Store, table: str, rows: pa.Table, key: tuple[str, ...]) -> None:
    """Insert rows, updating in place those whose ``key`` is already in ``table``."""
    if rows.num_rows == 0:
        return
    view = f"_csphub_new_{table}"
    columns = ", ".join(rows.column_names)
    updates = ", ".join(f"{c} = excluded.{c}" for c in rows.column_names if c not in key)
    store.con.register(view, rows)
    try:
        store.con.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {view} "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
        )
    finally:
        store.con.unregister(view)


def replace_table(store: Store, table: str, rows: pa.Table) -> bool:
    """Make ``rows`` the whole content of ``table`` (inside the caller's transaction).

    The table is dropped and created again from its own DDL (and that of its indexes) as
    the catalog holds it, then filled. DELETE is not used: DuckDB deletes from a table
    with a primary key cost tens of microseconds a row (12 s to empty the 295,596 rows of
    the IoD sub-domains), while this takes well under a second. A rollback restores the
    old table. Returns whether the table held rows before.
    """
    had_rows = store.has_rows(table)
    found = store.con.execute(
        "SELECT sql FROM duckdb_tables() WHERE table_name = ? AND schema_name = current_schema()",
        [table],
    ).fetchone()
    indexes = store.con.execute(
        "SELECT sql FROM duckdb_indexes() WHERE table_name = ? AND sql IS NOT NULL", [table]
    ).fetchall()
    store.con.execute(f"DROP TABLE {table}")
    store.con.execute(found[0])
    for (sql,) in indexes:
        store.con.execute(sql)
    insert_rows(store, table, rows)
    return had_rows


def no_rows_error(prepared: Prepared, what: str) -> GeographyFileError:
    """The error for a file in which no row could be loaded, quoting the first problem."""
    name = prepared.source.name
    if prepared.rows_read == 0:
        return GeographyFileError(f"{name}: has no data rows; expected {what}")
    first = prepared.issues.problems[0] if prepared.issues.problems else None
    detail = f" (first problem: {first.where} {first.field}: {first.reason})" if first else ""
    return GeographyFileError(
        f"{name}: none of its {prepared.rows_read} rows could be loaded{detail}; nothing was stored"
    )


def supersede_unused(store: Store, kind: str, table: str, file_id: int) -> list[str]:
    """Mark superseded every other current file of ``kind`` with no rows left in ``table``.

    Returns a note for each. Used by the kinds that replace rows by key (boundaries,
    deprivation), where a file is in use as long as some of its rows are.
    """
    rows = store.con.execute(
        "UPDATE source_file SET status = 'superseded' "
        "WHERE kind = ? AND status = 'current' AND file_id <> ? "
        f"AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.file_id = source_file.file_id) "
        "RETURNING file_id, name",
        [kind, file_id],
    ).fetchall()
    return [f"file {fid} ({name}) is superseded: none of its rows remain" for fid, name in rows]


def write_whole_table(
    store: Store, table_name: str, kind: str, prepared: Prepared, file_id: int
) -> Written:
    """Replace a whole-table kind (population, deprivation) and supersede its older files."""
    table = prepared.table
    ids = pa.array(np.full(table.num_rows, file_id), pa.int32())
    had_rows = replace_table(store, table_name, table.append_column("file_id", ids))
    superseded = supersede_files_of_kind(store, kind, file_id)
    notes = tuple(f"file {r.file_id} ({r.name}) is superseded" for r in superseded)
    return Written(table.num_rows, had_rows or bool(superseded), notes)
