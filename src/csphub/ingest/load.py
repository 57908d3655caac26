"""Load police.uk files and partner extracts into the store.

Files are read, parsed, validated and written as Parquet parts in worker threads, then
registered in batches, one catalog transaction each (:mod:`csphub.ingest.commit`). A file
that cannot be loaded, for whatever reason, is one line in the summary: the others load.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from time import perf_counter
from typing import Protocol

import pyarrow as pa

from csphub.ingest.checks import Validated
from csphub.ingest.commit import Prepared, commit_batch, refusals
from csphub.ingest.coverage import Coverage, coverage_of
from csphub.ingest.events import validate_events
from csphub.ingest.forces import ForceNames, force_key
from csphub.ingest.kinds import force_names, parse_file_name
from csphub.ingest.limits import Limits, default_limits
from csphub.ingest.parse import Parsed, parse
from csphub.ingest.parts import remove_files, write_parts
from csphub.ingest.policeuk.validate import (
    validate_outcomes,
    validate_stop_search,
    validate_street,
)
from csphub.ingest.problems import FileProblem
from csphub.ingest.sources import Source, SourceError, close_sources
from csphub.ingest.summary import FileResult, IngestSummary
from csphub.store import Store
from csphub.store.lineage import allocate_file_ids
from csphub.store.schema import PART_SCHEMAS

Progress = Callable[[Source], None]


class FileFormat(Protocol):
    """A partner format (STATS19, ISTV, fire): reads a file into typed rows and problems.

    Its parsed ``kind`` names the part kind (``collisions``, ``ae-assaults`` ...). A file
    is for the (force, period) keys its rows give (see csphub.ingest.partner.formats).
    """

    name: str

    def read(self, data: bytes, limits: Limits, names: ForceNames) -> tuple[Parsed, Validated]: ...


def _validate(parsed: Parsed, source: Source, names: ForceNames, coverage: Coverage) -> Validated:
    kind = parsed.kind.name
    if kind == "events":
        return validate_events(parsed, names)
    if kind == "street":
        return validate_street(parsed, names, coverage)
    if kind == "outcomes":
        return validate_outcomes(parsed, names, coverage)
    name = parse_file_name(source.basename)
    if name is None:
        raise FileProblem(
            "stop-and-search files carry no force column: keep the data.police.uk file "
            "name YYYY-MM-<force>-stop-and-search.csv"
        )
    title = name.force_slug.replace("-", " ").title()
    force = force_names().get(name.force_slug) or names.canonical(force_key(title), title)
    return validate_stop_search(parsed, force=force, file_month=name.month)


def _prepare(
    store_root: Path,
    source: Source,
    file_id: int,
    known: dict[str, str],
    names: ForceNames,
    limits: Limits,
    fmt: FileFormat | None = None,
) -> Prepared:
    """Worker: read, checksum, parse, validate and write the parts of one file.

    Never raises: whatever goes wrong with this file is its one-line error.
    """
    out = Prepared(source, file_id)
    try:
        _prepare_into(out, store_root, known, names, limits, fmt)
    except (SourceError, FileProblem) as exc:
        out.error = str(exc) if isinstance(exc, SourceError) else f"{source.name}: {exc}"
    except OSError as exc:  # disk full, read-only store: a fault, reported, nothing half-kept
        out.error = f"{source.name}: could not write to the store: {exc.strerror or exc}"
    except MemoryError:
        out.error = f"{source.name}: not enough memory to read it; load it on its own"
    except Exception as exc:  # a bug must cost this file, never the run
        out.error = f"{source.name}: could not be loaded ({type(exc).__name__}: {exc})"
    if out.error:
        out.parts = []
    return out


def _prepare_into(
    out: Prepared,
    store_root: Path,
    known: dict[str, str],
    names: ForceNames,
    limits: Limits,
    fmt: FileFormat | None,
) -> None:
    source = out.source
    data = source.read_bytes(limits)
    out.size = len(data)
    out.sha256 = hashlib.sha256(data).hexdigest()
    if out.sha256 in known:
        out.unchanged = True
        return
    if fmt is not None:
        parsed, checked = fmt.read(data, limits, names)
        del data
        out.kind = parsed.kind.name
    else:
        parsed = parse(data, limits)
        del data
        out.kind = parsed.kind.name
        coverage = coverage_of(out.kind, source.basename)
        out.scope = coverage.scope
        checked = _validate(parsed, source, names, coverage)
    out.problems = [*parsed.problems, *checked.problems]
    out.notes = checked.notes
    out.rows_read = parsed.rows_read
    out.rows_loaded = checked.table.num_rows
    out.rows_without_location = checked.rows_without_location
    table = checked.table.add_column(
        0, "file_id", pa.array([out.file_id] * checked.table.num_rows, pa.int32())
    )
    out.parts = write_parts(store_root, out.kind, out.file_id, table)


def _current_shas(store: Store) -> dict[str, str]:
    kinds = pa.table({"kind": list(PART_SCHEMAS)})
    store.con.register("part_kinds", kinds)
    try:
        rows = store.con.execute(
            "SELECT sha256, name FROM source_file WHERE status = 'current' "
            "AND kind IN (SELECT kind FROM part_kinds)"
        ).fetchall()
    finally:
        store.con.unregister("part_kinds")
    return dict(rows)


def _held_names(store: Store) -> list[tuple[str, str]]:
    return store.con.execute("SELECT key, name FROM force_name").fetchall()


def _in_order(pool, store: Store, sources: list[Source], workers: int, *args):
    """Prepared files in the order given, with a bounded number in flight (flat memory)."""
    ids = allocate_file_ids(store, len(sources))
    pending: deque[Future[Prepared]] = deque()
    queue = deque(zip(sources, ids, strict=True))
    while queue or pending:
        while queue and len(pending) < workers * 2:
            src, file_id = queue.popleft()
            pending.append(pool.submit(_prepare, store.root, src, file_id, *args))
        yield pending.popleft().result()


def ingest_sources(
    store: Store,
    sources: list[Source],
    *,
    progress: Progress | None = None,
    workers: int | None = None,
    batch_size: int = 500,
    limits: Limits | None = None,
    replace: bool = False,
    fmt: FileFormat | None = None,
) -> IngestSummary:
    """Ingest police.uk files or partner extracts and say what happened to each file.

    Files are registered in batches of ``batch_size`` per transaction: if the store
    itself fails, that batch is rolled back and reported failed; nothing half-written
    stays. Parts left on disk by a killed earlier run are swept first. ``replace`` lets a
    file replace force-months it covers far less of than the file it replaces.
    """
    started = perf_counter()
    limits = limits or default_limits()
    store.sweep_orphan_parts()
    known = _current_shas(store)
    names = ForceNames(_held_names(store))
    workers = workers or min(4, os.cpu_count() or 2)  # each file is parsed on one thread
    run = _Run(store, names, limits, replace)
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for prep in _in_order(pool, store, sources, workers, known, names, limits, fmt):
                run.take(prep, known)
                if len(run.batch) >= batch_size:
                    run.settle()
                if progress is not None:
                    progress(prep.source)
        run.settle()
    finally:
        close_sources(sources)
    remove_files(store.root, run.dead)
    store.refresh_views()
    results = run.results
    return IngestSummary([results[k] for k in sorted(results)], perf_counter() - started)


class _Run:
    """The state of one ingest: the batch waiting, results so far, parts to delete."""

    def __init__(self, store: Store, names: ForceNames, limits: Limits, replace: bool) -> None:
        self.store, self.names, self.limits, self.replace = store, names, limits, replace
        self.results: dict[int, FileResult] = {}
        self.batch: list[Prepared] = []
        self.seen: dict[str, str] = {}
        self.dead: list[str] = []
        self.registered: set[str] = set()

    def take(self, prep: Prepared, known: dict[str, str]) -> None:
        earlier = known.get(prep.sha256) or self.seen.get(prep.sha256)
        if prep.error:
            self.results[prep.file_id] = FileResult(
                prep.source.name, prep.kind, "failed", error=prep.error
            )
        elif prep.unchanged or earlier:
            remove_files(self.store.root, [p.path for p in prep.parts])
            self.results[prep.file_id] = FileResult(
                prep.source.name, prep.kind, "unchanged", same_as=earlier
            )
        else:
            self.seen[prep.sha256] = prep.source.name
            self.batch.append(prep)

    def settle(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        try:
            refused = refusals(self.store, batch, self.limits, replace=self.replace)
        except Exception as exc:  # the catalog could not be read: fail the batch, not the run
            self._fail(batch, exc)
            return
        for prep in batch:
            if prep.file_id in refused:
                remove_files(self.store.root, [p.path for p in prep.parts])
                self.results[prep.file_id] = FileResult(
                    prep.source.name, prep.kind, "refused", error=refused[prep.file_id]
                )
        batch = [p for p in batch if p.file_id not in refused]
        if not batch:
            return
        new_forces = {k: v for k, v in self.names.added().items() if k not in self.registered}
        try:
            replaced, gone = commit_batch(self.store, batch, new_forces)
        except Exception as exc:  # a store failure: report it, keep nothing half-written
            self._fail(batch, exc)
            return
        self.registered.update(new_forces)
        self.dead.extend(gone)
        for prep in batch:
            self.results[prep.file_id] = FileResult(
                prep.source.name,
                prep.kind,
                "loaded",
                rows_read=prep.rows_read,
                rows_loaded=prep.rows_loaded,
                rows_quarantined=prep.rows_quarantined,
                rows_without_location=prep.rows_without_location,
                replaced=replaced.get(prep.file_id, []),
                problems=prep.problems,
                notes=prep.notes,
                scope=prep.scope,
            )

    def _fail(self, batch: list[Prepared], exc: Exception) -> None:
        for prep in batch:
            remove_files(self.store.root, [p.path for p in prep.parts])
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.results[prep.file_id] = FileResult(
                prep.source.name,
                prep.kind,
                "failed",
                error=f"{prep.source.name}: could not store: {reason}",
            )
