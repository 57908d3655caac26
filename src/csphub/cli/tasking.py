"""``csphub tasking``: the monthly TTCG tasking pack as accessible HTML and CSV tables."""

from __future__ import annotations

import time
from pathlib import Path

import click

from csphub.cli.analyse.shared import one_line_errors
from csphub.cli.common import opened_store, store_option
from csphub.cli.output import note


@click.command("tasking")
@click.option("--month", required=True, metavar="YYYY-MM", help="The month of the pack.")
@click.option(
    "--area", required=True, metavar="CODE", help="Local authority, ward or LSOA codes, or @FILE."
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for index.html and data/*.csv.",
)
@store_option
def tasking(month: str, area: str, out: Path, store_dir: Path | None) -> None:
    """The monthly TTCG tasking pack: exceedances, hotspots, near repeats and repeats."""
    from csphub.reports.tasking import Stopwatch, build_pack, write_pack

    started = time.perf_counter()
    watch = Stopwatch(lambda name, seconds: note(f"{name}: {seconds:.1f} s"))
    with one_line_errors(), opened_store(store_dir) as store:
        pack = build_pack(store, month, area, stopwatch=watch)
    with watch.stage("write HTML and CSV"):
        paths = write_pack(pack, out)
    for path in paths:
        note(f"wrote {path}")
    note(f"Done in {time.perf_counter() - started:.1f} s: {paths[0]}")
