"""Write partner extracts in csphub's event-level template (LF line ends).

``police-events.csv`` is the force's own extract: exact date, time and location and the
pseudonymous address, victim and suspect ids that data.police.uk never publishes.
``housing-asb.csv`` is the landlord's ASB log in the same template. ``addresses.csv`` is
the pseudonymous address list both refer to (a stand-in for the council's gazetteer).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from csphub.demo.coords import to_lonlat
from csphub.demo.csvtext import fixed, write_csv
from csphub.demo.events import Events
from csphub.demo.geography import Geography
from csphub.demo.names import HOUSING_PROVIDER
from csphub.demo.params import SPECS
from csphub.demo.places import KIND_NAMES, Addresses
from csphub.ingest.kinds import kinds

EVENTS_HEADER = kinds()["events"].columns  # csphub's partner extract template
ADDRESSES_HEADER = (
    "address_id",
    "address_type",
    "landlord",
    "easting",
    "northing",
    "longitude",
    "latitude",
    "lsoa_code",
)


def _ids(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Published ids for indices, "" where the index is -1."""
    table = np.append(values.astype(object), "")
    return table[index]


def write_events(
    path: Path,
    ev: Events,
    event_ids: np.ndarray,
    agency: str,
    geo: Geography,
    addr: Addresses,
    person_ids: np.ndarray,
) -> int:
    """One row per event with its true (unsnapped) location; returns the row count."""
    stamp = np.datetime_as_string(ev.t, unit="m").tolist()
    lon, lat = to_lonlat(ev.x, ev.y)
    lsoa = geo.lsoa_at(ev.x, ev.y, nearest=True)
    columns = [
        event_ids,
        [agency] * len(ev),
        np.array([s.name for s in SPECS], dtype=object)[ev.ctype],
        ev.offence,
        [v[:10] for v in stamp],
        [v[11:16] for v in stamp],
        fixed(ev.x, 1),
        fixed(ev.y, 1),
        fixed(lon, 6),
        fixed(lat, 6),
        np.array(geo.lsoa_code, dtype=object)[lsoa],
        _ids(addr.ids, ev.address),
        _ids(person_ids, ev.victim),
        _ids(person_ids, ev.offender),
    ]
    return write_csv(path, EVENTS_HEADER, columns)


def write_addresses(path: Path, addr: Addresses, geo: Geography) -> int:
    """The address list, in id order."""
    lon, lat = to_lonlat(addr.x, addr.y)
    order = np.argsort(addr.ids)
    columns = [
        addr.ids,
        np.array(KIND_NAMES, dtype=object)[addr.kind],
        np.where(addr.social, HOUSING_PROVIDER, ""),
        np.array(fixed(addr.x, 1)),
        np.array(fixed(addr.y, 1)),
        np.array(fixed(lon, 6)),
        np.array(fixed(lat, 6)),
        np.array(geo.lsoa_code, dtype=object)[addr.lsoa],
    ]
    return write_csv(path, ADDRESSES_HEADER, [c[order] for c in columns])
