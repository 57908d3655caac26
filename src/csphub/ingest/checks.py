"""Generic column checks for parsed CSVs: each check marks rows with a reason.

Checks work on each distinct value of a dictionary-encoded column once, then map back to
rows, so a 20,000-row file with one month and 14 crime types costs almost nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as _field_of

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csphub.ingest.forces import ForceNames, canonical_column
from csphub.ingest.parse import Parsed
from csphub.ingest.problems import Problem, record_json

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
NUMBER = r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$"
GSS = r"^[EWSN]\d{8}$"
_BOOL = {"True": True, "False": False, "true": True, "false": False, "": None}


@dataclass
class Validated:
    """The typed good rows (part schema without file_id) and the problems found."""

    table: pa.Table
    problems: list[Problem]
    rows_without_location: int
    notes: list[str] = _field_of(default_factory=list)


def single(col: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(col, pa.ChunkedArray):
        if col.num_chunks == 1:
            return col.chunk(0)
        if pa.types.is_dictionary(col.type):
            col = col.unify_dictionaries()
        return col.combine_chunks()
    return col


def per_value(col: pa.Array, fn: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """Apply ``fn`` to each distinct value of a dictionary column, then map back to rows."""
    col = single(col)
    if pa.types.is_dictionary(col.type):
        return fn(col.dictionary).take(col.indices)
    return fn(col)


def as_text(col: pa.Array) -> pa.Array:
    """The column with empty strings as null (dictionary columns stay dictionaries)."""
    col = single(col)
    if pa.types.is_dictionary(col.type):
        empty = pc.equal(col.dictionary, "").take(col.indices)
        indices = pc.if_else(empty, pa.scalar(None, col.indices.type), col.indices)
        return pa.DictionaryArray.from_arrays(indices, col.dictionary)
    return pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)


def np_mask(mask: pa.Array) -> np.ndarray:
    return np.asarray(mask.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def is_empty(col: pa.Array) -> np.ndarray:
    return np_mask(per_value(col, lambda v: pc.equal(pc.utf8_trim_whitespace(v), "")))


def not_matching(col: pa.Array, pattern: str) -> np.ndarray:
    return np_mask(per_value(col, lambda v: pc.invert(pc.match_substring_regex(v, pattern))))


class Checks:
    """Collects row masks with their reasons, then turns them into problems."""

    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self.n = parsed.table.num_rows
        self.bad = np.zeros(self.n, dtype=bool)
        self.found: list[tuple[str, np.ndarray, str]] = []

    def add(self, field: str, mask: np.ndarray, reason: str) -> None:
        if mask.any():
            self.found.append((field, mask, reason))
            self.bad |= mask

    def problems(self) -> list[Problem]:
        if not self.found:
            return []
        kind = self.parsed.kind
        column_of = dict(zip(kind.fields, kind.columns, strict=True))
        bad_idx = np.flatnonzero(self.bad)
        rows = self.parsed.table.take(pa.array(bad_idx))
        records = {
            int(i): record_json(kind.columns, [rows[f][k].as_py() for f in kind.fields])
            for k, i in enumerate(bad_idx)
        }
        numbers = self.parsed.row_numbers.to_numpy()
        out: list[Problem] = []
        for field, mask, reason in self.found:
            values = self.parsed.table[field]
            for i in np.flatnonzero(mask):
                out.append(
                    Problem(
                        int(numbers[i]),
                        column_of[field],
                        values[int(i)].as_py(),
                        reason,
                        records[int(i)],
                    )
                )
        out.sort(key=lambda p: (p.row_number or 0, kind.fields.index(_field(kind, p.field))))
        return out


def _field(kind, column: str) -> str:
    return kind.fields[kind.columns.index(column)]


def check_required(checks: Checks, table: pa.Table) -> None:
    for field in checks.parsed.kind.fields:
        if field in checks.parsed.kind.required:
            checks.add(field, is_empty(table[field]), "required but empty")


def to_float(v: pa.Array) -> pa.Array:
    """Numbers as float64, empty or malformed text as null (fast path: a plain cast)."""
    blank = pc.equal(pc.utf8_trim_whitespace(v), "")
    text = pc.if_else(blank, pa.scalar(None, pa.string()), v)
    if not pc.any(pc.match_substring_regex(text, "[^0-9.eE+-]")).as_py():
        try:
            return pc.cast(text, pa.float64())
        except pa.ArrowInvalid:
            pass
    ok = pc.match_substring_regex(v, NUMBER)
    return pc.cast(pc.if_else(ok, pc.utf8_trim_whitespace(v), None), pa.float64())


def parse_coordinates(checks: Checks, table: pa.Table) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """Longitude and latitude as floats (null when absent), and the has-location mask."""
    out = {}
    present = {}
    for field, limit in (("longitude", 180.0), ("latitude", 90.0)):
        col = table[field]
        empty = is_empty(col)
        values = per_value(col, to_float)
        unparseable = np_mask(pc.or_kleene(pc.is_null(values), pc.is_nan(values))) & ~empty
        checks.add(field, unparseable, "not a number")
        out_of_range = np_mask(pc.greater(pc.abs(values), limit))
        checks.add(field, out_of_range, f"outside -{limit:g} to {limit:g} degrees")
        out[field] = values
        present[field] = ~empty
    lon_p, lat_p = present["longitude"], present["latitude"]
    checks.add("latitude", lon_p & ~lat_p, "empty while Longitude is given")
    checks.add("longitude", lat_p & ~lon_p, "empty while Latitude is given")
    return out["longitude"], out["latitude"], lon_p & lat_p


def parse_month(checks: Checks, table: pa.Table) -> pa.Array:
    col = table["month"]
    empty = is_empty(col)
    checks.add("month", not_matching(col, MONTH) & ~empty, "not a month (YYYY-MM)")

    def to_date(v: pa.Array) -> pa.Array:
        ok = pc.match_substring_regex(v, MONTH)
        text = pc.if_else(ok, pc.binary_join_element_wise(v, "01", "-"), None)
        return pc.cast(pc.strptime(text, format="%Y-%m-%d", unit="s"), pa.date32())

    return per_value(col, to_date)


def check_lsoa(checks: Checks, table: pa.Table) -> None:
    col = table["lsoa_code"]
    checks.add(
        "lsoa_code",
        not_matching(col, GSS) & ~is_empty(col),
        "not an LSOA code (a letter and 8 digits, e.g. E01012662)",
    )


def parse_booleans(checks: Checks, table: pa.Table, field: str) -> pa.Array:
    col = table[field]
    allowed = pa.array(list(_BOOL))
    checks.add(
        field,
        np_mask(per_value(col, lambda v: pc.invert(pc.is_in(v, allowed)))),
        "not True or False",
    )

    def to_bool(v: pa.Array) -> pa.Array:
        return pa.array([_BOOL.get(x) for x in v.to_pylist()], pa.bool_())

    return per_value(col, to_bool)


def finish(
    checks: Checks, typed: pa.Table, has_location: np.ndarray, notes: list[str] | None = None
) -> Validated:
    problems = checks.problems()
    good = ~checks.bad
    if checks.bad.any():
        typed = typed.filter(pa.array(good))
    return Validated(typed, problems, int((~has_location & good).sum()), notes or [])


def canonical_forces(
    checks: Checks, table: pa.Table, field: str, names: ForceNames, notes: list[str]
) -> pa.Array:
    """The force or agency column with one canonical name per force (see forces.py)."""
    column = dict(zip(checks.parsed.kind.fields, checks.parsed.kind.columns, strict=True))[field]
    out, no_name, found = canonical_column(table[field], names, column)
    checks.add(
        field, no_name & ~is_empty(table[field]), "no name left once control characters are removed"
    )
    notes.extend(found)
    return out
