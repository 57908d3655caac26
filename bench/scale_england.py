"""Scale run: a synthetic year for all England and Wales (43 forces x 12 months, ~7M rows).

Files are made by resampling the real Lancashire rows (so values, lengths and the share
without location are realistic) with each force's name and month, written as CRLF CSVs
like the downloads. Then one fresh process ingests them all; the run prints its time,
rows per second and peak memory beside a pandas read of the same files in the same run.
Targets: under 20 s and under 3 GB. Run: python bench/scale_england.py [--rows-per-file N]
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from _common import INGEST_CODE, SHARED, run_child

PANDAS_CODE = """
import time, glob
import pandas as pd
files = sorted(glob.glob(sys.argv[1] + "/*.csv"))
t = time.perf_counter()
rows = 0
for f in files:  # read and drop, so the baseline is not limited by memory
    rows += len(pd.read_csv(f))
out = {"seconds": time.perf_counter() - t, "rows": rows, "files": len(files)}
"""

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


def _pool() -> pa.Table:
    tables = []
    for gz in sorted((SHARED / "police_uk" / "lancashire" / "street").glob("*.csv.gz")):
        tables.append(
            pacsv.read_csv(
                pa.BufferReader(gzip.decompress(gz.read_bytes())),
                convert_options=pacsv.ConvertOptions(
                    column_types={c: pa.string() for c in HEADER.split(",")},
                    strings_can_be_null=False,
                ),
            )
        )
    return pa.concat_tables(tables)


def make_files(folder: Path, rows_per_file: int, seed: int = 7) -> int:
    forces = [
        line.split(",", 1)[1]
        for line in (Path(__file__).resolve().parents[1] / "src/csphub/data/forces.csv")
        .read_text()
        .splitlines()
        if line and not line.startswith(("#", "slug"))
    ][:43]
    pool = _pool()
    rng = np.random.default_rng(seed)
    total = 0
    for f_i, force in enumerate(forces):
        slug = force.lower().replace(" ", "-").replace("&", "and")
        for month in range(1, 13):
            n = int(rows_per_file * rng.uniform(0.6, 1.4))
            rows = pool.take(pa.array(rng.integers(0, pool.num_rows, n)))
            m = f"2023-{month:02d}"
            rows = rows.set_column(1, "Month", pa.array([m] * n))
            rows = rows.set_column(2, "Reported by", pa.array([force] * n))
            rows = rows.set_column(3, "Falls within", pa.array([force] * n))
            body = _to_csv(rows)
            (folder / f"{m}-{slug}-street.csv").write_bytes(body)
            total += n
        print(f"  made {f_i + 1}/{len(forces)} forces", end="\r", flush=True)
    print()
    return total


def _to_csv(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pacsv.write_csv(
        table,
        sink,
        # police.uk files quote nothing (their values hold no commas), and neither do these
        write_options=pacsv.WriteOptions(include_header=False, quoting_style="none"),
    )
    text = sink.getvalue().to_pybytes().replace(b"\n", b"\r\n")
    return HEADER.encode() + b"\r\n" + text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows-per-file", type=int, default=13_600)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "files"
        folder.mkdir(parents=True, exist_ok=True)
        print("making the synthetic England and Wales year ...")
        made = make_files(folder, args.rows_per_file)
        files = sorted(str(p) for p in folder.glob("*.csv"))
        ours = run_child(INGEST_CODE, str(Path(tmp) / "store"), str(folder))
        theirs = run_child(PANDAS_CODE, str(folder))
    assert ours["rows"] == made == theirs["rows"] == ours["stored"], (ours, made, theirs)
    print(f"{len(files)} files, {made:,} rows")
    print(f"{'':34}{'seconds':>9}{'rows/s':>12}{'peak RSS MB':>13}")
    for label, r in (("pandas read_csv (one at a time)", theirs), ("csphub ingest", ours)):
        print(f"{label:34}{r['seconds']:9.2f}{made / r['seconds']:12,.0f}{r['peak_rss_mb']:13}")
    print(
        "then csphub query counts --by month,crime_type over the store: "
        f"{ours['query_seconds']:.2f} s"
    )
    print("targets: csphub under 20 s and under 3,072 MB")


if __name__ == "__main__":
    main()
