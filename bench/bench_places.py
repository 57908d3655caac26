"""Benchmark: places against the store, on all of Lancashire (941 LSOAs, 627,032 rows).

Loads the 36 Lancashire street files and the LSOA boundaries of its 14 districts into a
fresh store (timed apart; ``--keep DIR`` keeps it, ``--store DIR`` reuses one), then:

* ``locate`` for ``--points`` (10,000) points: police.uk map points, seeded, moved up to
  300 m so some fall near edges and a few outside the county. csphub builds an STRtree of
  the polygons once per store state (first call) and tests candidates vectorised (second
  call: the cached index). Baseline: a plain shapely loop, every point against every
  polygon with ``Polygon.covers``, on a ``--subsample`` of the points, extrapolated
  (labelled ``*``); the answers on the subsample must be equal.
* ``records_near`` for ``--near`` (100) points, 250 m, 12 months: csphub filters a
  longitude/latitude box in DuckDB and measures in British National Grid metres.
  Baseline: a plain DuckDB scan per point, haversine on every located row of the window,
  no box. Totals are compared (haversine and grid metres differ by under 0.5 %, so a row
  at the very edge can count in one and not the other).

Usage: python bench/bench_places.py [--points 10000] [--near 100] [--subsample 200]
[--store DIR | --keep DIR]. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

from _common import SHARED
from csphub.analysis.store_inputs.places import locate, records_near
from csphub.store import open_store

STREET = SHARED / "police_uk/lancashire/street"
LSOAS = SHARED / "boundaries/lsoa11_by_lad"
WARDS = SHARED / "reference_tables/lookup_lsoa11_ward17.csv.gz"
SEED = 20261206


def csphub(*args: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "from csphub.cli.main import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"csphub {' '.join(args)} failed:\n{proc.stderr}")
    return time.perf_counter() - start


def load(store: Path) -> float:
    for path in (STREET, LSOAS, WARDS):
        if not path.exists():
            raise SystemExit(f"missing {path}: set CSPHUB_SHARED_DATA")
    boundaries: list[str] = []
    for path in sorted(LSOAS.glob("*.geojson")):
        boundaries += ["--boundaries", str(path), "--level", "lsoa"]
    seconds = csphub("ingest", "police-uk", str(STREET), "--store", str(store))
    seconds += csphub(
        "ingest", "geography", *boundaries, "--lookup", str(WARDS), "--store", str(store)
    )
    return seconds


def sample_points(store, n: int, rng: np.random.Generator) -> np.ndarray:
    points = store.con.execute(
        "SELECT DISTINCT longitude, latitude FROM street WHERE has_location ORDER BY 1, 2"
    ).fetchnumpy()
    xy = np.column_stack([points["longitude"], points["latitude"]])[
        rng.integers(0, len(points["longitude"]), n)
    ]
    return xy + rng.uniform(-0.0045, 0.0045, xy.shape)  # up to about 300 m


def plain_loop(store, xy: np.ndarray) -> list[str | None]:
    rows = store.con.execute(
        "SELECT code, geometry FROM boundary WHERE level = 'lsoa' ORDER BY code"
    ).fetchall()
    polygons = [(code, shapely.from_wkb(bytes(wkb))) for code, wkb in rows]
    out: list[str | None] = []
    for x, y in xy:
        point = shapely.Point(x, y)
        out.append(next((code for code, poly in polygons if poly.covers(point)), None))
    return out


def plain_scan(store, lon: float, lat: float, first: str, last: str, radius: float) -> int:
    sql = (
        "SELECT count(*) FROM street WHERE has_location AND month BETWEEN ?::DATE AND ?::DATE "
        "AND 2 * 6371008.8 * asin(sqrt(pow(sin(radians(latitude - ?) / 2), 2) + "
        "cos(radians(?)) * cos(radians(latitude)) * pow(sin(radians(longitude - ?) / 2), 2)))"
        " <= ?"
    )
    params = [f"{first}-01", f"{last}-01", lat, lat, lon, radius]
    return int(store.con.execute(sql, params).fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--near", type=int, default=100)
    parser.add_argument("--subsample", type=int, default=200)
    parser.add_argument("--radius", type=float, default=250.0)
    parser.add_argument("--store", type=Path, help="an already loaded store: skip loading")
    parser.add_argument("--keep", type=Path, help="load into this folder and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = args.store or args.keep or Path(tmp) / "store"
        if args.store is None:
            print(f"loading Lancashire into a fresh store: {load(root):.1f} s (not benchmarked)")
        with open_store(root, create=False, read_only=True) as store:
            run(store, args)


def run(store, args: argparse.Namespace) -> None:
    rng = np.random.default_rng(SEED)
    rows, lsoas = store.con.execute(
        "SELECT (SELECT count(*) FROM street), (SELECT count(*) FROM boundary WHERE level = 'lsoa')"
    ).fetchone()
    print(f"store: {rows:,} street rows, {lsoas:,} LSOA boundaries")

    xy = sample_points(store, args.points, rng)
    t = time.perf_counter()
    found = locate(store, [tuple(p) for p in xy])
    first_call = time.perf_counter() - t
    t = time.perf_counter()
    locate(store, [tuple(p) for p in xy])
    cached = time.perf_counter() - t
    sub = xy[: args.subsample]
    t = time.perf_counter()
    expected = plain_loop(store, sub)
    loop = (time.perf_counter() - t) * len(xy) / len(sub)
    ours = [f.lsoa_code if f else None for f in found[: len(sub)]]
    outside = sum(f is None for f in found)

    print(f"\nlocate, {len(xy):,} points ({outside:,} outside every LSOA)")
    print(f"  {'csphub, first call (builds the index)':<46}{first_call:>9.3f} s")
    print(f"  {'csphub, index cached':<46}{cached:>9.3f} s")
    print(f"  {'plain shapely loop, covers() x every polygon *':<46}{loop:>9.3f} s")
    print(f"  * {len(sub)} points timed, extrapolated; answers equal: {ours == expected}")
    print(
        f"  speed-up over the loop: {loop / cached:,.0f}x cached, {loop / first_call:,.0f}x first"
    )

    centres = xy[rng.choice(len(xy), args.near, replace=False)]
    t = time.perf_counter()
    near = [records_near(store, float(x), float(y), radius_m=args.radius) for x, y in centres]
    ours_s = time.perf_counter() - t
    first, last = near[0].first_month, near[0].last_month
    t = time.perf_counter()
    plain = [plain_scan(store, float(x), float(y), first, last, args.radius) for x, y in centres]
    scan_s = time.perf_counter() - t
    equal = sum(n.total == p for n, p in zip(near, plain, strict=True))
    worst = max(abs(n.total - p) for n, p in zip(near, plain, strict=True))

    print(f"\nrecords_near, {args.near} points, {args.radius:.0f} m, {first}..{last}")
    print(f"  {'csphub (box in DuckDB, grid metres)':<46}{ours_s:>9.3f} s  "
          f"({1000 * ours_s / args.near:.1f} ms a point)")  # fmt: skip
    print(f"  {'plain DuckDB scan, haversine on every row':<46}{scan_s:>9.3f} s  "
          f"({1000 * scan_s / args.near:.1f} ms a point)")  # fmt: skip
    print(f"  totals equal at {equal} of {args.near} points (largest difference {worst});"
          f" mean {np.mean([n.total for n in near]):.0f} records a point")  # fmt: skip


if __name__ == "__main__":
    main()
