"""Time every report product for Blackpool from a loaded store, stage by stage.

Loads Blackpool's four years of police.uk street data (2018-11..2022-10) and its geography
into a fresh store (timed apart), then runs, each in a fresh process as a user would:

* ``csphub assess`` for 2021-11..2022-10 against 2020-11..2021-10 (charts from 2019-11:
  three years of data), with the PDF;
* ``csphub tasking --month 2022-10``;
* ``csphub asb-report --quarter 2022-Q3``.

Baseline in the same run: the store's own ``counts`` query of the same three years by
month, LSOA and crime type (the floor: reading the data once, with no analysis or
rendering). Target: every output of the three products in under 30 s in all.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import SHARED

AREA = "E06000009"
STAGE = re.compile(r"^\[[#-]+\] \d+/\d+ (.+): ([\d.]+) s$")
PRODUCTS = {
    "assess": ["assess", "--area", AREA, "--period", "2021-11..2022-10",
               "--previous", "2020-11..2021-10"],
    "tasking": ["tasking", "--area", AREA, "--month", "2022-10"],
    "asb-report": ["asb-report", "--area", AREA, "--quarter", "2022-Q3"],
}  # fmt: skip


def csphub(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "from csphub.cli.main import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"csphub {' '.join(args)} failed:\n{proc.stderr}")
    return seconds, proc.stderr


def load(store: Path) -> float:
    street = SHARED / "police_uk/lancashire/blackpool_street_2018-11_to_2022-10.csv.gz"
    ref = SHARED / "reference_tables"
    needed = [street, SHARED / "boundaries/lsoa11_by_lad/E06000009.geojson"]
    for path in needed:
        if not path.exists():
            raise SystemExit(f"missing {path}: set CSPHUB_SHARED_DATA")
    first, _ = csphub("ingest", "police-uk", str(street), "--store", str(store))
    second, _ = csphub(
        "ingest", "geography", "--store", str(store),
        "--boundaries", str(needed[1]), "--level", "lsoa",
        "--lookup", str(ref / "lookup_lsoa11_ltla21.csv.gz"),
        "--lookup", str(ref / "lookup_lsoa11_ward17.csv.gz"),
        "--population",
        str(SHARED / "population/lsoa11_population_mid2020_single_year_of_age.csv.gz"),
        "--imd", str(SHARED / "deprivation/imd2019_england_lsoa11_ranks_deciles.csv.gz"),
    )  # fmt: skip
    return first + second


def baseline(store: Path) -> float:
    code = (
        "import sys, time\n"
        "from csphub.store import open_store\n"
        "from csphub.store.areas import resolve_area\n"
        "from csphub.analysis.counts import counts\n"
        "with open_store(sys.argv[1], read_only=True) as s:\n"
        "    t = time.perf_counter()\n"
        "    r = counts(s, ['month', 'lsoa_code', 'crime_type'], start='2019-11',\n"
        "               end='2022-10', area=resolve_area(s, 'E06000009'))\n"
        "    print(time.perf_counter() - t, r.total)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(store)], capture_output=True, text=True, check=True
    )
    seconds, rows = proc.stdout.split()
    print(f"baseline: counts by month x LSOA x type over 3 years, {int(rows):,} rows: "
          f"{float(seconds):.2f} s")  # fmt: skip
    return float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="Skip the PDFs.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        print(f"load Blackpool street data and geography (not counted): {load(store):.1f} s")
        floor = baseline(store)
        total = 0.0
        print(f"\n{'product':<11} {'stage':<42} {'seconds':>8}")
        for name, argv in PRODUCTS.items():
            extra = ["--no-pdf"] if args.no_pdf else []
            out = Path(tmp) / name
            seconds, stderr = csphub(*argv, "--out", str(out), "--store", str(store), *extra)
            for line in stderr.splitlines():
                if m := STAGE.match(line.strip()):
                    print(f"{name:<11} {m.group(1):<42} {float(m.group(2)):>8.1f}")
            print(f"{name:<11} {'whole command (fresh process)':<42} {seconds:>8.1f}")
            total += seconds
        print(f"\nall three products, every output: {total:.1f} s (target under 30 s); "
              f"baseline query {floor:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
