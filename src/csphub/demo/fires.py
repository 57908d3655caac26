"""The demo fire and rescue service's incidents (csphub's fire layout).

Deliberate secondary fires (refuse, grassland) are placed where anti-social behaviour is
reported: each is near a police.uk ASB report of the same season, so they share its hot
spots, as they do in real towns (and peak in spring and around Bonfire Night). Dwelling
fires follow homes, mostly accidental; vehicle fires are often deliberate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from csphub.demo.coords import to_lonlat
from csphub.demo.csvtext import fixed, write_csv
from csphub.demo.events import Events
from csphub.demo.geography import Geography
from csphub.demo.places import Addresses
from csphub.demo.timing import sample_times

SERVICE = "Demoshire Fire and Rescue Service"
HEADER = (
    "incident_id", "fire_service", "incident_date", "incident_time", "incident_type",
    "property_type", "motive", "easting", "northing", "latitude", "longitude", "lsoa_code",
)  # fmt: skip
# type, property, mean per month, share deliberate, where ("asb" | "home" | "any")
_TYPES = (
    ("Secondary fire - refuse", "Wheelie bin", 14.0, 0.8, "asb"),
    ("Secondary fire - grassland, woodland or crops", "Grassland", 6.0, 0.75, "asb"),
    ("Secondary fire - derelict building", "Derelict building", 0.8, 0.85, "asb"),
    ("Primary fire - dwelling", "House - single occupancy", 6.0, 0.1, "home"),
    ("Primary fire - road vehicle", "Car", 3.0, 0.6, "asb"),
    ("Primary fire - other building", "Shop", 1.5, 0.25, "any"),
    ("Chimney fire", "House - single occupancy", 0.5, 0.0, "home"),
    ("False alarm - due to apparatus", "Care home", 12.0, 0.0, "any"),
    ("False alarm - good intent", "House - single occupancy", 8.0, 0.0, "home"),
    ("False alarm - malicious", "Street", 1.0, 0.0, "asb"),
)
# Secondary fires: more in spring and around Bonfire Night (November), by calendar month.
_SEASON = np.array([0.7, 0.8, 1.3, 1.5, 1.3, 1.1, 1.0, 1.0, 0.9, 1.0, 1.4, 0.8])


def simulate_fires(
    window: np.ndarray,
    asb: Events,
    addr: Addresses,
    geo: Geography,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Incidents as columns, in time order."""
    month_no = window.astype(int) % 12
    parts: list[dict[str, np.ndarray]] = []
    for k, (_, _, per_month, deliberate, where) in enumerate(_TYPES):
        season = _SEASON[month_no] if where == "asb" else np.ones(len(window))
        counts = rng.poisson(per_month * season)
        t = sample_times(np.repeat(window, counts), "street", rng)
        x, y = _places(where, t, asb, addr, geo, rng)
        motive = np.where(rng.uniform(size=len(t)) < deliberate, "Deliberate", "Accidental")
        if k >= 7:  # false alarms have no motive recorded
            motive = np.full(len(t), "Not known")
        parts.append({"t": t, "x": x, "y": y, "type": np.full(len(t), k), "motive": motive})
    out = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    order = np.argsort(out["t"], kind="stable")
    return {key: v[order] for key, v in out.items()}


def _places(where, t, asb: Events, addr: Addresses, geo: Geography, rng) -> tuple:
    n = len(t)
    if where == "asb" and len(asb):
        # near an ASB report within about a month of the fire
        pick = np.clip(np.searchsorted(asb.t, t) + rng.integers(-30, 30, n), 0, len(asb) - 1)
        return asb.x[pick] + rng.normal(0, 60, n), asb.y[pick] + rng.normal(0, 60, n)
    if where == "home":
        homes = np.flatnonzero(addr.kind == 0)
        pick = rng.choice(homes, n)
        return addr.x[pick], addr.y[pick]
    pick = rng.integers(0, len(addr), n)
    return addr.x[pick] + rng.normal(0, 20, n), addr.y[pick] + rng.normal(0, 20, n)


def write_fires(path: Path, f: dict[str, np.ndarray], geo: Geography) -> int:
    """The service's incident export; returns the row count."""
    n = len(f["t"])
    stamp = np.datetime_as_string(f["t"], unit="m").tolist()
    lon, lat = to_lonlat(f["x"], f["y"])
    lsoa = np.array(geo.lsoa_code, dtype=object)[geo.lsoa_at(f["x"], f["y"], nearest=True)]
    year = [s[:4] for s in stamp]
    types = np.array([t[0] for t in _TYPES], dtype=object)[f["type"]]
    props = np.array([t[1] for t in _TYPES], dtype=object)[f["type"]]
    columns = [
        [f"DFRS-{y}-{i + 1:06d}" for i, y in enumerate(year)],
        [SERVICE] * n,
        [s[:10] for s in stamp],
        [s[11:16] for s in stamp],
        types,
        props,
        f["motive"],
        fixed(f["x"], 0),
        fixed(f["y"], 0),
        fixed(lat, 6),
        fixed(lon, 6),
        lsoa,
    ]
    return write_csv(path, HEADER, columns)
