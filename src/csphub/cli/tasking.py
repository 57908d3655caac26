"""``csphub tasking``: the monthly TTCG tasking pack as accessible HTML, PDF, XLSX and CSV."""

from __future__ import annotations

from pathlib import Path

import click

from csphub.cli.analyse.shared import area_option, one_line_errors
from csphub.cli.common import opened_store, store_option
from csphub.cli.hub_source import hub_options, hub_source
from csphub.cli.products import marking_option, out_option, pdf_option, run_product

#: Stages of :func:`csphub.reports.tasking.build_pack` (for the progress bar).
BUILD_STAGES = 7


@click.command("tasking")
@click.option("--month", required=True, metavar="YYYY-MM", help="The month of the pack.")
@area_option
@out_option("tasking-pack")
@pdf_option
@marking_option
@store_option
@hub_options
def tasking(
    month: str,
    area: str,
    out: Path,
    pdf: bool,
    store_dir: Path | None,
    hub_dir: Path | None,
    hub_database: str | None,
    marking: str,
) -> None:
    """The monthly TTCG tasking pack: exceedances, hotspots, near repeats and repeats."""
    from csphub.reports.tasking import build_pack

    with one_line_errors(), opened_store(store_dir) as store:
        hub = hub_source(hub_dir, hub_database)
        run_product(
            lambda watch: build_pack(store, month, area, stopwatch=watch, hub=hub, marking=marking),
            out,
            BUILD_STAGES,
            pdf=pdf,
            marking=marking,
        )
