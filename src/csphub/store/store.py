"""The evidence store: a folder holding a DuckDB catalog and Parquet parts.

Open it with :func:`open_store`; query it through ``store.con`` and the views ``street``,
``outcomes``, ``stop_search`` and ``events``, which always show exactly the current parts.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from csphub.store.schema import (
    CATALOG_DDL,
    CATALOG_MIGRATIONS,
    PART_SCHEMAS,
    SCHEMA_VERSION,
    VIEW_NAMES,
)

DEFAULT_STORE = "csphub-data"
CATALOG_FILE = "csphub.duckdb"


class StoreError(Exception):
    """A store that cannot be opened or used; the message says what to do."""


class StoreBusy(StoreError):
    """Another csphub process is writing the store (an ingest). The message names no path
    or process: readers such as the hub's dashboard show it as it is."""


#: What a reader says while an ingest holds the store.
BEING_REFRESHED = (
    "the evidence store is being updated; figures are being refreshed, try again shortly"
)
_POLL_SECONDS = 0.2


def resolve_store_path(explicit: str | os.PathLike[str] | None, env: dict[str, str]) -> Path:
    """``--store DIR``, else ``CSPHUB_STORE``, else ``./csphub-data``."""
    if explicit:
        return Path(explicit)
    if env.get("CSPHUB_STORE"):
        return Path(env["CSPHUB_STORE"])
    return Path(DEFAULT_STORE)


@dataclass
class Store:
    """An open evidence store. Use as a context manager or call :meth:`close`."""

    root: Path
    con: duckdb.DuckDBPyConnection
    read_only: bool = False

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def part_path(self, relative: str) -> Path:
        return self.root / relative

    def schema_part(self, kind: str) -> Path:
        """An empty Parquet file with the part schema, so views exist before any data."""
        return self.root / "parts" / kind / "_schema.parquet"

    def refresh_views(self) -> None:
        """(Re)create the temporary views over the current Parquet parts.

        An extract kept as its own source (``scope`` set) is shown only for the
        force-months no force file covers, so its rows are never counted twice.
        """
        rows = self.con.execute(
            "SELECT DISTINCT kind, path FROM part p WHERE status = 'current' "
            "AND (p.scope = '' OR NOT EXISTS (SELECT 1 FROM part q WHERE q.status = 'current' "
            "AND q.scope = '' AND q.kind = p.kind AND q.force = p.force AND q.month = p.month)) "
            "ORDER BY kind, path"
        ).fetchall()
        by_kind: dict[str, list[str]] = {kind: [] for kind in PART_SCHEMAS}
        for kind, rel in rows:
            by_kind.setdefault(kind, []).append(str(self.part_path(rel)))
        for kind, view in VIEW_NAMES.items():
            schema = self.schema_part(kind)
            files = [str(schema)] if schema.exists() else []
            files += by_kind.get(kind, [])
            if not files:  # a store made before this kind existed, opened read-only
                empty = pa.Table.from_pylist([], schema=PART_SCHEMAS[kind])
                self.con.register(view, empty)
                continue
            listing = ", ".join(_sql_string(f) for f in files)
            self.con.execute(
                f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT * FROM read_parquet([{listing}])"
            )

    def sweep_orphan_parts(self) -> list[Path]:
        """Delete Parquet files no current part names: what a killed ingest left behind.

        Call only while holding the store for writing (no other ingest can be running).
        """
        current = {
            r[0]
            for r in self.con.execute("SELECT path FROM part WHERE status = 'current'").fetchall()
        }
        swept = []
        for path in sorted((self.root / "parts").glob("*/*")):
            rel = path.relative_to(self.root).as_posix()
            if path.is_file() and path.name != "_schema.parquet" and rel not in current:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    swept.append(path)
        return swept

    def has_rows(self, table: str) -> bool:
        return bool(self.con.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0])


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def open_store(
    root: str | os.PathLike[str],
    *,
    create: bool = True,
    read_only: bool = False,
    wait: float = 0.0,
) -> Store:
    """Open (and by default create) the store in folder ``root``.

    Raises :class:`StoreError` with a readable message when the folder is not a store.
    While another process writes it, a reader gets :class:`StoreBusy` at once (it must
    not block a web page); a writer waits up to ``wait`` seconds for it to finish.
    """
    root = Path(root)
    catalog = root / CATALOG_FILE
    if not catalog.exists():
        if not create or read_only:
            raise StoreError(
                f"no evidence store at {root}: ingest data first "
                f"(csphub ingest police-uk PATH --store {root}) or run csphub demo"
            )
        occupied = root.exists() and any(p for p in root.iterdir() if p.name != ".gitkeep")
        if occupied and not (root / "parts").exists():
            raise StoreError(f"{root} exists and is not an evidence store; choose an empty folder")
        root.mkdir(parents=True, exist_ok=True)
    con = _connect(root, catalog, read_only=read_only, wait=0.0 if read_only else wait)
    store = Store(root=root, con=con, read_only=read_only)
    if not read_only:
        _initialise(store)
    store.refresh_views()
    return store


def _connect(root: Path, catalog: Path, *, read_only: bool, wait: float):
    """Connect to the catalog, waiting for another writer up to ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(catalog), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise StoreError(f"cannot open the store {root}: {reason}") from None
            if time.monotonic() >= deadline:
                if read_only:
                    raise StoreBusy(BEING_REFRESHED) from None
                waited = f"; waited {wait:g} s" if wait else ""
                raise StoreBusy(
                    f"the store {root} is being written by another csphub ingest{waited}; "
                    "run again when it has finished (csphub ingest --wait SECONDS waits longer)"
                ) from None
            time.sleep(_POLL_SECONDS)


def _initialise(store: Store) -> None:
    store.con.execute(CATALOG_DDL)
    for statement in CATALOG_MIGRATIONS:
        store.con.execute(statement)
    found = store.con.execute(
        "SELECT value FROM store_meta WHERE key = 'schema_version'"
    ).fetchone()
    if found is None:
        store.con.execute(
            "INSERT INTO store_meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
    elif int(found[0]) != SCHEMA_VERSION:
        raise StoreError(
            f"the store {store.root} has schema version {found[0]}, this csphub expects "
            f"{SCHEMA_VERSION}; re-ingest into a new store"
        )
    for kind, schema in PART_SCHEMAS.items():
        path = store.schema_part(kind)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pylist([], schema=schema), path)
