"""Typing helpers for partner formats: codes, whole numbers, dates and times.

Each helper works on the distinct values of a column once (most partner columns hold a few
codes), marks bad values in :class:`Checks` with a reason, and returns a typed Arrow array
with null where the value is empty, unknown or bad. A field the file does not carry comes
back all null, so an older release without, say, adjusted severity loads as "absent".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csphub.datafiles import read_data_csv
from csphub.ingest.checks import GSS, Checks, canonical_forces, np_mask, single, to_float
from csphub.ingest.forces import ForceNames

_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_HM = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)(:[0-5]\d)?\s*$")
_INT = re.compile(r"^\s*[-+]?\d+\s*$")
UNKNOWN = "unknown"


def column(t: pa.Table, field: str) -> pa.Array | None:
    """The string column of a field, or None if the file has no such column."""
    return single(t[field]) if field in t.column_names else None


def by_value(
    col: pa.Array, fn: Callable[[str], tuple[object, str | None]], typ: pa.DataType
) -> tuple[pa.Array, np.ndarray, list[str | None]]:
    """Apply ``fn`` (text -> (value, problem)) to each distinct value, then map to rows.

    Returns the typed values, the row index of each row's distinct value and the problem
    of each distinct value (None when fine).
    """
    col = single(col)
    if pa.types.is_dictionary(col.type):
        distinct, index = col.dictionary, col.indices
    else:
        distinct = pc.unique(col)
        index = pc.index_in(col, distinct)
    results = [fn(v) for v in distinct.to_pylist()]
    values = pa.array([r[0] for r in results], typ)
    idx = np.asarray(index.to_numpy(zero_copy_only=False), dtype=np.int64)
    return values.take(pa.array(idx)), idx, [r[1] for r in results]


def apply(
    checks: Checks, t: pa.Table, field: str, fn: Callable[[str], tuple[object, str | None]], typ
) -> pa.Array:
    """Typed values of a field (all null if absent); rows with a problem are marked."""
    col = column(t, field)
    if col is None:
        return pa.nulls(t.num_rows, typ)
    values, idx, problems = by_value(col, fn, typ)
    for reason in sorted({p for p in problems if p}):
        bad = np.array([p == reason for p in problems], dtype=bool)
        checks.add(field, bad[idx], reason)
    return values


def decoder(codes: dict[str, tuple[str, bool]], variable: str, source: str, fold: bool = False):
    """A function decoding one code: its label, ``unknown`` for a not-known code.

    ``fold``: compare without case and with inner spaces collapsed (text codes).
    """

    def decode(text: str) -> tuple[str | None, str | None]:
        code = " ".join(text.lower().split()) if fold else text.strip()
        if code == "" or code.upper() == "NA":
            return None, None
        found = codes.get(code)
        if found is None and _INT.match(code):
            found = codes.get(str(int(code)))  # "04" is code 4
        if found is None:
            return None, f"no such {variable} code in {source}"
        label, unknown = found
        return (UNKNOWN if unknown else label), None

    return decode


def whole(unknown: tuple[str, ...] = ("-1",), low: int = 0, high: int = 10**9):
    """A function reading a whole number; ``unknown`` codes and empty give null."""

    def read(text: str) -> tuple[int | None, str | None]:
        s = text.strip()
        if s == "" or s in unknown or s.upper() in ("NA", "NULL"):
            return None, None
        if not _INT.match(s):
            return None, "not a whole number"
        n = int(s)
        if not low <= n <= high:
            return None, f"outside {low} to {high}"
        return n, None

    return read


def dmy_date(text: str) -> tuple[date | None, str | None]:
    """A DfT date, DD/MM/YYYY (ISO YYYY-MM-DD also read: a file saved through a tool)."""
    s = text.strip()
    if s == "":
        return None, None
    m = _DMY.match(s)
    parts = (int(m[3]), int(m[2]), int(m[1])) if m else None
    if parts is None and (m := _ISO.match(s)):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    if parts is None:
        return None, "not a date (DD/MM/YYYY)"
    try:
        return date(*parts), None
    except ValueError:
        return None, "no such date"


def hh_mm(text: str) -> tuple[str | None, str | None]:
    """A time of day as HH:MM (seconds dropped), or the problem."""
    s = text.strip()
    if s == "":
        return None, None
    m = _HM.match(s)
    if not m:
        return None, "not a time (HH:MM)"
    return f"{int(m[1]):02d}:{m[2]}", None


def floats(checks: Checks, t: pa.Table, field: str, low: float, high: float) -> pa.Array:
    """Numbers as float64 (null when empty); text and out-of-range values are marked."""
    col = column(t, field)
    if col is None:
        return pa.nulls(t.num_rows, pa.float64())
    values = single(_per_distinct(col, to_float))
    empty = np_mask(_per_distinct(col, lambda v: pc.equal(pc.utf8_trim_whitespace(v), "")))
    unknown = np_mask(_per_distinct(col, lambda v: pc.is_in(pc.utf8_trim_whitespace(v), _NULLS)))
    missing = np_mask(pc.is_null(values))
    checks.add(field, missing & ~empty & ~unknown, "not a number")
    nums = np.asarray(values.to_numpy(zero_copy_only=False), dtype=float)
    out = np.isfinite(nums) & ((nums < low) | (nums > high))
    checks.add(field, out, f"outside {low:g} to {high:g}")
    return values


_NULLS = pa.array(["NA", "NULL", "null"])


def _per_distinct(col: pa.Array, fn: Callable[[pa.Array], pa.Array]) -> pa.Array:
    if pa.types.is_dictionary(col.type):
        return fn(col.dictionary).take(col.indices)
    return fn(col)


def hours(times: pa.Array) -> pa.Array:
    """The hour of HH:MM text (null where the time is)."""
    return pc.cast(pc.utf8_slice_codeunits(times, 0, 2), pa.int32())


def iso_weekday(dates: pa.Array) -> pa.Array:
    """1 = Monday ... 7 = Sunday (ISO 8601)."""
    return pc.cast(
        pc.iso_calendar(pc.cast(dates, pa.timestamp("s"))).field("iso_day_of_week"), pa.int32()
    )


@cache
def code_lists(name: str) -> dict[str, dict[str, tuple[str, bool]]]:
    """Label and unknown flag of each code, by variable, of ``partner/<name>_codes.csv``."""
    out: dict[str, dict[str, tuple[str, bool]]] = {}
    for r in read_data_csv(f"partner/{name}_codes.csv"):
        out.setdefault(r["variable"], {})[r["code"]] = (r["label"], r["unknown"] == "1")
    return out


def decode(
    checks: Checks,
    t: pa.Table,
    field: str,
    codes: dict[str, tuple[str, bool]],
    variable: str,
    source: str,
    fold: bool = False,
) -> pa.Array:
    """A coded field's labels (all null if the file has no such column)."""
    return apply(checks, t, field, decoder(codes, variable, source, fold), pa.string())


def text(t: pa.Table, field: str, nulls: tuple[str, ...] = ("",)) -> pa.Array:
    """A free-text field, trimmed, with ``nulls`` (and absent columns) as null."""
    col = column(t, field)
    if col is None:
        return pa.nulls(t.num_rows, pa.string())
    col = pc.cast(col, pa.string()) if pa.types.is_dictionary(col.type) else col
    trimmed = pc.utf8_trim_whitespace(col)
    return pc.if_else(pc.is_in(trimmed, pa.array(list(nulls))), None, trimmed)


def lsoa_codes(checks: Checks, t: pa.Table, field: str = "lsoa") -> pa.Array:
    """An LSOA code field (null when empty); a malformed code is marked."""
    codes = text(t, field)
    bad = np_mask(pc.invert(pc.match_substring_regex(codes, GSS)))
    checks.add(field, bad, "not an LSOA code (a letter and 8 digits, e.g. E01012662)")
    return codes


def mark_repeats(checks: Checks, keys: list[pa.Array], field: str, what: str) -> None:
    """Mark rows whose key repeats an earlier row's (nothing is loaded twice)."""
    joined = pc.binary_join_element_wise(*[pc.cast(k, pa.string()) for k in keys], "|")
    values = np.asarray(joined.fill_null("").to_numpy(zero_copy_only=False), dtype=object)
    _, first = np.unique(values, return_index=True)
    repeat = np.ones(len(values), dtype=bool)
    repeat[first] = False
    checks.add(field, repeat & ~checks.bad, f"the same {what} appears earlier in the file")


def month_starts(days: pa.Array) -> pa.Array:
    """The first day of each date's month (the period a monthly part is keyed by)."""
    stamps = pc.cast(days, pa.timestamp("s"))
    return pc.cast(pc.floor_temporal(stamps, unit="month"), pa.date32())


def site(
    checks: Checks, t: pa.Table, names: ForceNames, notes: list[str], field: str = "site"
) -> pa.Array:
    """An A&E site or fire service with one canonical spelling, as force names are (its
    parts are keyed by it: two spellings must never make two keys); other spellings are
    noted."""
    out = canonical_forces(checks, t, field, names, notes)
    return pc.cast(out, pa.string())
