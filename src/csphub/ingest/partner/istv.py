"""Type A&E assault records in the csphub ISTV extract (ISB1594 fields).

Hour and weekday are those of the incident when its time is given, else of the arrival at
A&E (``time_from`` says which): analysts need the time of the assault, and most A&E
systems record only the arrival. A postcode is kept whole and as its district; the store
holds no postcode lookup, so an LSOA comes only from an ``incident_lsoa`` column, and the
file's summary says how many rows have a postcode but no LSOA.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csphub.ingest.checks import Checks, Validated, check_required, finish, np_mask
from csphub.ingest.forces import ForceNames
from csphub.ingest.parse import Parsed
from csphub.ingest.partner.layout import Layout
from csphub.ingest.partner.values import (
    apply,
    code_lists,
    decode,
    dmy_date,
    hh_mm,
    iso_weekday,
    lsoa_codes,
    month_starts,
    site,
    text,
)

SOURCE = "the csphub ISTV codes (docs/formats/istv.md)"
_STR, _INT = pa.string(), pa.int32()
# A UK postcode (outward code, then inward code); the space may be missing.
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")


def _decode(checks: Checks, t: pa.Table, layout: Layout, field: str) -> pa.Array:
    """Labels of a coded field (all null when the file has no such column)."""
    variable = layout.codes[field]
    codes = code_lists("istv")[variable]
    return decode(checks, t, field, codes, variable, SOURCE, fold=True)


def postcode(text: str) -> tuple[tuple[str | None, str | None], str | None]:
    """(postcode, district) of a full postcode or a district alone, or the problem."""
    s = " ".join(text.upper().split())
    if s == "":
        return (None, None), None
    m = _POSTCODE.match(s)
    if m:
        return (f"{m[1]} {m[2]}", m[1]), None
    if _DISTRICT.match(s):
        return (None, s), None
    return (None, None), "not a UK postcode or postcode district"


def _stamp(day: pa.Array, hm: pa.Array) -> pa.Array:
    """Date and HH:MM as a timestamp; null where either is."""
    text = pc.binary_join_element_wise(pc.cast(day, _STR), hm, " ")
    return pc.strptime(text, format="%Y-%m-%d %H:%M", unit="s", error_is_null=True)


def validate_assaults(parsed: Parsed, layout: Layout, names: ForceNames) -> Validated:
    """Typed attendances for the ``ae_assaults`` view."""
    t = parsed.table
    checks = Checks(parsed)
    check_required(checks, t)
    arrived_day = apply(checks, t, "attendance_date", dmy_date, pa.date32())
    arrived_time = apply(checks, t, "attendance_time", hh_mm, _STR)
    incident_day = apply(checks, t, "incident_date", dmy_date, pa.date32())
    incident_time = apply(checks, t, "incident_time", hh_mm, _STR)
    attendance_at = _stamp(arrived_day, arrived_time)
    incident_at = _stamp(incident_day, incident_time)
    later = np_mask(pc.greater(incident_at, attendance_at)) | np_mask(
        pc.greater(incident_day, arrived_day)
    )
    checks.add("incident_date", later & ~checks.bad, "the incident is after the attendance")
    day = pc.coalesce(incident_day, arrived_day)
    at = pc.if_else(pc.is_valid(incident_at), incident_at, attendance_at)
    from_incident = np_mask(pc.is_valid(incident_at))
    codes_pc = apply(checks, t, "postcode", postcode, pa.struct([("p", _STR), ("d", _STR)]))
    lsoa = lsoa_codes(checks, t)
    notes: list[str] = []
    typed = pa.table(
        {
            "row_number": parsed.row_numbers,
            "attendance_at": attendance_at,
            "incident_at": incident_at,
            "incident_date": day,
            "hour": pc.cast(pc.hour(at), _INT),
            "weekday": iso_weekday(pc.cast(at, pa.date32())),
            "time_from": pa.array(np.where(from_incident, "incident", "attendance")),
            "location_text": text(t, "location_text"),
            "location_type": _decode(checks, t, layout, "location_type"),
            "postcode": codes_pc.field("p"),
            "postcode_district": codes_pc.field("d"),
            "lsoa": lsoa,
            "weapon": _decode(checks, t, layout, "weapon"),
            "assailant": _decode(checks, t, layout, "assailant"),
            "age_band": _decode(checks, t, layout, "age_band"),
            "sex": _decode(checks, t, layout, "sex"),
            "site": site(checks, t, names, notes),
            "trust": text(t, "trust"),
            "period_start": month_starts(arrived_day),
        }
    )
    located = np_mask(pc.is_valid(lsoa))
    out = finish(checks, typed, located, notes)
    unresolved = (
        pc.sum(
            pc.and_(pc.is_null(out.table["lsoa"]), pc.is_valid(out.table["postcode_district"]))
        ).as_py()
        or 0
    )
    if unresolved:
        out.notes.append(
            f"{unresolved:,} rows have a postcode but no LSOA: the store holds no postcode "
            "lookup, so their postcode district is kept (give incident_lsoa to place them)"
        )
    return out


VALIDATORS = {"ae-assaults": validate_assaults}
