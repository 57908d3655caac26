"""Validate event-level partner extracts (csphub's template, see docs/partner-extract.md).

Events carry exact dates and locations and pseudonymous victim, offender and address ids:
what near-repeat and victim-offender-location analysis need and police.uk withholds.
A location may be given as British National Grid easting/northing, as longitude/latitude,
or both; the missing pair is computed so every located event has both.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csphub.ingest.checks import (
    Checks,
    Validated,
    as_text,
    canonical_forces,
    check_lsoa,
    check_required,
    finish,
    is_empty,
    not_matching,
    np_mask,
    per_value,
    single,
)
from csphub.ingest.forces import ForceNames
from csphub.ingest.grid import complete_pairs
from csphub.ingest.kinds import crime_types
from csphub.ingest.parse import Parsed

_DATE = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
_TIME = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"
_NUMBER = r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$"


def _numbers(checks: Checks, t: pa.Table, field: str, low: float, high: float) -> np.ndarray:
    col = t[field]
    empty = is_empty(col)
    checks.add(field, not_matching(col, _NUMBER) & ~empty, "not a number")

    def to_float(v: pa.Array) -> pa.Array:
        ok = pc.match_substring_regex(v, _NUMBER)
        return pc.cast(pc.if_else(ok, pc.utf8_trim_whitespace(v), None), pa.float64())

    values = per_value(col, to_float).to_numpy(zero_copy_only=False).astype(float)
    out = np.isfinite(values) & ((values < low) | (values > high))
    checks.add(field, out, f"outside {low:g} to {high:g}")
    return values


def _pair(checks: Checks, t: pa.Table, a: str, b: str, ranges) -> tuple[np.ndarray, ...]:
    x = _numbers(checks, t, a, *ranges[0])
    y = _numbers(checks, t, b, *ranges[1])
    has_x, has_y = np.isfinite(x), np.isfinite(y)
    checks.add(b, has_x & ~has_y & ~checks.bad, f"empty while {a} is given")
    checks.add(a, has_y & ~has_x & ~checks.bad, f"empty while {b} is given")
    return x, y, has_x & has_y


def _occurred_at(checks: Checks, t: pa.Table) -> pa.Array:
    date, time = t["occurred_date"], t["occurred_time"]
    empty_date = is_empty(date)
    checks.add("occurred_date", not_matching(date, _DATE) & ~empty_date, "not a date (YYYY-MM-DD)")
    checks.add("occurred_time", not_matching(time, _TIME) & ~is_empty(time), "not a time (HH:MM)")

    def to_day(v: pa.Array) -> pa.Array:
        parsed = pc.strptime(v, format="%Y-%m-%d", unit="s", error_is_null=True)
        # strptime rolls 2022-02-30 over to 2022-03-02; a real date prints back unchanged
        same = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), v)
        return pc.if_else(same, parsed, None)

    day = per_value(date, to_day)
    checks.add(
        "occurred_date", np_mask(pc.is_null(day)) & ~empty_date & ~checks.bad, "no such date"
    )

    def seconds(v: pa.Array) -> pa.Array:
        parts = [p.split(":") if p else ["0", "0"] for p in v.to_pylist()]
        return pa.array(
            [
                int(p[0]) * 3600 + int(p[1]) * 60 + (int(p[2]) if len(p) > 2 else 0)
                if all(x.isdigit() for x in p)
                else 0
                for p in parts
            ],
            pa.int64(),
        )

    offset = per_value(time, seconds).to_numpy(zero_copy_only=False)
    base = single(day).to_numpy(zero_copy_only=False).astype("datetime64[s]")
    return pa.array(base + offset.astype("timedelta64[s]"), pa.timestamp("s"))


def validate_events(parsed: Parsed, names: ForceNames | None = None) -> Validated:
    """Type the rows of a partner extract; reject what is wrong with a reason."""
    t = parsed.table
    checks = Checks(parsed)
    check_required(checks, t)
    notes: list[str] = []
    agency = canonical_forces(checks, t, "agency", names or ForceNames(), notes)
    occurred = _occurred_at(checks, t)
    east, north, has_bng = _pair(checks, t, "easting", "northing", ((0, 800_000), (0, 1_400_000)))
    lon, lat, has_wgs = _pair(checks, t, "longitude", "latitude", ((-180, 180), (-90, 90)))
    check_lsoa(checks, t)
    known = pa.array(sorted(crime_types()))
    unknown = np_mask(per_value(t["crime_type"], lambda v: pc.invert(pc.is_in(v, known))))
    checks.add(
        "crime_type",
        unknown & ~is_empty(t["crime_type"]),
        "not a data.police.uk crime type (map the agency's category to one)",
    )
    duplicate = _duplicates(t["event_id"])
    checks.add("event_id", duplicate, "the same event_id appears earlier in the file")
    complete_pairs(lon, lat, east, north)
    has_location = has_bng | has_wgs
    occurred_np = single(occurred).to_numpy(zero_copy_only=False)
    months = occurred_np.astype("datetime64[M]").astype("datetime64[D]")
    typed = pa.table(
        {
            "row_number": parsed.row_numbers,
            "event_id": as_text(t["event_id"]),
            "agency": agency,
            "month": pa.array(months, pa.date32()),
            "crime_type": t["crime_type"],
            "offence": as_text(t["offence"]),
            "occurred_at": occurred,
            "longitude": pa.array(lon, pa.float64(), from_pandas=True),
            "latitude": pa.array(lat, pa.float64(), from_pandas=True),
            "easting": pa.array(east, pa.float64(), from_pandas=True),
            "northing": pa.array(north, pa.float64(), from_pandas=True),
            "lsoa_code": as_text(t["lsoa_code"]),
            "address_id": as_text(t["address_id"]),
            "victim_id": as_text(t["victim_id"]),
            "offender_id": as_text(t["offender_id"]),
            "has_location": pa.array(has_location),
        }
    )
    return finish(checks, typed, has_location, notes)


def _duplicates(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    values = np.asarray(single(col).cast(pa.string()).to_numpy(zero_copy_only=False), dtype=object)
    _, first = np.unique(values, return_index=True)
    dup = np.ones(len(values), dtype=bool)
    dup[first] = False
    return dup
