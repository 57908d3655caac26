"""Benchmark: Getis-Ord Gi* over the 34,753 LSOAs of England and Wales, 999 permutations.

Each run is a fresh child process (``_common.run_child``) so the first call pays what a new
worker pays: importing esda/libpysal and, when numba is importable, esda's JIT compile.
Per run it reports (a) the contiguity build, (b) the first ``gistar`` call, (c) a second
call in the same process, and the peak RSS.

Boundaries: ONS LSOA 2011 super generalised (BSC), ../shared/data/boundaries/england_wales,
projected to British National Grid. Counts: synthetic and seeded (no police.uk month
covers every force): an overdispersed Poisson background (gamma-distributed rates, mean 8)
with ``--clusters`` planted clusters, each an LSOA and its neighbours at 5 times the rate.

Baseline, in the same run, also in fresh processes: libpysal's
``Graph.build_contiguity(rook=False)`` for the neighbours, and esda's ``G_Local`` called
directly (``transform="B", star=True, keep_simulations=False, n_jobs=1``) on the same
neighbours and counts; csphub additionally keeps esda's simulations to count ties on both
sides. Checks: csphub's z equals esda's Zs, both calls give the same result, and whether
the permutation p-values depend on numba being installed.

numba: esda uses it when it can be imported. The pure-Python runs hide it
(``sys.modules["numba"] = None``); the numba runs need it importable: installed in the
virtualenv, or in a folder given with ``--numba-site`` (e.g. made with
``pip install --target DIR --no-deps numba llvmlite``), which is put on PYTHONPATH for those
runs only. A second numba run reuses the first one's ``NUMBA_CACHE_DIR`` to show whether
the compiled code is cached between processes.

Usage: python bench/bench_gistar_england.py [--numba-site DIR] [--permutations 999]
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from _common import SHARED, run_child

BOUNDARIES = Path("boundaries") / "england_wales" / "boundaries_lsoa11.geojson.gz"

# argv: 1 boundaries, 2 "csphub" | "esda", 3 permutations, 4 seed, 5 clusters,
#       6 "hide" to hide numba, 7 output .npz for the checks
CHILD = r"""
import time
if sys.argv[6] == "hide":
    sys.modules["numba"] = None  # esda and libpysal then fall back to pure Python
import gzip
import warnings
import numpy as np
import shapely
warnings.simplefilter("ignore")
path, mode, perms, seed, k = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
out = {"mode": mode}
t = time.perf_counter()
text = gzip.decompress(open(path, "rb").read()).decode()
codes = [f["properties"]["lsoa11_code"] for f in json.loads(text)["features"]]
geoms = shapely.get_parts(shapely.from_geojson(text))
del text
out["n"] = len(codes)
out["read_s"] = time.perf_counter() - t
from csphub.analysis.projection import project_geometries
t = time.perf_counter()
geoms = project_geometries(geoms)
out["project_s"] = time.perf_counter() - t
from csphub.analysis.hotspots import gistar, polygon_queen

def synthetic_counts(nb):
    rng = np.random.default_rng(seed)
    rate = rng.gamma(2.0, 4.0, nb.n)
    centres = rng.choice(np.flatnonzero(nb.cardinality > 0), size=k, replace=False)
    for c in centres:
        block = np.r_[c, nb.indices[nb.indptr[c] : nb.indptr[c + 1]]]
        rate[block] *= 5.0
    return rng.poisson(rate).astype(float), centres

if mode == "csphub":
    t = time.perf_counter()
    nb = polygon_queen(codes, geoms)
    out["contiguity_s"] = time.perf_counter() - t
    y, centres = synthetic_counts(nb)
    t = time.perf_counter()
    r1 = gistar(y, nb, permutations=perms, seed=seed)
    out["first_s"] = time.perf_counter() - t
    t = time.perf_counter()
    r2 = gistar(y, nb, permutations=perms, seed=seed)
    out["second_s"] = time.perf_counter() - t
    out["repeatable"] = bool(np.array_equal(r1.p_sim, r2.p_sim, equal_nan=True))
    out["links"], out["islands"] = int(nb.indices.size // 2), len(nb.islands)
    out["n_hot"], out["n_cold"] = r1.n_hot, r1.n_cold
    out["centres_hot"] = int(sum(r1.hotspot[c] == "hot" for c in centres))
    out["centres_p_floor"] = int((r1.p_sim[centres] <= 2.0 / (perms + 1) + 1e-12).sum())
    out["notes"] = [n for n in r1.notes if n.startswith("resolution")]
    rn = gistar(y, nb, permutations=0, p_value="norm")
    out["norm_hot"], out["norm_cold"] = rn.n_hot, rn.n_cold
    out["norm_centres_hot"] = int(sum(rn.hotspot[c] == "hot" for c in centres))
    z, p = r1.z, r1.p_sim
else:
    import geopandas as gpd
    from libpysal.graph import Graph
    t = time.perf_counter()
    g = Graph.build_contiguity(gpd.GeoSeries(geoms), rook=False)
    out["contiguity_s"] = time.perf_counter() - t
    out["links"], out["islands"] = int(g.n_edges // 2), len(g.isolates)
    nb = polygon_queen(codes, geoms)  # the same neighbours and counts as csphub (untimed)
    y, centres = synthetic_counts(nb)

    def run_esda():
        from esda.getisord import G_Local
        w = Graph.from_sparse(nb.to_sparse(), ids=np.arange(nb.n))
        return G_Local(y, w, transform="B", star=True, permutations=perms, seed=seed,
                       n_jobs=1, keep_simulations=False)

    t = time.perf_counter()
    lg = run_esda()
    out["first_s"] = time.perf_counter() - t
    t = time.perf_counter()
    lg2 = run_esda()
    out["second_s"] = time.perf_counter() - t
    out["repeatable"] = bool(np.array_equal(lg.p_sim, lg2.p_sim))
    z, p = np.asarray(lg.Zs, float), np.asarray(lg.p_sim, float)
np.savez(sys.argv[7], z=z, p=p)
numba = sys.modules.get("numba")
out["numba"] = getattr(numba, "__version__", None)
"""


@contextlib.contextmanager
def _environ(**values: str | None):
    """Set (or, with None, remove) environment variables for the child processes."""
    saved = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _numba_importable() -> str | None:
    proc = subprocess.run(
        [sys.executable, "-c", "import numba; print(numba.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def _files_in(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED, help="shared data folder")
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--seed", type=int, default=20191)
    parser.add_argument("--clusters", type=int, default=20)
    parser.add_argument("--numba-site", type=Path, help="folder holding numba and llvmlite")
    parser.add_argument("--no-numba", action="store_true", help="pure-Python esda runs only")
    args = parser.parse_args()
    path = args.data / BOUNDARIES
    if not path.exists():
        raise SystemExit(f"shared data not found: {path} (set CSPHUB_SHARED_DATA or --data)")
    path_arg = str(path)
    numbers = (str(args.permutations), str(args.seed), str(args.clusters))

    pythonpath = os.environ.get("PYTHONPATH")
    if args.numba_site:
        pythonpath = os.pathsep.join(p for p in (str(args.numba_site), pythonpath) if p)
    with _environ(PYTHONPATH=pythonpath):
        numba_version = None if args.no_numba else _numba_importable()

    runs: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)

        def child(key: str, mode: str, hide: bool) -> None:
            npz = tmpdir / f"{key}.npz"
            print(f"  running {key} ...", flush=True)
            hidden = "hide" if hide else "use"
            runs[key] = run_child(CHILD, path_arg, mode, *numbers, hidden, str(npz))
            with np.load(npz) as f:
                runs[key]["z"], runs[key]["p"] = f["z"], f["p"]

        print(f"Gi* over the LSOAs of England and Wales, {args.permutations} permutations")
        child("csphub, pure-Python esda", "csphub", hide=True)
        child("esda direct, pure Python", "esda", hide=True)
        cache = tmpdir / "numba_cache"
        if numba_version:
            with _environ(PYTHONPATH=pythonpath, NUMBA_CACHE_DIR=str(cache)):
                child("csphub, numba esda", "csphub", hide=False)
                cached_files = _files_in(cache) if cache.exists() else 0
                child("csphub, numba esda, NUMBA_CACHE_DIR reused", "csphub", hide=False)
            with _environ(PYTHONPATH=pythonpath, NUMBA_CACHE_DIR=str(tmpdir / "cache2")):
                child("esda direct, numba", "esda", hide=False)

    first = runs["csphub, pure-Python esda"]
    print()
    print(
        f"{first['n']:,} LSOAs; reading the GeoJSON {first['read_s']:.2f} s and projecting to "
        f"BNG {first['project_s']:.2f} s (not counted below); {args.clusters} planted clusters"
    )
    print(
        f"queen links: csphub polygon_queen {first['links']:,} ({first['islands']} island), "
        f"libpysal build_contiguity {runs['esda direct, pure Python']['links']:,} "
        f"({runs['esda direct, pure Python']['islands']} island)"
    )
    head = f"{'task':<52}{'csphub s':>9}{'baseline s':>12}{'ratio':>8}  check"
    pairs = [("csphub, pure-Python esda", "esda direct, pure Python", "pure-Python esda")]
    if numba_version:
        pairs += [
            ("csphub, numba esda", "esda direct, numba", f"numba {numba_version}"),
            ("csphub, numba esda, NUMBA_CACHE_DIR reused", None, "numba, cache dir reused"),
        ]
    print()
    print(head)
    for ours_key, base_key, label in pairs:
        ours = runs[ours_key]
        base = runs[base_key] if base_key else None
        tested = np.isfinite(ours["z"])
        for step, what in (
            ("contiguity_s", "(a) contiguity"),
            ("first_s", "(b) gistar 1st call"),
            ("second_s", "(c) gistar 2nd call"),
        ):
            check = ""
            if step == "first_s" and base is not None:
                same_z = np.allclose(ours["z"][tested], base["z"][tested], rtol=1e-12, atol=0)
                check = f"z = esda Zs: {_yes(same_z)}"
            if step == "second_s":
                check = f"same as 1st call: {_yes(ours['repeatable'])}"
            b = f"{base[step]:12.2f}{base[step] / ours[step]:7.2f}x" if base else f"{'-':>12}{'':8}"
            print(f"{f'{label}: {what}':<52}{ours[step]:9.2f}{b}  {check}".rstrip())
        rss = f"{base['peak_rss_mb']:12,}" if base else f"{'-':>12}"
        print(f"{f'{label}: peak RSS (MB)':<52}{ours['peak_rss_mb']:9,}{rss}")
    print()
    print(
        "ratio = baseline / csphub. Baseline: libpysal Graph.build_contiguity(rook=False); "
        "esda G_Local(transform='B', star=True, keep_simulations=False, n_jobs=1) called "
        "directly; its 1st call includes importing esda (libpysal is already imported by "
        "its contiguity step) and, with numba, the JIT compile."
    )
    print(
        f"result: {first['n_hot']} hot, {first['n_cold']} cold after fdr_bh; planted centres "
        f"hot {first['centres_hot']}/{args.clusters}, at the p_sim floor "
        f"{first['centres_p_floor']}/{args.clusters}"
    )
    print(
        f"analytic p (p_value='norm', fdr_bh): {first['norm_hot']} hot, {first['norm_cold']} "
        f"cold; planted centres hot {first['norm_centres_hot']}/{args.clusters}"
    )
    for note in first["notes"]:
        print("note:", note)
    if numba_version:
        nb_run = runs["csphub, numba esda"]
        same_p = np.array_equal(first["p"], nb_run["p"], equal_nan=True)
        print(
            f"same seed, same p_sim with and without numba: {_yes(same_p)}; "
            f"files written to NUMBA_CACHE_DIR by the first numba run: {cached_files}"
        )
    else:
        print("numba not importable: numba runs skipped (--numba-site DIR, see the docstring)")


if __name__ == "__main__":
    main()
