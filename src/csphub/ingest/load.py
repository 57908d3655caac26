"""Load police.uk files and partner extracts into the store.

Files are parsed and validated in worker threads, then each is registered in one catalog
transaction (lineage, parts, quarantine, replacements).

Replacement rule: a part is the rows of one file for one (kind, force, month). When a
file brings a (kind, force, month) that another current file already holds, the older
part is superseded: police.uk republishes months with updated outcomes, and the latest
download of a force-month is the one to keep. The same bytes again change nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from csphub.ingest.events import validate_events
from csphub.ingest.kinds import force_names, parse_file_name
from csphub.ingest.parse import parse
from csphub.ingest.policeuk.validate import (
    Validated,
    validate_outcomes,
    validate_stop_search,
    validate_street,
)
from csphub.ingest.problems import FileProblem, Problem, problems_table
from csphub.ingest.sources import Source, SourceError
from csphub.ingest.summary import FileResult, IngestSummary, Replacement
from csphub.store import Store
from csphub.store.lineage import next_file_id, register_file
from csphub.store.schema import PART_SCHEMAS

#: The column naming whose rows a part holds (a force, or for partner extracts the agency).
_FORCE_FIELD = {"stop-and-search": "force", "events": "agency"}
Progress = Callable[[Source], None]
# Crime IDs are unique hashes: a Parquet dictionary for them is wasted work.
_DICT_COLUMNS = [
    c for schema in PART_SCHEMAS.values() for c in schema.names if c not in ("crime_id", "event_id")
]


@dataclass
class _Part:
    force: str
    month: str  # YYYY-MM
    rows: int
    path: str  # relative to the store


@dataclass
class _Prepared:
    source: Source
    file_id: int
    sha256: str = ""
    size: int = 0
    kind: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_without_location: int = 0
    problems: list[Problem] = field(default_factory=list)
    parts: list[_Part] = field(default_factory=list)
    error: str | None = None
    unchanged: bool = False


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unknown"


def _validate(parsed, source: Source) -> Validated:
    kind = parsed.kind.name
    if kind == "events":
        return validate_events(parsed)
    if kind == "street":
        return validate_street(parsed)
    if kind == "outcomes":
        return validate_outcomes(parsed)
    name = parse_file_name(source.basename)
    if name is None:
        raise FileProblem(
            "stop-and-search files carry no force column: keep the data.police.uk file "
            "name YYYY-MM-<force>-stop-and-search.csv"
        )
    force = force_names().get(name.force_slug, name.force_slug.replace("-", " ").title())
    return validate_stop_search(parsed, force=force, file_month=name.month)


def _split(table: pa.Table, force_field: str) -> Iterable[tuple[str, str, pa.Table]]:
    """The rows of each (force, month) in the table; usually there is just one."""
    if table.num_rows == 0:
        return
    keys = table.select([force_field, "month"]).group_by([force_field, "month"]).aggregate([])
    if keys.num_rows == 1:
        yield str(keys[force_field][0]), keys["month"][0].as_py().strftime("%Y-%m"), table
        return
    for force, month in zip(keys[force_field].to_pylist(), keys["month"].to_pylist(), strict=True):
        mask = pc.and_(pc.equal(table[force_field], force), pc.equal(table["month"], month))
        yield str(force), month.strftime("%Y-%m"), table.filter(mask)


def _prepare(store_root: Path, source: Source, file_id: int, known: dict[str, str]) -> _Prepared:
    """Worker: read, checksum, parse, validate and write the Parquet parts of one file."""
    out = _Prepared(source, file_id)
    try:
        data = source.read_bytes()
        out.size = len(data)
        out.sha256 = hashlib.sha256(data).hexdigest()
        if out.sha256 in known:
            out.unchanged = True
            return out
        parsed = parse(data)
        del data
        out.kind = parsed.kind.name
        checked = _validate(parsed, source)
    except (SourceError, FileProblem) as exc:
        out.error = str(exc) if isinstance(exc, SourceError) else f"{source.name}: {exc}"
        return out
    out.problems = [*parsed.problems, *checked.problems]
    out.rows_read = parsed.rows_read
    out.rows_loaded = checked.table.num_rows
    out.rows_without_location = checked.rows_without_location
    table = checked.table.add_column(
        0, "file_id", pa.array([file_id] * checked.table.num_rows, pa.int32())
    )
    force_field = _FORCE_FIELD.get(out.kind, "reported_by")
    folder = store_root / "parts" / out.kind
    folder.mkdir(parents=True, exist_ok=True)
    for force, month, rows in _split(table, force_field):
        rel = f"parts/{out.kind}/f{file_id:06d}-{_slug(force)}-{month}.parquet"
        pq.write_table(rows, store_root / rel, compression="zstd", use_dictionary=_DICT_COLUMNS)
        out.parts.append(_Part(force, month, rows.num_rows, rel))
    return out


def _current_shas(store: Store) -> dict[str, str]:
    rows = store.con.execute(
        "SELECT sha256, name FROM source_file WHERE status = 'current' "
        "AND kind IN ('street', 'outcomes', 'stop-and-search', 'events')"
    ).fetchall()
    return dict(rows)


def _remove(store: Store, rels: Iterable[str]) -> None:
    for rel in rels:
        with contextlib.suppress(FileNotFoundError):
            os.remove(store.part_path(rel))


def _commit(store: Store, prep: _Prepared) -> tuple[list[Replacement], list[str]]:
    """Register one prepared file in a transaction; returns replacements and dead parts."""
    con = store.con
    replacements: list[Replacement] = []
    dead: list[str] = []
    con.begin()
    try:
        register_file(
            store,
            file_id=prep.file_id,
            name=prep.source.name,
            path=str(prep.source.path.resolve()),
            sha256=prep.sha256,
            kind=prep.kind or "unknown",
            size=prep.size,
            rows_read=prep.rows_read,
            rows_loaded=prep.rows_loaded,
            rows_quarantined=len({p.row_number for p in prep.problems}),
        )
        for part in prep.parts:
            old = con.execute(
                "SELECT p.file_id, f.name, p.rows, p.path FROM part p JOIN source_file f "
                "USING (file_id) WHERE p.kind = ? AND p.force = ? AND p.month = ? "
                "AND p.status = 'current'",
                [prep.kind, part.force, part.month + "-01"],
            ).fetchall()
            for old_id, old_name, old_rows, old_path in old:
                con.execute(
                    "UPDATE part SET status = 'superseded', superseded_by = ? WHERE file_id = ? "
                    "AND kind = ? AND force = ? AND month = ?",
                    [prep.file_id, old_id, prep.kind, part.force, part.month + "-01"],
                )
                replacements.append(
                    Replacement(
                        prep.kind or "",
                        part.force,
                        part.month,
                        old_name,
                        old_rows,
                        prep.source.name,
                        part.rows,
                    )
                )
                dead.append(old_path)
            con.execute(
                "INSERT INTO part VALUES (?, ?, ?, ?, ?, ?, 'current', NULL)",
                [prep.file_id, prep.kind, part.force, part.month + "-01", part.rows, part.path],
            )
        if prep.problems:
            rows = problems_table(prep.file_id, prep.source.name, prep.problems)
            con.register("new_problems", rows)
            con.execute("INSERT INTO quarantine SELECT * FROM new_problems")
            con.unregister("new_problems")
        con.execute(
            "UPDATE source_file SET status = 'superseded' WHERE status = 'current' AND kind = ? "
            "AND file_id IN (SELECT DISTINCT file_id FROM part WHERE status = 'superseded') "
            "AND file_id NOT IN (SELECT file_id FROM part WHERE status = 'current')",
            [prep.kind],
        )
        con.commit()
    except Exception:
        con.rollback()
        raise
    return replacements, dead


def ingest_sources(
    store: Store,
    sources: list[Source],
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> IngestSummary:
    """Ingest police.uk sources into the store and say what happened to each file."""
    started = perf_counter()
    known = _current_shas(store)
    workers = workers or min(4, os.cpu_count() or 2)
    results: list[FileResult] = []
    dead_parts: list[str] = []
    seen_in_batch: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[_Prepared]] = deque()
        queue = deque(sources)
        while queue or pending:
            while queue and len(pending) < workers * 2:
                src = queue.popleft()
                pending.append(pool.submit(_prepare, store.root, src, next_file_id(store), known))
            prep = pending.popleft().result()
            results.append(_settle(store, prep, known, seen_in_batch, dead_parts))
            if progress is not None:
                progress(prep.source)
    _remove(store, dead_parts)
    store.refresh_views()
    return IngestSummary(results, perf_counter() - started)


def _settle(
    store: Store,
    prep: _Prepared,
    known: dict[str, str],
    seen_in_batch: dict[str, str],
    dead_parts: list[str],
) -> FileResult:
    name = prep.source.name
    if prep.error:
        return FileResult(name, prep.kind, "failed", error=prep.error)
    earlier = known.get(prep.sha256) or seen_in_batch.get(prep.sha256)
    if prep.unchanged or earlier:
        _remove(store, [p.path for p in prep.parts])
        return FileResult(name, prep.kind, "unchanged", same_as=earlier)
    try:
        replacements, dead = _commit(store, prep)
    except Exception as exc:  # a store failure must not lose the other files
        _remove(store, [p.path for p in prep.parts])
        return FileResult(name, prep.kind, "failed", error=f"{name}: could not store: {exc}")
    seen_in_batch[prep.sha256] = name
    dead_parts.extend(dead)
    return FileResult(
        name,
        prep.kind,
        "loaded",
        rows_read=prep.rows_read,
        rows_loaded=prep.rows_loaded,
        rows_quarantined=len({p.row_number for p in prep.problems}),
        rows_without_location=prep.rows_without_location,
        replaced=replacements,
        problems=prep.problems,
    )
