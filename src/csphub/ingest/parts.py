"""Write a file's good rows as Parquet parts: one per (force, month), named by ids only.

A part's path is ``parts/<kind>/f<file id>-p<part number>.parquet``: both numbers come
from the catalog and the order of the parts in the file, never from a value in the data,
so two spellings can never share a path.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from csphub.store.schema import PART_SCHEMAS

#: The column naming whose rows a part holds (a force, or for partner extracts the agency).
FORCE_FIELD = {
    "stop-and-search": "force",
    "events": "agency",
    "collisions": "police_force",
    "casualties": "police_force",
    "vehicles": "police_force",
    "ae-assaults": "site",
    "fire-incidents": "fire_service",
    "fire-aggregates": "table",
}
#: The date column a part is keyed by, where it is not ``month``: partner formats keep the
#: first day of the period a part is for (a STATS19 year, an A&E or fire month).
PERIOD_FIELD = {k: "period_start" for k in FORCE_FIELD if k not in ("stop-and-search", "events")}
# Statistics only where queries filter, so DuckDB can skip row groups.
_STATS_COLUMNS = [
    "month",
    "crime_type",
    "lsoa_code",
    "reported_by",
    "agency",
    "occurred_at",
    "date",
    "district",
    "lsoa",
]
# Crime IDs are unique hashes: a Parquet dictionary for them is wasted work.
_UNIQUE = ("crime_id", "event_id", "collision_index", "incident_id", "location_text")
_DICT_COLUMNS = list(
    dict.fromkeys(c for schema in PART_SCHEMAS.values() for c in schema.names if c not in _UNIQUE)
)


@dataclass
class Part:
    """The rows of one file for one force (or agency) and month, as written."""

    force: str
    month: str  # YYYY-MM
    rows: int
    lsoas: int | None  # distinct LSOA codes (None for kinds without them)
    path: str  # relative to the store


def split(
    table: pa.Table, force_field: str, month_field: str = "month"
) -> Iterable[tuple[str, str, pa.Table]]:
    """The rows of each (force, month) in the table; usually there is just one."""
    if table.num_rows == 0:
        return
    forces = pc.unique(table[force_field])
    span = pc.min_max(table[month_field])
    if len(forces) == 1 and span["min"] == span["max"]:  # the usual case, without a group-by
        yield str(forces[0].as_py()), span["min"].as_py().strftime("%Y-%m"), table
        return
    keys = table.select([force_field, month_field]).group_by([force_field, month_field])
    keys = keys.aggregate([])
    for force, month in zip(
        keys[force_field].to_pylist(), keys[month_field].to_pylist(), strict=True
    ):
        mask = pc.and_(pc.equal(table[force_field], force), pc.equal(table[month_field], month))
        yield str(force), month.strftime("%Y-%m"), table.filter(mask)


def write_parts(store_root: Path, kind: str, file_id: int, table: pa.Table) -> list[Part]:
    """Write the parts of one file; on failure remove what was written and re-raise."""
    folder = store_root / "parts" / kind
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Part] = []
    try:
        for number, (force, month, rows) in enumerate(
            split(table, FORCE_FIELD.get(kind, "reported_by"), PERIOD_FIELD.get(kind, "month"))
        ):
            rel = f"parts/{kind}/f{file_id:06d}-p{number:04d}.parquet"
            pq.write_table(
                rows,
                store_root / rel,
                compression="zstd",
                use_dictionary=_DICT_COLUMNS,
                write_statistics=_STATS_COLUMNS,
            )
            written.append(Part(force, month, rows.num_rows, _lsoas(rows), rel))
    except BaseException:
        remove_files(store_root, [p.path for p in written])
        raise
    return written


def _lsoas(rows: pa.Table) -> int | None:
    name = next((c for c in ("lsoa_code", "lsoa") if c in rows.column_names), None)
    if name is None:
        return None
    col = rows[name]
    if pa.types.is_dictionary(col.type):
        col = pc.unique(col.combine_chunks()).dictionary_decode()
    return pc.count_distinct(col, mode="only_valid").as_py()


def remove_files(store_root: Path, rels: Iterable[str]) -> None:
    for rel in rels:
        with contextlib.suppress(FileNotFoundError):
            os.remove(store_root / rel)
