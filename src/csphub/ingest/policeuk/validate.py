"""Validate parsed police.uk rows and type them; every rejected row becomes a Problem."""

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
    np_mask,
    parse_booleans,
    parse_coordinates,
    parse_month,
    per_value,
)
from csphub.ingest.coverage import ANY, Coverage, check_coverage
from csphub.ingest.forces import ForceNames
from csphub.ingest.kinds import crime_types
from csphub.ingest.parse import Parsed


def _located_crime_rows(
    parsed: Parsed, checks: Checks, names: ForceNames, coverage: Coverage, notes: list[str]
) -> tuple[dict, np.ndarray]:
    """Checks and typed columns shared by street and outcomes rows (same leading columns)."""
    t = parsed.table
    check_required(checks, t)
    month = parse_month(checks, t)
    lon, lat, has_location = parse_coordinates(checks, t)
    check_lsoa(checks, t)
    reported_by = canonical_forces(checks, t, "reported_by", names, notes)
    falls_within = canonical_forces(checks, t, "falls_within", names, notes)
    check_coverage(checks, month, reported_by, coverage)
    columns = {
        "row_number": parsed.row_numbers,
        "crime_id": as_text(t["crime_id"]),
        "month": month,
        "reported_by": reported_by,
        "falls_within": falls_within,
        "longitude": lon,
        "latitude": lat,
        "location": t["location"],
        "lsoa_code": as_text(t["lsoa_code"]),
        "lsoa_name": as_text(t["lsoa_name"]),
    }
    return columns, has_location


def validate_street(
    parsed: Parsed, names: ForceNames | None = None, coverage: Coverage = ANY
) -> Validated:
    """Street rows typed; force names made canonical; rows the file is not for rejected."""
    t = parsed.table
    checks = Checks(parsed)
    notes: list[str] = []
    columns, has_location = _located_crime_rows(
        parsed, checks, names or ForceNames(), coverage, notes
    )
    known = pa.array(sorted(crime_types()))
    unknown = np_mask(per_value(t["crime_type"], lambda v: pc.invert(pc.is_in(v, known))))
    checks.add("crime_type", unknown & ~is_empty(t["crime_type"]), "unknown crime type")
    typed = pa.table(
        {
            **columns,
            "crime_type": t["crime_type"],
            "outcome": as_text(t["outcome"]),
            "context": as_text(t["context"]),
            "has_location": pa.array(has_location),
        }
    )
    return finish(checks, typed, has_location, notes)


def validate_outcomes(
    parsed: Parsed, names: ForceNames | None = None, coverage: Coverage = ANY
) -> Validated:
    checks = Checks(parsed)
    notes: list[str] = []
    columns, has_location = _located_crime_rows(
        parsed, checks, names or ForceNames(), coverage, notes
    )
    typed = pa.table(
        {**columns, "outcome": parsed.table["outcome"], "has_location": pa.array(has_location)}
    )
    return finish(checks, typed, has_location, notes)


def validate_stop_search(parsed: Parsed, *, force: str, file_month: str | None) -> Validated:
    t = parsed.table
    checks = Checks(parsed)
    check_required(checks, t)
    date = per_value(
        t["date"],
        lambda v: pc.strptime(v, format="%Y-%m-%dT%H:%M:%S%z", unit="s", error_is_null=True),
    )
    checks.add(
        "date",
        np_mask(pc.is_null(date)) & ~is_empty(t["date"]),
        "not a date and time (YYYY-MM-DDTHH:MM:SS+00:00)",
    )
    lon, lat, has_location = parse_coordinates(checks, t)
    if file_month is not None:
        month = pa.array(np.full(t.num_rows, np.datetime64(file_month + "-01", "D")), pa.date32())
    else:
        month = pc.cast(pc.floor_temporal(date, unit="month"), pa.date32())
    typed = pa.table(
        {
            "row_number": parsed.row_numbers,
            "force": pa.array([force] * t.num_rows, pa.string()),
            "month": month,
            "search_type": t["search_type"],
            "date": pc.cast(date, pa.timestamp("s", tz="UTC")),
            "part_of_operation": parse_booleans(checks, t, "part_of_operation"),
            "policing_operation": as_text(t["policing_operation"]),
            "latitude": lat,
            "longitude": lon,
            **{
                f: as_text(t[f])
                for f in (
                    "gender",
                    "age_range",
                    "self_defined_ethnicity",
                    "officer_defined_ethnicity",
                    "legislation",
                    "object_of_search",
                    "outcome",
                )
            },
            "outcome_linked": parse_booleans(checks, t, "outcome_linked"),
            "removal_of_outer_clothing": parse_booleans(checks, t, "removal_of_outer_clothing"),
            "has_location": pa.array(has_location),
        }
    )
    return finish(checks, typed, has_location)
