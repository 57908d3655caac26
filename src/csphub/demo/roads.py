"""The demo borough's road collisions in DfT's STATS19 layout (2024 column names).

Collisions cluster on the busy roads of the town centre and the district centres, peak in
the evening rush hour, and are about 1.5% fatal, 28% serious and 70% slight, as in a
Blackpool-sized town. Each has its casualties (the first as severe as the collision) and
vehicles, joined on ``collision_index``. DfT's code list has no Demoshire: the demo uses
police force code 4 (Lancashire), the coast it is modelled on.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from csphub.demo.coords import to_lonlat
from csphub.demo.csvtext import fixed, write_csv
from csphub.demo.geography import LAD_CODE, Geography
from csphub.demo.hotspots import Hotspots
from csphub.demo.timing import sample_times

FORCE_CODE = "4"
PER_MONTH = 22.0
COLLISION_HEADER = (
    "collision_index", "collision_year", "collision_ref_no", "location_easting_osgr",
    "location_northing_osgr", "longitude", "latitude", "police_force", "collision_severity",
    "number_of_vehicles", "number_of_casualties", "date", "day_of_week", "time",
    "local_authority_ons_district", "local_authority_highway", "road_type", "speed_limit",
    "light_conditions", "weather_conditions", "urban_or_rural_area",
    "lsoa_of_collision_location", "enhanced_collision_severity", "collision_adjusted_serious",
    "collision_adjusted_slight",
)  # fmt: skip
CASUALTY_HEADER = (
    "collision_index", "collision_year", "collision_ref_no", "vehicle_reference",
    "casualty_reference", "casualty_class", "sex_of_casualty", "age_of_casualty",
    "age_band_of_casualty", "casualty_severity", "casualty_type", "casualty_adjusted_serious",
    "casualty_adjusted_slight",
)  # fmt: skip
VEHICLE_HEADER = (
    "collision_index", "collision_year", "collision_ref_no", "vehicle_reference", "vehicle_type",
    "sex_of_driver", "age_of_driver", "age_band_of_driver",
)  # fmt: skip
# casualty_type: code, share, vehicle_type of the casualty's vehicle (None: a pedestrian)
_ROAD_USERS = ((9, 0.56, 9), (0, 0.14, None), (1, 0.11, 1), (3, 0.05, 3), (5, 0.04, 5),
               (19, 0.04, 19), (8, 0.03, 8), (11, 0.02, 11), (22, 0.01, 22))  # fmt: skip
_OTHER_VEHICLES = (9, 9, 9, 9, 19, 8, 11, 21)
_BANDS = (0, 6, 11, 16, 21, 26, 36, 46, 56, 66, 76)  # DfT age band lower bounds (codes 1-11)


def _age_band(age: np.ndarray) -> np.ndarray:
    return np.searchsorted(_BANDS, age, side="right")


def simulate_collisions(
    window: np.ndarray, geo: Geography, spots: Hotspots, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """One entry per collision: time, place, severity, vehicles and casualties."""
    n_month = rng.poisson(PER_MONTH, len(window))
    t = np.sort(sample_times(np.repeat(window, n_month), "street", rng))
    n = len(t)
    centre = rng.integers(0, len(spots.retail), n)
    busy = rng.uniform(size=n) < 0.6
    x = np.where(busy, spots.retail[centre, 0] + rng.normal(0, 350, n), 0.0)
    y = np.where(busy, spots.retail[centre, 1] + rng.normal(0, 350, n), 0.0)
    lsoa = rng.integers(0, geo.n_lsoa, n)
    cents = geo.centroids
    x = np.where(busy, x, cents[lsoa, 0] + rng.normal(0, 150, n))
    y = np.where(busy, y, cents[lsoa, 1] + rng.normal(0, 150, n))
    inside = geo.lsoa_at(x, y, nearest=True)
    severity = rng.choice([1, 2, 3], n, p=[0.015, 0.285, 0.70])
    return {
        "t": t,
        "x": np.round(x),
        "y": np.round(y),
        "lsoa": np.array(geo.lsoa_code, dtype=object)[inside],
        "severity": severity,
        "vehicles": 1 + rng.poisson(0.8, n).clip(0, 3),
        "casualties": 1 + rng.poisson(0.3, n).clip(0, 4),
        "speed": rng.choice([20, 30, 40, 60], n, p=[0.25, 0.6, 0.1, 0.05]),
        "road": rng.choice([6, 3, 1, 2, 7, 9], n, p=[0.72, 0.1, 0.1, 0.04, 0.02, 0.02]),
        "weather": rng.choice([1, 2, 4, 5, 7, 9], n, p=[0.78, 0.14, 0.03, 0.02, 0.01, 0.02]),
    }


def write_collisions(folder: Path, c: dict[str, np.ndarray], rng: np.random.Generator) -> tuple:
    """Write the collision, casualty and vehicle files; returns their paths."""
    n = len(c["t"])
    year = c["t"].astype("datetime64[Y]").astype(int) + 1970
    ref = np.char.add(FORCE_CODE.zfill(2), np.char.zfill((np.arange(n) + 1).astype(str), 7))
    index = np.char.add(year.astype(str), ref)
    stamp = np.datetime_as_string(c["t"], unit="m").tolist()
    hour = c["t"].astype("datetime64[h]").astype(int) % 24
    dark = (hour < 7) | (hour >= 18)
    sun_first = (c["t"].astype("datetime64[D]").astype(np.int64) + 4) % 7 + 1  # DfT: 1 Sunday
    lon, lat = to_lonlat(c["x"], c["y"])
    cas, veh, adjusted = _people(index, year, ref, c, rng)
    adj_text = ["" if np.isnan(a) else f"{a:.4f}" for a in adjusted]
    paths = (folder / "collisions.csv", folder / "casualties.csv", folder / "vehicles.csv")
    write_csv(
        paths[0],
        COLLISION_HEADER,
        [
            index, year, ref, fixed(c["x"], 0), fixed(c["y"], 0), fixed(lon, 6), fixed(lat, 6),
            [FORCE_CODE] * n, c["severity"], c["vehicles"], c["casualties"],
            [f"{s[8:10]}/{s[5:7]}/{s[:4]}" for s in stamp], sun_first, [s[11:16] for s in stamp],
            [LAD_CODE] * n, [LAD_CODE] * n, c["road"], c["speed"], np.where(dark, 4, 1),
            c["weather"], [1] * n, c["lsoa"], _enhanced(c["severity"], rng), adj_text,
            ["" if a == "" else f"{1 - float(a):.4f}" for a in adj_text],
        ],
    )  # fmt: skip
    write_csv(paths[1], CASUALTY_HEADER, cas)
    write_csv(paths[2], VEHICLE_HEADER, veh)
    return paths


def _enhanced(severity: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    serious = rng.choice([5, 6, 7], len(severity), p=[0.2, 0.35, 0.45])
    return np.select([severity == 1, severity == 2], [1, serious], 3)


def _people(index, year, ref, c, rng) -> tuple[list, list, np.ndarray]:
    """Casualty and vehicle columns, and each collision's adjusted serious probability."""
    users = np.array([u[0] for u in _ROAD_USERS])
    share = np.array([u[1] for u in _ROAD_USERS])
    own_vehicle = {u[0]: u[2] for u in _ROAD_USERS}
    cas_rows: list[tuple] = []
    veh_rows: list[tuple] = []
    adjusted = np.full(len(index), np.nan)
    for i in range(len(index)):
        keys = (index[i], int(year[i]), ref[i])
        first_user = int(rng.choice(users, p=share / share.sum()))
        types = [own_vehicle[first_user] or 9]
        types += [int(rng.choice(_OTHER_VEHICLES)) for _ in range(int(c["vehicles"][i]) - 1)]
        for v, vtype in enumerate(types, start=1):
            age = int(rng.integers(17, 85))
            veh_rows.append((*keys, v, vtype, int(rng.choice([1, 1, 1, 2])), age, _age_band(age)))
        for k in range(int(c["casualties"][i])):
            worst = int(c["severity"][i])  # no casualty is worse than the collision
            sev = worst if k == 0 else max(worst, int(rng.choice([2, 3], p=[0.1, 0.9])))
            user = first_user if k == 0 else 9
            klass = 3 if user == 0 else (1 if k == 0 else 2)
            age = int(rng.integers(4, 90)) if user == 0 else int(rng.integers(16, 80))
            adj = 1.0 if sev == 2 else (round(float(rng.beta(1, 9)), 4) if sev == 3 else np.nan)
            if k == 0:
                adjusted[i] = adj
            cas_rows.append((*keys, 1, k + 1, klass, int(rng.choice([1, 1, 2])), age,
                             _age_band(age), sev, user,
                             "" if np.isnan(adj) else f"{adj:.4f}",
                             "" if np.isnan(adj) else f"{1 - adj:.4f}"))  # fmt: skip
    return (
        [list(col) for col in zip(*cas_rows, strict=True)],
        [list(col) for col in zip(*veh_rows, strict=True)],
        adjusted,
    )
