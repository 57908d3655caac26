"""Data problems: what could not be loaded, where, and why (the quarantine's rows)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyarrow as pa

ROW = "(row)"  # the field of a problem that concerns the whole row (e.g. field count)


@dataclass(frozen=True)
class Problem:
    """One problem with one row: the file's line number (header = 1), field and reason."""

    row_number: int | None
    field: str
    value: str | None
    reason: str
    record: str | None = None  # the row as JSON (header -> text), so nothing is lost


class FileProblem(Exception):
    """A whole file that cannot be loaded; str() is the one-line reason (without the name)."""


def record_json(columns: tuple[str, ...], values: list[str | None]) -> str:
    return json.dumps(dict(zip(columns, values, strict=False)), ensure_ascii=False)


QUARANTINE_SCHEMA = pa.schema(
    [
        ("file_id", pa.int32()),
        ("file_name", pa.string()),
        ("row_number", pa.int32()),
        ("field", pa.string()),
        ("value", pa.string()),
        ("reason", pa.string()),
        ("record", pa.string()),
    ]
)


def problems_table(file_id: int, file_name: str, problems: list[Problem]) -> pa.Table:
    """The quarantine rows of one file, ready to insert into the catalog."""
    return pa.table(
        {
            "file_id": pa.array([file_id] * len(problems), pa.int32()),
            "file_name": pa.array([file_name] * len(problems), pa.string()),
            "row_number": pa.array([p.row_number for p in problems], pa.int32()),
            "field": pa.array([p.field for p in problems], pa.string()),
            "value": pa.array([p.value for p in problems], pa.string()),
            "reason": pa.array([p.reason for p in problems], pa.string()),
            "record": pa.array([p.record for p in problems], pa.string()),
        },
        schema=QUARANTINE_SCHEMA,
    )
