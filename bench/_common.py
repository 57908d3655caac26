"""Helpers shared by the benchmarks: timing, peak memory of a child process, data paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SHARED = Path(
    os.environ.get("CSPHUB_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def run_child(code: str, *args: str) -> dict:
    """Run Python code in a fresh process; it prints one JSON line. Adds peak RSS in MB."""
    wrapper = (
        "import json, resource, sys\n"
        + code
        + "\nout['peak_rss_mb'] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
        + "\nprint(json.dumps(out))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


INGEST_CODE = """
import time
from csphub.store import open_store
from csphub.ingest.load import ingest_sources
from csphub.ingest.sources import expand_paths
sources, errors = expand_paths(sys.argv[2:])
assert not errors, errors
t = time.perf_counter()
with open_store(sys.argv[1]) as store:  # creating the store is a one-off, timed apart
    opened = time.perf_counter()
    summary = ingest_sources(store, sources).to_dict()
    seconds = time.perf_counter() - opened
    stored = store.con.execute("SELECT count(*) FROM street").fetchone()[0]
    from csphub.analysis.counts import counts
    q = time.perf_counter()
    grouped = counts(store, ["month", "crime_type"])
    query_seconds = time.perf_counter() - q
    assert grouped.total == stored
out = {"query_seconds": query_seconds,
       "seconds": seconds, "open_seconds": opened - t, "rows": summary["rows_loaded"],
       "stored": stored, "quarantined": summary["rows_quarantined"], "files": summary["files"]}
"""
