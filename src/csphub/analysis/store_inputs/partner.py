"""Partner data read from the evidence store: road collisions and casualties (DfT STATS19),
A&E assaults (ISTV, ISB1594) and fire incidents, for one area and date range.

Every reader returns None when its view is absent or holds no rows (nothing loaded), so a
product can say so plainly. The columns are the store's contract with ``csphub ingest
stats19|istv|fire``; this module is the one place that reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from csphub.store import Store
from csphub.store.areas import Area

COLLISIONS, CASUALTIES, AE, FIRE = "collisions", "casualties", "ae_assaults", "fire_incidents"
COLLISION_COLUMNS = (
    "collision_index, year, date, hour, weekday, severity, adjusted_serious, adjusted_slight, "
    "vehicles, casualties, lsoa, district, road_type, speed_limit, light, urban_rural"
)
CASUALTY_COLUMNS = (
    "k.collision_index, k.casualty_class, k.severity, k.adjusted_serious, k.adjusted_slight, "
    "k.sex, k.age, k.age_band, k.road_user"
)
AE_COLUMNS = (
    "attendance_at, incident_at, COALESCE(incident_date, CAST(attendance_at AS DATE)) "
    "AS incident_date, hour, weekday, location_type, lsoa, weapon, assailant, age_band, sex, site"
)
FIRE_COLUMNS = "incident_id, date, hour, incident_type, category, deliberate, lsoa"


def has_view(store: Store, name: str) -> bool:
    """True when the store has a view or table ``name`` holding at least one row."""
    found = store.con.execute(
        "SELECT 1 FROM duckdb_views() WHERE view_name = ? "
        "UNION ALL SELECT 1 FROM duckdb_tables() WHERE table_name = ?",
        [name, name],
    ).fetchone()
    return bool(found) and store.has_rows(name)


def _codes(area: Area) -> list[str]:
    return list(area.lsoa_codes)


@dataclass(frozen=True, eq=False)
class Collisions:
    """The area's collisions over the dates asked, their casualties (None when no casualty
    rows are loaded for them), the calendar years the loaded files cover, and how many
    collisions of the store's matching dates have no LSOA (so no area)."""

    collisions: pd.DataFrame
    casualties: pd.DataFrame | None
    years: tuple[int, ...]
    without_lsoa: int


def read_collisions(
    store: Store, area: Area, date_from: dt.date, date_to: dt.date
) -> Collisions | None:
    """Collisions in ``area`` from ``date_from`` to ``date_to`` inclusive, or None when no
    collisions are loaded. ``date`` comes back as a pandas datetime."""
    if not has_view(store, COLLISIONS):
        return None
    con = store.con
    frame = con.execute(
        f"SELECT {COLLISION_COLUMNS} FROM {COLLISIONS} "
        "WHERE lsoa IN (SELECT unnest(?::VARCHAR[])) AND date BETWEEN ? AND ? "
        "ORDER BY date, collision_index",
        [_codes(area), date_from, date_to],
    ).df()
    frame["date"] = pd.to_datetime(frame["date"])
    years = tuple(
        int(r[0])
        for r in con.execute(f"SELECT DISTINCT year FROM {COLLISIONS} ORDER BY 1").fetchall()
    )
    unplaced = con.execute(
        f"SELECT count(*) FROM {COLLISIONS} WHERE (lsoa IS NULL OR lsoa = '') "
        "AND date BETWEEN ? AND ?",
        [date_from, date_to],
    ).fetchone()[0]
    casualties = None
    if has_view(store, CASUALTIES) and len(frame):
        casualties = con.execute(
            f"SELECT {CASUALTY_COLUMNS}, c.date FROM {CASUALTIES} k "
            f"JOIN {COLLISIONS} c USING (collision_index) "
            "WHERE c.lsoa IN (SELECT unnest(?::VARCHAR[])) AND c.date BETWEEN ? AND ?",
            [_codes(area), date_from, date_to],
        ).df()
        if casualties.empty:
            casualties = None
    return Collisions(frame, casualties, years, int(unplaced))


@dataclass(frozen=True, eq=False)
class Assaults:
    """The area's A&E assaults over the dates asked (by incident date, else attendance
    date), the months any A&E extract covers (``YYYY-MM``), the sites, and how many assaults
    of those dates have no LSOA (so no area)."""

    assaults: pd.DataFrame
    months: tuple[str, ...]
    sites: tuple[str, ...]
    without_lsoa: int


def read_assaults(
    store: Store, area: Area, date_from: dt.date, date_to: dt.date
) -> Assaults | None:
    """A&E assaults in ``area`` between the dates, or None when none are loaded."""
    if not has_view(store, AE):
        return None
    con = store.con
    inner = f"SELECT {AE_COLUMNS} FROM {AE}"
    frame = con.execute(
        f"SELECT * FROM ({inner}) WHERE lsoa IN (SELECT unnest(?::VARCHAR[])) "
        "AND incident_date BETWEEN ? AND ? ORDER BY attendance_at",
        [_codes(area), date_from, date_to],
    ).df()
    frame["incident_date"] = pd.to_datetime(frame["incident_date"])
    months = tuple(
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT strftime(attendance_at, '%Y-%m') FROM {AE} ORDER BY 1"
        ).fetchall()
    )
    sites = tuple(
        str(r[0])
        for r in con.execute(
            f"SELECT DISTINCT site FROM {AE} WHERE site IS NOT NULL ORDER BY 1"
        ).fetchall()
    )
    unplaced = con.execute(
        f"SELECT count(*) FROM ({inner}) WHERE (lsoa IS NULL OR lsoa = '') "
        "AND incident_date BETWEEN ? AND ?",
        [date_from, date_to],
    ).fetchone()[0]
    return Assaults(frame, months, sites, int(unplaced))


def read_fires(
    store: Store, area: Area, date_from: dt.date, date_to: dt.date
) -> pd.DataFrame | None:
    """Fire incidents in ``area`` between the dates, or None when none are loaded."""
    if not has_view(store, FIRE):
        return None
    frame = store.con.execute(
        f"SELECT {FIRE_COLUMNS} FROM {FIRE} WHERE lsoa IN (SELECT unnest(?::VARCHAR[])) "
        "AND date BETWEEN ? AND ? ORDER BY date",
        [_codes(area), date_from, date_to],
    ).df()
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def fire_months(store: Store) -> tuple[str, ...]:
    """Months (``YYYY-MM``) with any fire incident loaded (exports are keyed by service and
    month, so a month with rows is a month covered)."""
    if not has_view(store, FIRE):
        return ()
    rows = store.con.execute(
        f"SELECT DISTINCT strftime(date, '%Y-%m') FROM {FIRE} WHERE date IS NOT NULL ORDER BY 1"
    ).fetchall()
    return tuple(r[0] for r in rows)


def deprivation_deciles(store: Store, area: Area) -> pd.DataFrame:
    """``lsoa_code``, ``domain``, ``decile`` of the area's LSOAs (empty when none loaded)."""
    return store.con.execute(
        "SELECT lsoa_code, domain, decile FROM deprivation "
        "WHERE lsoa_code IN (SELECT unnest(?::VARCHAR[])) ORDER BY domain, lsoa_code",
        [_codes(area)],
    ).df()
