"""Type fire incident records (csphub's layout, modelled on the Home Office incident data).

Each incident gets its Home Office group (``category``: primary, secondary, chimney, false
alarm, non-fire) from its type, and ``deliberate`` from its motive (null when not known),
so products can count deliberate fires, mostly secondary fires of refuse and grassland,
beside anti-social behaviour and criminal damage. A location given in one system (British
National Grid or longitude/latitude) is computed in the other.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csphub.datafiles import read_data_csv
from csphub.ingest.checks import Checks, Validated, check_required, finish, np_mask
from csphub.ingest.forces import ForceNames
from csphub.ingest.grid import complete_pairs
from csphub.ingest.parse import Parsed
from csphub.ingest.partner.layout import Layout
from csphub.ingest.partner.values import (
    apply,
    decode,
    dmy_date,
    floats,
    hh_mm,
    hours,
    lsoa_codes,
    mark_repeats,
    month_starts,
    site,
    text,
)

SOURCE = "the fire incident types and motives (docs/formats/fire.md)"
_STR, _INT = pa.string(), pa.int32()


@cache
def _rows(variable: str) -> tuple[dict[str, str], ...]:
    return tuple(r for r in read_data_csv("partner/fire_codes.csv") if r["variable"] == variable)


def _decode(checks: Checks, t: pa.Table, field: str, variable: str) -> pa.Array:
    """Labels of a coded field (all null when the file has no such column)."""
    codes = {r["code"]: (r["label"], r["unknown"] == "1") for r in _rows(variable)}
    return decode(checks, t, field, codes, variable, SOURCE, fold=True)


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


def _locate(checks: Checks, t: pa.Table) -> tuple[np.ndarray, ...]:
    """Longitude, latitude, easting, northing (each pair completed from the other)."""
    lon = _np(floats(checks, t, "longitude", -180, 180))
    lat = _np(floats(checks, t, "latitude", -90, 90))
    east = _np(floats(checks, t, "easting", 0, 800_000))
    north = _np(floats(checks, t, "northing", 0, 1_400_000))
    complete_pairs(lon, lat, east, north)
    return lon, lat, east, north


def _np(values: pa.Array) -> np.ndarray:
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=float)


def validate_incidents(parsed: Parsed, layout: Layout, names: ForceNames) -> Validated:
    """Typed incidents for the ``fire_incidents`` view."""
    t = parsed.table
    checks = Checks(parsed)
    check_required(checks, t)
    day = apply(checks, t, "date", dmy_date, pa.date32())
    time = apply(checks, t, "time", hh_mm, _STR)
    kind = _decode(checks, t, "incident_type", "incident_type")
    motive = _decode(checks, t, "motive", "motive")
    lsoa = lsoa_codes(checks, t)
    notes: list[str] = []
    lon, lat, east, north = _locate(checks, t)
    ids = text(t, "incident_id")
    mark_repeats(checks, [ids], "incident_id", "incident_id")
    f64 = pa.float64()
    typed = pa.table(
        {
            "row_number": parsed.row_numbers,
            "incident_id": ids,
            "fire_service": site(checks, t, names, notes, "fire_service"),
            "date": day,
            "hour": hours(time),
            "incident_type": kind,
            "category": _lookup(kind, "incident_type", "category", _STR),
            "property_type": text(t, "property_type"),
            "deliberate": _lookup(motive, "motive", "deliberate", pa.bool_()),
            "motive": motive,
            "lsoa": lsoa,
            "latitude": pa.array(lat, f64, from_pandas=True),
            "longitude": pa.array(lon, f64, from_pandas=True),
            "easting": pa.array(east, f64, from_pandas=True),
            "northing": pa.array(north, f64, from_pandas=True),
            "period_start": month_starts(day),
        }
    )
    located = np.isfinite(lon) | np_mask(pc.is_valid(lsoa))
    return finish(checks, typed, located, notes)


VALIDATORS = {"fire-incidents": validate_incidents}
