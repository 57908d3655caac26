"""Benchmark: ingest the 36 Lancashire street files next to a bare pandas read of them.

Both read the same gunzipped CSVs (as they come out of the data.police.uk zip). csphub's
figure is end to end: parse, validate, lineage (sha256, row numbers) and store. The
pandas baseline only reads and concatenates. Each run is a fresh process, so peak memory
is comparable; ingesting the first 12 and then all 36 files shows memory is flat in the
number of files. Run: python bench/ingest_lancashire.py [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import tempfile
from pathlib import Path

from _common import INGEST_CODE, SHARED, run_child

PANDAS_CODE = """
import time, glob
import pandas as pd
files = sorted(glob.glob(sys.argv[1] + "/*.csv"))
t = time.perf_counter()
frame = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
out = {"seconds": time.perf_counter() - t, "rows": len(frame), "files": len(files)}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = SHARED / "police_uk" / "lancashire" / "street"
    if not source.exists():
        raise SystemExit(f"shared data not found at {source}")
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        for gz in sorted(source.glob("*.csv.gz")):
            (raw / gz.name[:-3]).write_bytes(gzip.decompress(gz.read_bytes()))
        files = sorted(str(p) for p in raw.glob("*.csv"))
        pandas_runs, csphub_runs = [], []
        for i in range(args.repeat):
            pandas_runs.append(run_child(PANDAS_CODE, str(raw)))
            store = Path(tmp) / f"store{i}"
            csphub_runs.append(run_child(INGEST_CODE, str(store), *files))
            shutil.rmtree(store)
        small = run_child(INGEST_CODE, str(Path(tmp) / "small"), *files[:12])
    p = statistics.median(r["seconds"] for r in pandas_runs)
    c = statistics.median(r["seconds"] for r in csphub_runs)
    rows = csphub_runs[0]["rows"]
    assert rows == pandas_runs[0]["rows"] == csphub_runs[0]["stored"]
    print(f"Lancashire street files: {len(files)} files, {rows:,} rows (median of {args.repeat})")
    print(f"{'':34}{'seconds':>9}{'rows/s':>12}{'peak RSS MB':>13}")
    print(
        f"{'pandas read_csv + concat':34}{p:9.3f}{rows / p:12,.0f}"
        f"{max(r['peak_rss_mb'] for r in pandas_runs):13}"
    )
    print(
        f"{'csphub ingest (end to end)':34}{c:9.3f}{rows / c:12,.0f}"
        f"{max(r['peak_rss_mb'] for r in csphub_runs):13}"
    )
    opening = statistics.median(r["open_seconds"] for r in csphub_runs)
    print(f"(creating the empty store, once per store: {opening:.3f} s, not included above)")
    query = statistics.median(r["query_seconds"] for r in csphub_runs)
    print(f"then csphub query counts --by month,crime_type: {query:.3f} s")
    print(f"speed-up over pandas: {p / c:.2f}x")
    print(
        f"memory flat in files: 12 files {small['peak_rss_mb']} MB, "
        f"36 files {csphub_runs[0]['peak_rss_mb']} MB peak RSS"
    )


if __name__ == "__main__":
    main()
