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
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
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
from csphub.store.lineage import allocate_file_ids
from csphub.store.schema import PART_SCHEMAS

#: The column naming whose rows a part holds (a force, or for partner extracts the agency).
_FORCE_FIELD = {"stop-and-search": "force", "events": "agency"}
Progress = Callable[[Source], None]
# Crime IDs are unique hashes: a Parquet dictionary for them is wasted work.
# Statistics only where queries filter, so DuckDB can skip row groups.
_STATS_COLUMNS = ["month", "crime_type", "lsoa_code", "reported_by", "agency", "occurred_at"]
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

    @property
    def rows_quarantined(self) -> int:
        return len({p.row_number for p in self.problems})


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
    try:
        _write_parts(store_root, out, table)
    except OSError as exc:  # disk full, read-only store: a fault, reported, nothing half-kept
        for part in out.parts:
            with contextlib.suppress(OSError):
                os.remove(store_root / part.path)
        out.parts = []
        out.error = f"{source.name}: could not write to the store: {exc.strerror or exc}"
    return out


def _write_parts(store_root: Path, out: _Prepared, table: pa.Table) -> None:
    force_field = _FORCE_FIELD.get(out.kind or "", "reported_by")
    folder = store_root / "parts" / (out.kind or "unknown")
    folder.mkdir(parents=True, exist_ok=True)
    for force, month, rows in _split(table, force_field):
        rel = f"parts/{out.kind}/f{out.file_id:06d}-{_slug(force)}-{month}.parquet"
        pq.write_table(
            rows,
            store_root / rel,
            compression="zstd",
            use_dictionary=_DICT_COLUMNS,
            write_statistics=_STATS_COLUMNS,
        )
        out.parts.append(_Part(force, month, rows.num_rows, rel))


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


def _files_table(preps: list[_Prepared]) -> pa.Table:
    now = datetime.now(UTC).replace(tzinfo=None)
    return pa.table(
        {
            "file_id": pa.array([p.file_id for p in preps], pa.int32()),
            "name": [p.source.name for p in preps],
            "path": [str(p.source.path.resolve()) for p in preps],
            "sha256": [p.sha256 for p in preps],
            "kind": [p.kind or "unknown" for p in preps],
            "bytes": pa.array([p.size for p in preps], pa.int64()),
            "rows_read": pa.array([p.rows_read for p in preps], pa.int32()),
            "rows_loaded": pa.array([p.rows_loaded for p in preps], pa.int32()),
            "rows_quarantined": pa.array([p.rows_quarantined for p in preps], pa.int32()),
            "loaded_at": pa.array([now] * len(preps), pa.timestamp("us")),
            "status": ["current"] * len(preps),
        }
    )


def _commit_batch(store: Store, preps: list[_Prepared]) -> tuple[dict[int, list], list[str]]:
    """Register prepared files in one transaction.

    Returns the replacements made, by file id, and the paths of parts no longer current.
    Later files win over earlier ones, in the batch as in the store.
    """
    replaced: dict[int, list[Replacement]] = defaultdict(list)
    dead: list[str] = []
    owner: dict[tuple[str, str, str], tuple[_Prepared, _Part]] = {}
    superseded_by: dict[tuple[int, str, str, str], int] = {}
    for prep in preps:
        for part in prep.parts:
            key = (prep.kind or "", part.force, part.month)
            if key in owner:
                old_prep, old_part = owner[key]
                replaced[prep.file_id].append(
                    Replacement(
                        *key, old_prep.source.name, old_part.rows, prep.source.name, part.rows
                    )
                )
                superseded_by[(old_prep.file_id, *key)] = prep.file_id
                dead.append(old_part.path)
            owner[key] = (prep, part)
    parts = [(prep, part) for prep in preps for part in prep.parts]
    new_parts = pa.table(
        {
            "file_id": pa.array([p.file_id for p, _ in parts], pa.int32()),
            "kind": [p.kind for p, _ in parts],
            "force": [x.force for _, x in parts],
            "month": pa.array([date.fromisoformat(x.month + "-01") for _, x in parts], pa.date32()),
            "rows": pa.array([x.rows for _, x in parts], pa.int32()),
            "path": [x.path for _, x in parts],
            "status": [
                "superseded"
                if (p.file_id, p.kind, x.force, x.month) in superseded_by
                else "current"
                for p, x in parts
            ],
            "superseded_by": pa.array(
                [superseded_by.get((p.file_id, p.kind, x.force, x.month)) for p, x in parts],
                pa.int32(),
            ),
        }
    )
    winners = pa.table(
        {
            "kind": [k[0] for k in owner],
            "force": [k[1] for k in owner],
            "month": pa.array([date.fromisoformat(k[2] + "-01") for k in owner], pa.date32()),
            "file_id": pa.array([p.file_id for p, _ in owner.values()], pa.int32()),
        }
    )
    problems = [problems_table(p.file_id, p.source.name, p.problems) for p in preps if p.problems]
    con = store.con
    con.begin()
    try:
        for name, table in (("new_parts", new_parts), ("winners", winners)):
            con.register(name, table)
        old = con.execute(
            "SELECT w.file_id, p.kind, p.force, strftime(p.month, '%Y-%m'), f.name, p.rows, p.path "
            "FROM part p JOIN winners w USING (kind, force, month) "
            "JOIN source_file f ON f.file_id = p.file_id WHERE p.status = 'current'"
        ).fetchall()
        con.execute(
            "UPDATE part SET status = 'superseded', superseded_by = w.file_id FROM winners w "
            "WHERE part.kind = w.kind AND part.force = w.force AND part.month = w.month "
            "AND part.status = 'current'"
        )
        con.register("new_files", _files_table(preps))
        con.execute("INSERT INTO source_file SELECT * FROM new_files")
        con.execute("INSERT INTO part SELECT * FROM new_parts")
        if problems:
            con.register("new_problems", pa.concat_tables(problems))
            con.execute("INSERT INTO quarantine SELECT * FROM new_problems")
        con.execute(
            "UPDATE source_file SET status = 'superseded' WHERE status = 'current' "
            "AND file_id IN (SELECT file_id FROM part WHERE status = 'superseded') "
            "AND file_id NOT IN (SELECT file_id FROM part WHERE status = 'current')"
        )
        con.commit()
    except Exception:
        con.rollback()
        raise
    finally:
        for name in ("new_parts", "winners", "new_files", "new_problems"):
            with contextlib.suppress(Exception):
                con.unregister(name)
    by_id = {p.file_id: p for p in preps}
    for new_id, kind, force, month, old_name, old_rows, old_path in old:
        new_rows = next(x.rows for x in by_id[new_id].parts if (x.force, x.month) == (force, month))
        replaced[new_id].append(
            Replacement(kind, force, month, old_name, old_rows, by_id[new_id].source.name, new_rows)
        )
        dead.append(old_path)
    return replaced, dead


def _in_order(pool, store: Store, sources: list[Source], known: dict[str, str], workers: int):
    """Prepared files in the order given, with a bounded number in flight (flat memory)."""
    ids = allocate_file_ids(store, len(sources))
    pending: deque[Future[_Prepared]] = deque()
    queue = deque(zip(sources, ids, strict=True))
    while queue or pending:
        while queue and len(pending) < workers * 2:
            src, file_id = queue.popleft()
            pending.append(pool.submit(_prepare, store.root, src, file_id, known))
        yield pending.popleft().result()


def ingest_sources(
    store: Store,
    sources: list[Source],
    *,
    progress: Progress | None = None,
    workers: int | None = None,
    batch_size: int = 500,
) -> IngestSummary:
    """Ingest police.uk files or partner extracts and say what happened to each file.

    Files are registered in batches of ``batch_size`` per transaction: if the store
    itself fails, that batch is rolled back and reported failed; nothing half-written stays.
    """
    started = perf_counter()
    known = _current_shas(store)
    workers = workers or min(4, os.cpu_count() or 2)  # each file is parsed on one thread
    results: dict[int, FileResult] = {}
    batch: list[_Prepared] = []
    seen: dict[str, str] = {}
    dead: list[str] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for prep in _in_order(pool, store, sources, known, workers):
            earlier = known.get(prep.sha256) or seen.get(prep.sha256)
            if prep.error:
                results[prep.file_id] = FileResult(
                    prep.source.name, prep.kind, "failed", error=prep.error
                )
            elif prep.unchanged or earlier:
                _remove(store, [p.path for p in prep.parts])
                results[prep.file_id] = FileResult(
                    prep.source.name, prep.kind, "unchanged", same_as=earlier
                )
            else:
                seen[prep.sha256] = prep.source.name
                batch.append(prep)
            if len(batch) >= batch_size:
                _settle(store, batch, results, dead)
                batch = []
            if progress is not None:
                progress(prep.source)
    _settle(store, batch, results, dead)
    _remove(store, dead)
    store.refresh_views()
    return IngestSummary([results[k] for k in sorted(results)], perf_counter() - started)


def _settle(
    store: Store, batch: list[_Prepared], results: dict[int, FileResult], dead: list[str]
) -> None:
    if not batch:
        return
    try:
        replaced, gone = _commit_batch(store, batch)
    except Exception as exc:  # a store failure: report it, keep nothing half-written
        for prep in batch:
            _remove(store, [p.path for p in prep.parts])
            results[prep.file_id] = FileResult(
                prep.source.name,
                prep.kind,
                "failed",
                error=f"{prep.source.name}: could not store: {exc}",
            )
        return
    dead.extend(gone)
    for prep in batch:
        results[prep.file_id] = FileResult(
            prep.source.name,
            prep.kind,
            "loaded",
            rows_read=prep.rows_read,
            rows_loaded=prep.rows_loaded,
            rows_quarantined=prep.rows_quarantined,
            rows_without_location=prep.rows_without_location,
            replaced=replaced.get(prep.file_id, []),
            problems=prep.problems,
        )
