"""Type fire incident records (csphub's layout, modelled on the Home Office incident data).

Each incident gets its Home Office group (``category``: primary, secondary, chimney, false
alarm, non-fire) from its type, and ``deliberate`` from its motive (null when not known),
so products can count deliberate fires, mostly secondary fires of refuse and grassland,
beside anti-social behaviour and criminal damage. A location given in one system (British
National Grid or longitude/latitude) is computed in the other.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csphub.datafiles import read_data_csv
from csphub.ingest.checks import GSS, Checks, Validated, check_required, finish, np_mask
from csphub.ingest.events import _to_bng, _to_wgs84
from csphub.ingest.parse import Parsed
from csphub.ingest.partner.layout import Layout
from csphub.ingest.partner.values import apply, column, decoder, dmy_date, floats, hh_mm, hours

SOURCE = "the fire incident types and motives (docs/formats/fire.md)"
_STR, _INT = pa.string(), pa.int32()


@cache
def _rows(variable: str) -> tuple[dict[str, str], ...]:
    return tuple(r for r in read_data_csv("partner/fire_codes.csv") if r["variable"] == variable)


def _decode(checks: Checks, t: pa.Table, field: str, variable: str) -> pa.Array:
    codes = {r["code"]: (r["label"], r["unknown"] == "1") for r in _rows(variable)}
    return apply(checks, t, field, decoder(codes, variable, SOURCE, fold=True), _STR)


def _lookup(labels: pa.Array, variable: str, column_name: str, typ: pa.DataType) -> pa.Array:
    """A property of each decoded label (e.g. the category of an incident type)."""
    table = {r["label"]: r[column_name] for r in _rows(variable)}
    keys = pa.array(list(table), _STR)
    raw = list(table.values())
    if typ == pa.bool_():
        values = pa.array([None if v == "" else v == "1" for v in raw], typ)
    else:
        values = pa.array(raw, typ)
    return values.take(pc.index_in(labels, keys))


def _text(t: pa.Table, field: str) -> pa.Array:
    col = column(t, field)
    if col is None:
        return pa.nulls(t.num_rows, _STR)
    col = pc.cast(col, _STR) if pa.types.is_dictionary(col.type) else col
    trimmed = pc.utf8_trim_whitespace(col)
    return pc.if_else(pc.equal(trimmed, ""), None, trimmed)


def _locate(checks: Checks, t: pa.Table) -> tuple[np.ndarray, ...]:
    """Longitude, latitude, easting, northing (each pair completed from the other)."""
    lon = _np(floats(checks, t, "longitude", -180, 180))
    lat = _np(floats(checks, t, "latitude", -90, 90))
    east = _np(floats(checks, t, "easting", 0, 800_000))
    north = _np(floats(checks, t, "northing", 0, 1_400_000))
    has_wgs = np.isfinite(lon) & np.isfinite(lat)
    has_bng = np.isfinite(east) & np.isfinite(north)
    need = has_bng & ~has_wgs
    if need.any():
        lon[need], lat[need] = _to_wgs84().transform(east[need], north[need])
    need = has_wgs & ~has_bng
    if need.any():
        east[need], north[need] = _to_bng().transform(lon[need], lat[need])
    return lon, lat, east, north


def _np(values: pa.Array) -> np.ndarray:
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=float)


def _duplicates(checks: Checks, ids: pa.Array) -> None:
    values = np.asarray(ids.to_numpy(zero_copy_only=False), dtype=object)
    values = np.where([v is None for v in values], "", values)
    _, first = np.unique(values, return_index=True)
    dup = np.ones(len(values), dtype=bool)
    dup[first] = False
    checks.add("incident_id", dup & ~checks.bad, "the same incident_id appears earlier in the file")


def validate_incidents(parsed: Parsed, layout: Layout) -> Validated:
    """Typed incidents for the ``fire_incidents`` view."""
    t = parsed.table
    checks = Checks(parsed)
    check_required(checks, t)
    day = apply(checks, t, "date", dmy_date, pa.date32())
    time = apply(checks, t, "time", hh_mm, _STR)
    kind = _decode(checks, t, "incident_type", "incident_type")
    motive = (
        _decode(checks, t, "motive", "motive")
        if column(t, "motive") is not None
        else pa.nulls(t.num_rows, _STR)
    )
    lsoa = _text(t, "lsoa")
    bad_lsoa = np_mask(pc.invert(pc.match_substring_regex(lsoa, GSS)))
    checks.add("lsoa", bad_lsoa, "not an LSOA code (a letter and 8 digits, e.g. E01012662)")
    lon, lat, east, north = _locate(checks, t)
    ids = _text(t, "incident_id")
    _duplicates(checks, ids)
    months = [date(d.year, d.month, 1) if d else None for d in day.to_pylist()]
    f64 = pa.float64()
    typed = pa.table(
        {
            "row_number": parsed.row_numbers,
            "incident_id": ids,
            "fire_service": _text(t, "fire_service"),
            "date": day,
            "hour": hours(time),
            "incident_type": kind,
            "category": _lookup(kind, "incident_type", "category", _STR),
            "property_type": _text(t, "property_type"),
            "deliberate": _lookup(motive, "motive", "deliberate", pa.bool_()),
            "motive": motive,
            "lsoa": lsoa,
            "latitude": pa.array(lat, f64, from_pandas=True),
            "longitude": pa.array(lon, f64, from_pandas=True),
            "easting": pa.array(east, f64, from_pandas=True),
            "northing": pa.array(north, f64, from_pandas=True),
            "period_start": pa.array(months, pa.date32()),
        }
    )
    located = np.isfinite(lon) | np_mask(pc.is_valid(lsoa))
    return finish(checks, typed, located)


VALIDATORS = {"fire-incidents": validate_incidents}
