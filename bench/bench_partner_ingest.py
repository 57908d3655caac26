"""Benchmark: csphub ingest of the three partner formats (STATS19, ISTV, fire), next to a
bare ``pandas.read_csv`` of the same files, measured in the same run.

STATS19: the real Lancashire 2023 collision file when the shared data is present (else the
demo's collisions), copied ``--copies`` times into one multi-year-shaped file with fresh
collision indices (about 110,000 rows at 40 copies). ISTV and fire: the demo borough's
extracts (generated here, seed 2026), repeated to ``--rows`` rows (fire incident ids made
unique). csphub's figure is end to end: read, checksum, parse, type and decode, Parquet
parts, lineage; the baseline only parses the CSV into a DataFrame (no typing, no codes).
Each figure is the median of ``--repeat`` runs, each ingest into a fresh store.
Run: python bench/bench_partner_ingest.py [--copies 40] [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from _common import SHARED
from csphub.demo import generate_demo
from csphub.ingest.load import ingest_sources
from csphub.ingest.partner.formats import partner_format
from csphub.ingest.sources import expand_paths
from csphub.store import open_store

REAL_STATS19 = SHARED / "road_safety/stats19_collisions_2023_lancashire_DERIVED.csv"


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        return next(reader), list(reader)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def stats19_file(folder: Path, demo: Path, copies: int) -> tuple[Path, str]:
    """The collision file copied with fresh indices (year + force code + 7 digits)."""
    source = REAL_STATS19 if REAL_STATS19.exists() else demo
    header, rows = _rows(source)
    i_index, i_year = 0, 1
    i_ref = 2
    out = []
    n = 0
    for _ in range(copies):
        for r in rows:
            n += 1
            r = list(r)
            ref = r[i_ref][:2] + f"{n:07d}"
            r[i_ref], r[i_index] = ref, r[i_year] + ref
            out.append(r)
    label = "real Lancashire 2023" if source == REAL_STATS19 else "demo"
    return _write(folder / "stats19.csv", header, out), f"{label} x {copies}"


def repeated(folder: Path, name: str, sources: list[Path], rows: int, id_col: str | None):
    header, body = [], []
    for p in sources:
        h, b = _rows(p)
        header = h
        body.extend(b)
    out = []
    k = header.index(id_col) if id_col else None
    while len(out) < rows:
        for r in body:
            r = list(r)
            if k is not None:
                r[k] = f"{r[k]}-{len(out)}"
            out.append(r)
            if len(out) == rows:
                break
    return _write(folder / f"{name}.csv", header, out)


def time_csphub(path: Path, fmt: str) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as d, open_store(Path(d) / "store") as store:
        sources = expand_paths([path])[0]
        t = time.perf_counter()
        summary = ingest_sources(store, sources, fmt=partner_format(fmt)).to_dict()
        seconds = time.perf_counter() - t
    assert not summary["errors"], summary["errors"]
    return seconds, summary["rows_loaded"]


def time_pandas(path: Path) -> tuple[float, int]:
    t = time.perf_counter()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return time.perf_counter() - t, len(frame)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = generate_demo(folder / "demo", seed=2026)
        s19, label = stats19_file(folder, demo.collisions, args.copies)
        cases = [
            ("stats19", s19, label),
            ("istv", repeated(folder, "istv", list(demo.istv_files), args.rows, None), "demo"),
            ("fire", repeated(folder, "fire", [demo.fire_incidents], args.rows, "incident_id"),
             "demo"),
        ]  # fmt: skip
        print(f"{'format':<8} {'data':<24} {'rows':>9} {'csphub s':>9} {'rows/s':>10} "
              f"{'pandas s':>9} {'rows/s':>10} {'ratio':>6}")  # fmt: skip
        for fmt, path, what in cases:
            ours = [time_csphub(path, fmt) for _ in range(args.repeat)]
            base = [time_pandas(path) for _ in range(args.repeat)]
            s, n = statistics.median(x[0] for x in ours), ours[0][1]
            b = statistics.median(x[0] for x in base)
            assert base[0][1] == n, (fmt, base[0][1], n)  # every row loaded
            print(f"{fmt:<8} {what:<24} {n:>9,} {s:>9.3f} {n / s:>10,.0f} {b:>9.3f} "
                  f"{n / b:>10,.0f} {s / b:>6.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
