"""Write the events as data.police.uk publishes them: street and outcomes files per month.

Publication anonymises: each event moves to its nearest snap point and takes that point's
LSOA; a few events have no location at all; ASB has no Crime ID and no outcome; Crime IDs
are 64-hex hashes that cannot be turned back into the force's reference. Files use CRLF
line ends, like the archive CSVs of recent years.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from csphub.demo.coords import to_lonlat
from csphub.demo.csvtext import fixed, write_csv
from csphub.demo.events import Events
from csphub.demo.geography import Geography
from csphub.demo.names import FORCE, FORCE_SLUG
from csphub.demo.outcomes import Outcomes
from csphub.demo.params import SPECS
from csphub.demo.snap import SnapPoints
from csphub.ingest.kinds import kinds

# The headers come from the same data file the ingest checks against, so they cannot drift.
STREET_HEADER = kinds()["street"].columns
OUTCOMES_HEADER = kinds()["outcomes"].columns
NO_LOCATION_STREET = "No Location"  # data.police.uk spells it so in street files
NO_LOCATION_OUTCOMES = "No location"  # and so in outcomes files
CRLF = "\r\n"


@dataclass(frozen=True, eq=False)
class Published:
    """The street-file view of each event (event order), ready to write."""

    crime_id: np.ndarray
    month: np.ndarray  # month index into the window
    lsoa: np.ndarray  # snapped LSOA index, -1 for no location
    lon: np.ndarray  # formatted strings, "" for no location
    lat: np.ndarray
    location: np.ndarray


def crime_ids(event_ids: np.ndarray, seed: int) -> np.ndarray:
    """A 64-hex Crime ID per event: sha256 of the seed and the force's event id."""
    return np.array(
        [hashlib.sha256(f"{seed}:{e}".encode()).hexdigest() for e in event_ids], dtype=object
    )


def publish(
    ev: Events,
    ids: np.ndarray,
    month: np.ndarray,
    no_location: np.ndarray,
    snap: SnapPoints,
    asb: int,
) -> Published:
    """Snap each event, blank the ones with no location, drop the Crime ID of ASB."""
    nearest = snap.nearest(ev.x, ev.y)
    lon, lat = to_lonlat(snap.x[nearest], snap.y[nearest])
    blank = np.array("", dtype=object)
    return Published(
        crime_id=np.where(ev.ctype == asb, blank, ids).astype(object),
        month=month,
        lsoa=np.where(no_location, -1, snap.lsoa[nearest]),
        lon=np.where(no_location, blank, np.array(fixed(lon, 6), dtype=object)),
        lat=np.where(no_location, blank, np.array(fixed(lat, 6), dtype=object)),
        location=np.where(no_location, NO_LOCATION_STREET, snap.label[nearest]).astype(object),
    )


def _lsoa_columns(geo: Geography, lsoa: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes = np.array([*geo.lsoa_code, ""], dtype=object)
    names = np.array([*geo.lsoa_name, ""], dtype=object)
    return codes[lsoa], names[lsoa]  # index -1 picks the trailing ""


def _path(root: Path, month: str, kind: str) -> Path:
    return root / month / f"{month}-{FORCE_SLUG}-{kind}.csv"


def write_street(
    root: Path, pub: Published, ev: Events, last: np.ndarray, months: list[str], geo: Geography
) -> list[tuple[Path, int]]:
    """One street file per month; rows grouped by LSOA then crime type, no-location last."""
    codes, names = _lsoa_columns(geo, pub.lsoa)
    type_names = np.array([s.name for s in SPECS], dtype=object)
    lsoa_key = np.where(pub.lsoa < 0, geo.n_lsoa, pub.lsoa)
    type_key = np.argsort(np.argsort(type_names))[ev.ctype]
    order = np.lexsort((np.arange(len(ev)), type_key, lsoa_key, pub.month))
    n = len(ev)
    columns = [
        pub.crime_id,
        np.array(months, dtype=object)[pub.month],
        np.full(n, FORCE, dtype=object),
        np.full(n, FORCE, dtype=object),
        pub.lon,
        pub.lat,
        pub.location,
        codes,
        names,
        type_names[ev.ctype],
        last,
        np.full(n, "", dtype=object),
    ]
    return _by_month(root, "street", STREET_HEADER, columns, pub.month, order, months)


def _by_month(
    root: Path,
    kind: str,
    header: tuple[str, ...],
    columns: list[np.ndarray],
    month: np.ndarray,
    order: np.ndarray,
    months: list[str],
) -> list[tuple[Path, int]]:
    """Write rows (in ``order``, which sorts by month first) to one CRLF file per month."""
    bounds = np.searchsorted(month[order], np.arange(len(months) + 1))
    written = []
    for m, label in enumerate(months):
        rows = order[bounds[m] : bounds[m + 1]]
        path = _path(root, label, kind)
        write_csv(path, header, [c[rows] for c in columns], line_end=CRLF)
        written.append((path, int(rows.size)))
    return written


def write_outcomes(
    root: Path, pub: Published, out: Outcomes, months: list[str], geo: Geography
) -> list[tuple[Path, int]]:
    """One outcomes file per month: the outcomes recorded that month, located like the crime."""
    lsoa = pub.lsoa[out.crime]
    codes, names = _lsoa_columns(geo, lsoa)
    location = np.where(lsoa < 0, NO_LOCATION_OUTCOMES, pub.location[out.crime])
    order = np.lexsort((out.crime, lsoa, out.month))  # no-location (-1) first, as published
    n = out.crime.size
    columns = [
        pub.crime_id[out.crime],
        np.array(months, dtype=object)[out.month],
        np.full(n, FORCE, dtype=object),
        np.full(n, FORCE, dtype=object),
        pub.lon[out.crime],
        pub.lat[out.crime],
        location,
        codes,
        names,
        out.kind,
    ]
    return _by_month(root, "outcomes", OUTCOMES_HEADER, columns, out.month, order, months)
