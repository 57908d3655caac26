"""Lookups: LSOA 2011 -> ward, MSOA, local authority and LSOA 2021, into ``geo_lookup``.

Columns are found by name (see :mod:`.columns`) and written in groups: ``lsoa_name``,
``ward`` (code and name), ``msoa``, ``lad`` and ``lsoa21`` (code and change code). A file
upserts by LSOA 2011 code and writes each group it has whole: a file with ward codes but no
ward names sets the names to null, so a code never carries another vintage's name. Groups
the file lacks are left as they are. A row with a bad code in any group it provides is
not loaded at all (it is quarantined), so a row is never half written.

Files keyed by LSOA 2021 code (``lsoa21_code`` and no LSOA 2011 column, e.g. the ONS
best-fit LSOA21 -> ward 2024 lookup) are stored against LSOA 2011 codes:

* when an LSOA 2011 -> 2021 lookup is loaded (``geo_lookup.lsoa21_code`` is filled), each
  LSOA 2011 takes the row of its 2021 LSOA; an LSOA 2011 without a 2021 code keeps the
  row of the equal code. Nothing new is inserted;
* otherwise rows are upserted by equal code, which is right for the LSOAs unchanged in
  2021 (all of Blackpool's) and inserts the new 2021 codes as rows of their own.

A 2011 -> 2021 lookup repeats an LSOA 2011 code for each LSOA it was split into (change
code S or X); ``geo_lookup`` holds one row per LSOA 2011, so the first is kept.

Lineage: which file last wrote each group is kept in ``store_meta``
(``geo_lookup.owner.<group>``). A file is ``unchanged`` when its checksum is current and
it still owns every group it provides; a file that no longer owns any group is
superseded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from csphub.ingest.geography import columns as col
from csphub.ingest.geography.checks import (
    GSS,
    LSOA,
    MSOA,
    WARD,
    IssueLog,
    check_code,
    matches,
    present,
    reject_repeats,
    text,
)
from csphub.ingest.geography.files import (
    CsvRows,
    GeographyFileError,
    SourceFile,
    csv_header,
    read_csv_text,
)
from csphub.ingest.geography.loading import Prepared, Written, no_rows_error
from csphub.store.lineage import FileRecord
from csphub.store.store import Store

#: Group -> (code target, name target, rule for the code column, rule for the name column).
_GROUPS = {
    "ward": ("ward_code", "ward_name", col.WARD_CODE, col.WARD_NAME, WARD),
    "msoa": ("msoa_code", "msoa_name", col.MSOA_CODE, col.MSOA_NAME, MSOA),
    "lad": ("lad_code", "lad_name", col.LAD_CODE, col.LAD_NAME, GSS),
}
_OWNER = "geo_lookup.owner."
_SPLIT = ("S", "X")


@dataclass(frozen=True)
class LookupColumns:
    """Where each ``geo_lookup`` column comes from in one file."""

    key: str
    keyed_by_2021: bool
    sources: dict[str, str]  # geo_lookup column -> file column
    groups: tuple[str, ...]


def detect_columns(header: list[str], file_name: str) -> LookupColumns:
    """Find the key and the columns of each group, or raise GeographyFileError."""
    key = col.LSOA11_CODE.find(header, file_name)
    lsoa21 = col.LSOA21_CODE.find(header, file_name)
    if key is None and lsoa21 is None:
        raise GeographyFileError(
            f"{file_name}: no LSOA code column found (expected lsoa11_code or LSOA11CD, "
            f"or lsoa21_code or LSOA21CD); its columns are {col.shown(header)}"
        )
    sources: dict[str, str] = {}
    groups: list[str] = []
    if key is not None:
        name = col.LSOA11_NAME.find(header, file_name)
        if name:
            sources["lsoa_name"] = name
            groups.append("lsoa_name")
        if lsoa21:
            sources["lsoa21_code"] = lsoa21
            change = col.CHANGE.find(header, file_name)
            if change:
                sources["lsoa21_change"] = change
            groups.append("lsoa21")
    for group, (code_target, name_target, code_rule, name_rule, _) in _GROUPS.items():
        code = code_rule.find(header, file_name)
        if code:
            sources[code_target] = code
            name = name_rule.find(header, file_name)
            if name:
                sources[name_target] = name
            groups.append(group)
    return LookupColumns(key or str(lsoa21), key is None, sources, tuple(groups))


def keyed_by_2021(header: list[str] | None, file_name: str) -> bool:
    """For ordering: True when a file's header shows an LSOA 2021 key (False if unsure)."""
    try:
        return header is not None and detect_columns(header, file_name).keyed_by_2021
    except GeographyFileError:  # ordering only; loading the file reports the error
        return False


def _owners(store: Store) -> dict[str, int]:
    rows = store.con.execute(
        "SELECT key, value FROM store_meta WHERE key LIKE ?", [_OWNER + "%"]
    ).fetchall()
    return {key.removeprefix(_OWNER): int(value) for key, value in rows}


class LookupLoader:
    kind = "lookup"

    def unchanged(self, store: Store, source: SourceFile, previous: FileRecord) -> bool:
        """Unchanged while that file still owns every group this file provides."""
        try:
            cols = detect_columns(csv_header(source), source.name)
        except GeographyFileError:  # prepare() reports it
            return False
        owners = _owners(store)
        return all(owners.get(g) == previous.file_id for g in cols.groups)

    def prepare(self, source: SourceFile) -> Prepared:
        rows = read_csv_text(source)
        cols = detect_columns(rows.header, source.name)
        issues = IssueLog(source.name)
        issues.malformed(rows)
        table, notes = _checked(rows, cols, issues)
        prepared = Prepared(
            source,
            table,
            rows.table.num_rows + len(rows.malformed),
            issues,
            {"key": cols.key, **cols.sources},
            notes,
            detail=cols,
        )
        if table.num_rows == 0:
            raise no_rows_error(prepared, "an LSOA lookup")
        prepared.notes.insert(0, "groups written: " + (", ".join(cols.groups) or "none"))
        return prepared

    def write(self, store: Store, prepared: Prepared, file_id: int) -> Written:
        cols: LookupColumns = prepared.detail
        owners = _owners(store)
        replaced = any(g in owners for g in cols.groups)
        store.con.register("_csphub_lookup_new", prepared.table)
        try:
            mapped = cols.keyed_by_2021 and _mapping_loaded(store)
            if mapped:
                count, notes = _update_via_lsoa21(store, prepared.table)
            else:
                count, notes = _upsert(store, prepared.table), []
                if cols.keyed_by_2021:
                    notes.append(
                        "keyed by LSOA 2021 code and no LSOA 2011 -> 2021 lookup is loaded: "
                        "rows stored under the equal code (right for unchanged LSOAs)"
                    )
        finally:
            store.con.unregister("_csphub_lookup_new")
        for group in cols.groups:
            store.con.execute(
                "INSERT OR REPLACE INTO store_meta VALUES (?, ?)", [_OWNER + group, str(file_id)]
            )
        notes.extend(_supersede(store, file_id))
        return Written(count, replaced, tuple(notes))


def _checked(rows: CsvRows, cols: LookupColumns, issues: IssueLog) -> tuple[pa.Table, list[str]]:
    """The good rows as a table of ``key`` and geo_lookup columns; problems to ``issues``."""
    keys, usable = check_code(issues, rows, cols.key, LSOA)
    out: dict[str, pa.Array] = {"key": keys}
    for group, (code_target, name_target, *_rest, pattern) in _GROUPS.items():
        if group in cols.groups:
            out[code_target], ok = check_code(issues, rows, cols.sources[code_target], pattern)
            usable &= ok
            out[name_target] = _optional(rows, cols.sources.get(name_target))
    if "lsoa_name" in cols.groups:
        out["lsoa_name"] = _optional(rows, cols.sources["lsoa_name"])
    change = None
    if "lsoa21" in cols.groups:
        out["lsoa21_code"], ok = check_code(issues, rows, cols.sources["lsoa21_code"], LSOA)
        usable &= ok
        change = _optional(rows, cols.sources.get("lsoa21_change"))
        good = matches(change, re.compile("[USMX]")) | ~present(change)
        issues.rows(
            rows,
            ~good,
            cols.sources.get("lsoa21_change", ""),
            change,
            lambda v: f"{v!r} is not a change code (U, S, M or X)",
        )
        usable &= good
        out["lsoa21_change"] = change
    notes = _drop_repeats(rows, cols, keys, usable, change, issues)
    table = pa.table(out).filter(pa.array(usable))
    return table, notes


def _optional(rows: CsvRows, column: str | None) -> pa.Array:
    if column is None:
        return pa.nulls(rows.table.num_rows, pa.string())
    return text(rows.table.column(column))


def _drop_repeats(
    rows: CsvRows,
    cols: LookupColumns,
    keys: pa.Array,
    usable: np.ndarray,
    change: pa.Array | None,
    issues: IssueLog,
) -> list[str]:
    """Keep the first row of each key; splits are a note, other repeats are problems."""
    split = np.zeros(len(usable), dtype=bool)
    if change is not None:
        split = np.isin(change.to_numpy(zero_copy_only=False), _SPLIT)
    dropped = reject_repeats(issues, rows, cols.key, keys, usable, quiet=split)
    quiet = int((dropped & split).sum())
    if not quiet:
        return []
    return [
        f"{quiet} rows repeat an LSOA 2011 code split into several 2021 LSOAs "
        "(change code S or X); the first 2021 LSOA of each was kept"
    ]


def _mapping_loaded(store: Store) -> bool:
    return bool(
        store.con.execute(
            "SELECT EXISTS (SELECT 1 FROM geo_lookup WHERE lsoa21_code IS NOT NULL)"
        ).fetchone()[0]
    )


def _targets(table: pa.Table) -> list[str]:
    return [c for c in table.column_names if c != "key"]


def _upsert(store: Store, table: pa.Table) -> int:
    targets = _targets(table)
    listing = ", ".join(["lsoa_code", *targets])
    chosen = ", ".join(["key", *targets])
    update = ", ".join(f"{c} = excluded.{c}" for c in targets)
    action = f"DO UPDATE SET {update}" if targets else "DO NOTHING"
    store.con.execute(
        f"INSERT INTO geo_lookup ({listing}) SELECT {chosen} FROM _csphub_lookup_new "
        f"ON CONFLICT (lsoa_code) {action}"
    )
    return table.num_rows


def _update_via_lsoa21(store: Store, table: pa.Table) -> tuple[int, list[str]]:
    targets = _targets(table)
    assignments = ", ".join(f"{c} = n.{c}" for c in targets)
    updated = store.con.execute(
        f"UPDATE geo_lookup AS g SET {assignments} FROM _csphub_lookup_new AS n "
        "WHERE n.key = coalesce(g.lsoa21_code, g.lsoa_code)"
    ).fetchone()[0]
    unmatched = store.con.execute(
        "SELECT count(*) FROM _csphub_lookup_new WHERE key NOT IN "
        "(SELECT coalesce(lsoa21_code, lsoa_code) FROM geo_lookup)"
    ).fetchone()[0]
    notes = [f"keyed by LSOA 2021 code: {updated} LSOA 2011 rows updated through lsoa21_code"]
    if unmatched:
        notes.append(f"{unmatched} LSOA 2021 codes match no LSOA 2011 in geo_lookup; not stored")
    return int(updated), notes


def _supersede(store: Store, file_id: int) -> list[str]:
    """Supersede current lookup files that no longer own any group."""
    owned = {str(v) for v in _owners(store).values()}
    current = store.con.execute(
        "SELECT file_id, name FROM source_file "
        "WHERE kind = 'lookup' AND status = 'current' AND file_id <> ?",
        [file_id],
    ).fetchall()
    notes = []
    for fid, name in current:
        if str(fid) not in owned:
            store.con.execute(
                "UPDATE source_file SET status = 'superseded' WHERE file_id = ?", [fid]
            )
            notes.append(f"file {fid} ({name}) is superseded: all its columns were rewritten")
    return notes
