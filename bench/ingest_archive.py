"""Benchmark: ingest one zip archive of 10,000 small police.uk files, next to a bare
``zipfile`` read of the same archive.

data.police.uk's all-forces archives hold thousands of members, each a small CSV. The
archive here has ``--members`` street files (100 forces x months, ``--rows`` rows each,
made from real Lancashire rows when the shared data is present), so each member is a
force-month of its own. csphub's figure is end to end (read, parse, validate, lineage,
store); the baseline opens the archive once and reads every member's bytes. Running
2,500, 5,000 and 10,000 members shows the time grows with the rows, not with their square.
Run: python bench/ingest_archive.py [--members 10000] [--rows 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
import zipfile
from pathlib import Path

from _common import SHARED, run_child

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)
ZIPFILE_CODE = """
import time, zipfile
t = time.perf_counter()
size = 0
with zipfile.ZipFile(sys.argv[1]) as zf:
    for info in zf.infolist():
        size += len(zf.read(info))
out = {"seconds": time.perf_counter() - t, "bytes": size}
"""
ARCHIVE_INGEST_CODE = """
import time
from csphub.store import open_store
from csphub.ingest.load import ingest_sources
from csphub.ingest.sources import expand_paths
with open_store(sys.argv[1]) as store:
    t = time.perf_counter()
    sources, errors = expand_paths([sys.argv[2]])
    summary = ingest_sources(store, sources).to_dict()
    seconds = time.perf_counter() - t
    stored = store.con.execute("SELECT count(*) FROM street").fetchone()[0]
assert not errors and not summary["errors"], (errors, summary["errors"][:3])
out = {"seconds": seconds, "rows": summary["rows_loaded"], "stored": stored,
       "files": summary["files_loaded"]}
"""


def sample_rows(n: int) -> list[list[str]]:
    """Real Lancashire rows (2022-10) when present, else plain made-up ones."""
    path = SHARED / "police_uk/lancashire/street/2022-10-lancashire-street.csv.gz"
    if path.exists():
        lines = gzip.decompress(path.read_bytes()).decode().splitlines()[1 : n + 1]
        return [line.split(",") for line in lines if line.count(",") == 11 and '"' not in line]
    return [
        ["", "2022-10", "x", "x", "-3.05", "53.81", "On or near Test Street", "E01012662",
         "Blackpool 002A", "Anti-social behaviour", "", ""]
        for _ in range(n)
    ]  # fmt: skip


def write_archive(path: Path, members: int, rows: int) -> int:
    """A zip of ``members`` street files, one force-month each; returns the data rows."""
    sample = sample_rows(rows * 4)
    total = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(members):
            force, m = divmod(i, 100)
            month = f"{2010 + m // 12}-{1 + m % 12:02d}"
            name = f"Bench Force {force:03d}"
            lines = [HEADER]
            for r in sample[(i % 4) * rows : (i % 4) * rows + rows]:
                lines.append(",".join([r[0], month, name, name, *r[4:]]))
            total += len(lines) - 1
            slug = f"bench-force-{force:03d}"
            zf.writestr(f"{month}/{month}-{slug}-street.csv", "\r\n".join(lines) + "\r\n")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = sorted({args.members // 4, args.members // 2, args.members})
    print(f"zip archives of small street files ({args.rows} rows each), median of {args.repeat}")
    print(f"{'members':>8}{'rows':>10}{'zipfile read s':>16}{'csphub ingest s':>17}"
          f"{'rows/s':>10}{'us per row':>12}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            archive = Path(tmp) / f"archive-{n}.zip"
            rows = write_archive(archive, n, args.rows)
            bare, ours = [], []
            for i in range(args.repeat):
                bare.append(run_child(ZIPFILE_CODE, str(archive))["seconds"])
                result = run_child(ARCHIVE_INGEST_CODE, str(Path(tmp) / f"s{n}-{i}"), str(archive))
                assert result["rows"] == result["stored"] == rows and result["files"] == n
                ours.append(result["seconds"])
            b, c = statistics.median(bare), statistics.median(ours)
            print(
                f"{n:>8,}{rows:>10,}{b:>16.3f}{c:>17.3f}{rows / c:>10,.0f}{c / rows * 1e6:>12.1f}"
            )


if __name__ == "__main__":
    main()
