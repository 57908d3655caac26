"""Register prepared files in the catalog: lineage, parts, quarantine, replacements.

Replacement rule: a part is the rows of one file for one (kind, force, month, scope).
A newer file replaces a held part of the same key (police.uk republishes months with
updated outcomes), but only when it is at least ``min_replacement_share`` of the held
part's rows and LSOAs: a file that covers far less is refused unless the user says
``--replace``. The same bytes again change nothing (handled before this module).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pyarrow as pa

from csphub.ingest.limits import Limits
from csphub.ingest.parts import Part
from csphub.ingest.problems import Problem, problems_table
from csphub.ingest.sources import Source
from csphub.ingest.summary import Replacement
from csphub.store import Store
from csphub.store.schema import PART_SCHEMAS

Key = tuple[str, str, str, str]  # kind, force, month (YYYY-MM), scope


@dataclass
class Prepared:
    """One file read, checked and written as parts, waiting to be registered."""

    source: Source
    file_id: int
    sha256: str = ""
    size: int = 0
    kind: str | None = None
    scope: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_without_location: int = 0
    problems: list[Problem] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    unchanged: bool = False

    @property
    def rows_quarantined(self) -> int:
        return len({p.row_number for p in self.problems})

    def keyed_parts(self) -> list[tuple[Key, Part]]:
        return [((self.kind or "", p.force, p.month, self.scope), p) for p in self.parts]


@dataclass
class Held:
    """The current part of a key: whose it is and how much it covers."""

    file_name: str
    rows: int
    lsoas: int | None


def refusals(
    store: Store, batch: list[Prepared], limits: Limits, *, replace: bool
) -> dict[int, str]:
    """Files of the batch that would replace far more than they bring, with the reason."""
    if replace:
        return {}
    held = _held(store, {k for p in batch for k, _ in p.keyed_parts()})
    out: dict[int, str] = {}
    share = limits.min_replacement_share
    for prep in batch:
        for key, part in prep.keyed_parts():
            old = held.get(key)
            if old is None:
                continue
            if part.rows < share * old.rows or (
                old.lsoas and (part.lsoas or 0) < share * old.lsoas
            ):
                out[prep.file_id] = (
                    f"{prep.source.name}: refused: it would replace {key[1]} {key[2]} "
                    f"{key[0]} ({old.rows:,} rows, {old.lsoas or 0:,} LSOAs from "
                    f"{old.file_name}) with {part.rows:,} rows and {part.lsoas or 0:,} LSOAs, "
                    f"under {share:.0%} of them (min_replacement_share): " + _remedy(key[0])
                )
                break
        if prep.file_id not in out:
            for key, part in prep.keyed_parts():
                held[key] = Held(prep.source.name, part.rows, part.lsoas)
    return out


def _remedy(kind: str) -> str:
    if kind in ("street", "outcomes", "stop-and-search"):
        return (
            "is it an extract for part of the force? Rename it so it is not a "
            "data.police.uk file name to keep it as its own source, or give --replace"
        )
    return "is it a part of the period only? Give --replace if it is meant to replace it"


def _held(store: Store, keys: set[Key]) -> dict[Key, Held]:
    if not keys:
        return {}
    wanted = pa.table(
        {
            "kind": [k[0] for k in keys],
            "force": [k[1] for k in keys],
            "month": pa.array([date.fromisoformat(k[2] + "-01") for k in keys], pa.date32()),
            "scope": [k[3] for k in keys],
        }
    )
    store.con.register("wanted_keys", wanted)
    try:
        rows = store.con.execute(
            "SELECT p.kind, p.force, strftime(p.month, '%Y-%m'), p.scope, f.name, p.rows, "
            "p.lsoas FROM part p JOIN wanted_keys w USING (kind, force, month, scope) "
            "JOIN source_file f ON f.file_id = p.file_id WHERE p.status = 'current'"
        ).fetchall()
    finally:
        store.con.unregister("wanted_keys")
    return {(k, fo, m, s): Held(n, r, ls) for k, fo, m, s, n, r, ls in rows}


#: Kinds whose files replace their own earlier load whole (partner formats, issue 14).
_WHOLE_FILE_KINDS = [
    k for k in PART_SCHEMAS if k not in ("street", "outcomes", "stop-and-search", "events")
]
_SAME_FILE = (
    "SELECT n.file_id AS new_id, p.file_id AS old_id, p.kind, p.force, p.month, p.scope, "
    "f.name, p.rows, p.path FROM part p JOIN source_file f ON f.file_id = p.file_id "
    "JOIN new_files n ON n.name = f.name AND n.path = f.path AND n.kind = p.kind "
    "WHERE p.status = 'current' AND list_contains(?, p.kind)"
)


def _same_file_again(store: Store) -> list[tuple]:
    """Supersede what an earlier load of the same file (name and path) holds and the
    reload does not bring again: a reloaded file replaces its earlier load whole, even
    where the corrected file no longer covers a month or year. Call inside the commit,
    after the parts of the keys the new files bring were superseded."""
    con = store.con
    rows = con.execute(
        f"SELECT new_id, kind, force, strftime(month, '%Y-%m'), scope, name, rows, path "
        f"FROM ({_SAME_FILE})",
        [_WHOLE_FILE_KINDS],
    ).fetchall()
    if rows:
        con.execute(
            f"UPDATE part SET status = 'superseded', superseded_by = s.new_id FROM "
            f"({_SAME_FILE}) s WHERE part.file_id = s.old_id AND part.kind = s.kind "
            "AND part.force = s.force AND part.month = s.month AND part.scope = s.scope",
            [_WHOLE_FILE_KINDS],
        )
    return rows


def _files_table(preps: list[Prepared]) -> pa.Table:
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


def commit_batch(
    store: Store, preps: list[Prepared], new_forces: dict[str, str]
) -> tuple[dict[int, list[Replacement]], list[str]]:
    """Register prepared files in one transaction.

    Returns the replacements made, by file id, and the paths of parts no longer current.
    Later files win over earlier ones, in the batch as in the store.
    """
    replaced: dict[int, list[Replacement]] = defaultdict(list)
    dead: list[str] = []
    owner: dict[Key, tuple[Prepared, Part]] = {}
    superseded_by: dict[tuple[int, Key], int] = {}
    for prep in preps:
        for key, part in prep.keyed_parts():
            if key in owner:
                old_prep, old_part = owner[key]
                replaced[prep.file_id].append(
                    Replacement(
                        *key[:3], old_prep.source.name, old_part.rows, prep.source.name, part.rows
                    )
                )
                superseded_by[(old_prep.file_id, key)] = prep.file_id
                dead.append(old_part.path)
            owner[key] = (prep, part)
    parts = [(prep, key, part) for prep in preps for key, part in prep.keyed_parts()]
    new_parts = pa.table(
        {
            "file_id": pa.array([p.file_id for p, _, _ in parts], pa.int32()),
            "kind": [k[0] for _, k, _ in parts],
            "force": [k[1] for _, k, _ in parts],
            "month": pa.array([date.fromisoformat(k[2] + "-01") for _, k, _ in parts], pa.date32()),
            "rows": pa.array([x.rows for _, _, x in parts], pa.int32()),
            "path": [x.path for _, _, x in parts],
            "status": [
                "superseded" if (p.file_id, k) in superseded_by else "current" for p, k, _ in parts
            ],
            "superseded_by": pa.array(
                [superseded_by.get((p.file_id, k)) for p, k, _ in parts], pa.int32()
            ),
            "scope": [k[3] for _, k, _ in parts],
            "lsoas": pa.array([x.lsoas for _, _, x in parts], pa.int32()),
        }
    )
    winners = pa.table(
        {
            "kind": [k[0] for k in owner],
            "force": [k[1] for k in owner],
            "month": pa.array([date.fromisoformat(k[2] + "-01") for k in owner], pa.date32()),
            "scope": [k[3] for k in owner],
            "file_id": pa.array([p.file_id for p, _ in owner.values()], pa.int32()),
        }
    )
    forces = pa.table({"key": list(new_forces), "name": list(new_forces.values())})
    problems = [problems_table(p.file_id, p.source.name, p.problems) for p in preps if p.problems]
    con = store.con
    con.begin()
    try:
        for name, table in (("new_parts", new_parts), ("winners", winners)):
            con.register(name, table)
        old = con.execute(
            "SELECT w.file_id, p.kind, p.force, strftime(p.month, '%Y-%m'), p.scope, f.name, "
            "p.rows, p.path FROM part p JOIN winners w USING (kind, force, month, scope) "
            "JOIN source_file f ON f.file_id = p.file_id WHERE p.status = 'current'"
        ).fetchall()
        con.execute(
            "UPDATE part SET status = 'superseded', superseded_by = w.file_id FROM winners w "
            "WHERE part.kind = w.kind AND part.force = w.force AND part.month = w.month "
            "AND part.scope = w.scope AND part.status = 'current'"
        )
        con.register("new_files", _files_table(preps))
        old += _same_file_again(store)
        con.execute("INSERT INTO source_file SELECT * FROM new_files")
        con.execute(
            "INSERT INTO part (file_id, kind, force, month, rows, path, status, superseded_by, "
            "scope, lsoas) SELECT * FROM new_parts"
        )
        if forces.num_rows:
            con.register("new_forces", forces)
            con.execute("INSERT OR IGNORE INTO force_name SELECT key, name FROM new_forces")
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
        for name in ("new_parts", "winners", "new_files", "new_problems", "new_forces"):
            with contextlib.suppress(Exception):
                con.unregister(name)
    by_id = {p.file_id: p for p in preps}
    for new_id, kind, force, month, scope, old_name, old_rows, old_path in old:
        key = (kind, force, month, scope)
        new_rows = next((x.rows for k, x in by_id[new_id].keyed_parts() if k == key), 0)
        replaced[new_id].append(
            Replacement(kind, force, month, old_name, old_rows, by_id[new_id].source.name, new_rows)
        )
        dead.append(old_path)
    return replaced, dead
