"""``csphub asb-report``: the quarterly ASB performance report as accessible HTML, PDF, XLSX
and CSV."""

from __future__ import annotations

from pathlib import Path

import click

from csphub.cli.analyse.shared import area_option, one_line_errors
from csphub.cli.common import opened_store, store_option
from csphub.cli.hub_source import hub_options, hub_source
from csphub.cli.products import marking_option, out_option, pdf_option, run_product

#: Stages of :func:`csphub.reports.asb.build_report` (for the progress bar).
BUILD_STAGES = 7


@click.command("asb-report")
@click.option(
    "--quarter",
    required=True,
    metavar="YYYY-Qn",
    help="The calendar quarter of the report (Q1 = January to March).",
)
@area_option
@out_option("asb-report")
@pdf_option
@marking_option
@store_option
@hub_options
def asb_report(
    quarter: str,
    area: str,
    out: Path,
    pdf: bool,
    store_dir: Path | None,
    hub_dir: Path | None,
    hub_database: str | None,
    marking: str,
) -> None:
    """The quarterly ASB performance report: problem places and problem people."""
    from csphub.reports.asb import build_report

    with one_line_errors(), opened_store(store_dir) as store:
        hub = hub_source(hub_dir, hub_database)
        run_product(
            lambda watch: build_report(
                store, quarter, area, stopwatch=watch, hub=hub, marking=marking
            ),
            out,
            BUILD_STAGES,
            pdf=pdf,
            marking=marking,
        )
