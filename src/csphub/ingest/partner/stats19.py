"""Type and decode DfT STATS19 collision, casualty and vehicle rows.

Codes are decoded with DfT's code list (``stats19_codes.csv``, derived from the 2024 data
guide); a code the list marks as missing or not known is kept as ``unknown``, never
quarantined. A code not in the list, a bad date or time, or a row repeating an earlier
key is quarantined with its line, field and reason. Every part is keyed by police force
and year: a newer file for a force-year replaces the older one (see formats.py).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csphub.ingest.checks import Checks, Validated, as_text, check_required, finish, np_mask
from csphub.ingest.forces import ForceNames
from csphub.ingest.parse import Parsed
from csphub.ingest.partner.layout import Layout
from csphub.ingest.partner.values import (
    UNKNOWN,
    apply,
    code_lists,
    decode,
    dmy_date,
    floats,
    hh_mm,
    hours,
    iso_weekday,
    mark_repeats,
    text,
    whole,
)

SOURCE = "the DfT code list (data guide 2024)"
_STR, _INT, _F64 = pa.string(), pa.int32(), pa.float64()
_INDEX = r"^\d{4}[0-9A-Za-z]{9}$"  # year (4) + police reference (9)
_NULLS = ("", "-1", "NULL", "NA")  # how DfT files write a code that is not known


def codes() -> dict[str, dict[str, tuple[str, bool]]]:
    """Label and unknown flag of each DfT code, by code list variable."""
    return code_lists("stats19")


def _decode(checks: Checks, t: pa.Table, layout: Layout, field: str) -> pa.Array:
    """Labels of a coded field (all null when the file has no such column)."""
    variable = layout.codes[field]
    return decode(checks, t, field, codes()[variable], variable, SOURCE)


def _severity(checks: Checks, t: pa.Table, layout: Layout) -> pa.Array:
    """fatal | serious | slight (DfT severity codes 1, 2, 3)."""
    label = _decode(checks, t, layout, "severity")
    return pc.utf8_lower(label)


def _index(checks: Checks, t: pa.Table) -> pa.Array:
    col = as_text(t["collision_index"])
    plain = pc.cast(col, _STR) if pa.types.is_dictionary(col.type) else col
    bad = np_mask(pc.invert(pc.match_substring_regex(plain, _INDEX))) & ~np_mask(pc.is_null(plain))
    checks.add("collision_index", bad, "not a STATS19 collision index (year and 9 characters)")
    return plain


def _year(checks: Checks, t: pa.Table, index: pa.Array) -> pa.Array:
    """The year column, else the index's first four digits; they must agree."""
    head = pc.utf8_slice_codeunits(index, 0, 4)
    digits = pc.match_substring_regex(head, r"^\d{4}$")
    from_index = pc.cast(pc.if_else(digits, head, None), _INT)
    given = apply(checks, t, "year", whole(low=1979, high=2100), _INT)
    differs = np_mask(pc.not_equal(given, from_index))
    checks.add("year", differs, "differs from the year of the collision index")
    return pc.coalesce(given, from_index)


def _force_from_index(index: pa.Array) -> pa.Array:
    """The police force of the collision index's reference (its first two digits are the
    force code): how casualty and vehicle rows, which carry no force, are keyed."""
    code = pc.utf8_slice_codeunits(index, 4, 6)
    table = codes()["police_force"]
    distinct = pc.unique(code).to_pylist()
    labels = []
    for c in distinct:
        found = table.get(str(int(c))) if c and c.isdigit() else None
        labels.append(found[0] if found else UNKNOWN)
    return pa.array(labels, _STR).take(pc.index_in(code, pa.array(distinct, _STR)))


def _period(year: pa.Array) -> pa.Array:
    """1 January of each row's year: STATS19 parts are keyed by force and year."""
    text = pc.binary_join_element_wise(pc.cast(year, _STR), "01-01", "-")
    return pc.cast(pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True), pa.date32())


def validate_collisions(parsed: Parsed, layout: Layout, names: ForceNames) -> Validated:
    """Typed collision rows for the ``collisions`` view."""
    t = parsed.table
    checks = Checks(parsed)
    check_required(checks, t)
    index = _index(checks, t)
    year = _year(checks, t, index)
    day = apply(checks, t, "date", dmy_date, pa.date32())
    other_year = np_mask(pc.not_equal(pc.cast(pc.year(day), _INT), year))
    checks.add("date", other_year & ~checks.bad, "the date is not in the collision's year")
    time = apply(checks, t, "time", hh_mm, _STR)
    east = floats(checks, t, "easting", 0, 800_000)
    north = floats(checks, t, "northing", 0, 1_400_000)
    lon = floats(checks, t, "longitude", -180, 180)
    lat = floats(checks, t, "latitude", -90, 90)
    located = np_mask(pc.is_valid(lon)) | np_mask(pc.is_valid(east))
    typed = pa.table(
        {
            "row_number": parsed.row_numbers,
            "collision_index": index,
            "year": year,
            "date": day,
            "time": time,
            "hour": hours(time),
            "weekday": iso_weekday(day),
            "police_force": _decode(checks, t, layout, "police_force"),
            "severity": _severity(checks, t, layout),
            "enhanced_severity": _decode(checks, t, layout, "enhanced_severity"),
            "adjusted_serious": floats(checks, t, "adjusted_serious", 0, 1),
            "adjusted_slight": floats(checks, t, "adjusted_slight", 0, 1),
            "vehicles": apply(checks, t, "vehicles", whole(high=999), _INT),
            "casualties": apply(checks, t, "casualties", whole(high=999), _INT),
            "lsoa": text(t, "lsoa", _NULLS),
            "district": text(t, "district", _NULLS),
            "highway_authority": text(t, "highway_authority", _NULLS),
            "latitude": lat,
            "longitude": lon,
            "easting": east,
            "northing": north,
            "road_type": _decode(checks, t, layout, "road_type"),
            "speed_limit": apply(checks, t, "speed_limit", whole(("-1", "99"), 1, 99), _INT),
            "light": _decode(checks, t, layout, "light"),
            "weather": _decode(checks, t, layout, "weather"),
            "urban_rural": _decode(checks, t, layout, "urban_rural"),
            "period_start": _period(year),
        }
    )
    mark_repeats(checks, [index], "collision_index", "collision index")
    return finish(checks, typed, located)


def validate_casualties(parsed: Parsed, layout: Layout, names: ForceNames) -> Validated:
    """Typed casualty rows for the ``casualties`` view (joined on collision_index)."""
    t = parsed.table
    checks = Checks(parsed)
    check_required(checks, t)
    index = _index(checks, t)
    year = _year(checks, t, index)
    vehicle = apply(checks, t, "vehicle_reference", whole(low=0, high=999), _INT)
    casualty = apply(checks, t, "casualty_reference", whole(low=0, high=9999), _INT)
    typed = pa.table(
        {
            "row_number": parsed.row_numbers,
            "collision_index": index,
            "year": year,
            "police_force": _force_from_index(index),
            "vehicle_reference": vehicle,
            "casualty_reference": casualty,
            "casualty_class": _decode(checks, t, layout, "casualty_class"),
            "severity": _severity(checks, t, layout),
            "enhanced_severity": _decode(checks, t, layout, "enhanced_severity"),
            "adjusted_serious": floats(checks, t, "adjusted_serious", 0, 1),
            "adjusted_slight": floats(checks, t, "adjusted_slight", 0, 1),
            "sex": _decode(checks, t, layout, "sex"),
            "age": apply(checks, t, "age", whole(low=0, high=120), _INT),
            "age_band": _decode(checks, t, layout, "age_band"),
            "road_user": _decode(checks, t, layout, "road_user"),
            "period_start": _period(year),
        }
    )
    mark_repeats(checks, [index, vehicle, casualty], "casualty_reference", "casualty")
    return finish(checks, typed, np.ones(t.num_rows, dtype=bool))


def validate_vehicles(parsed: Parsed, layout: Layout, names: ForceNames) -> Validated:
    """Typed vehicle rows for the ``vehicles`` view (joined on collision_index)."""
    t = parsed.table
    checks = Checks(parsed)
    check_required(checks, t)
    index = _index(checks, t)
    year = _year(checks, t, index)
    vehicle = apply(checks, t, "vehicle_reference", whole(low=0, high=999), _INT)
    typed = pa.table(
        {
            "row_number": parsed.row_numbers,
            "collision_index": index,
            "year": year,
            "police_force": _force_from_index(index),
            "vehicle_reference": vehicle,
            "vehicle_type": _decode(checks, t, layout, "vehicle_type"),
            "driver_sex": _decode(checks, t, layout, "driver_sex"),
            "driver_age": apply(checks, t, "driver_age", whole(low=0, high=120), _INT),
            "driver_age_band": _decode(checks, t, layout, "driver_age_band"),
            "period_start": _period(year),
        }
    )
    mark_repeats(checks, [index, vehicle], "vehicle_reference", "vehicle")
    return finish(checks, typed, np.ones(t.num_rows, dtype=bool))


VALIDATORS = {
    "collisions": validate_collisions,
    "casualties": validate_casualties,
    "vehicles": validate_vehicles,
}
