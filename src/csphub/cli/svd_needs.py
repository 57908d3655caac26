"""``csphub svd-needs``: the Serious Violence Strategic Needs Assessment as accessible HTML,
PDF, XLSX and CSV."""

from __future__ import annotations

from pathlib import Path

import click

from csphub.cli.analyse.shared import area_option, one_line_errors
from csphub.cli.common import opened_store, store_option
from csphub.cli.products import marking_option, out_option, pdf_option, run_product


@click.command("svd-needs")
@click.option("--period", required=True, metavar="YYYY-MM..YYYY-MM", help="The period assessed.")
@click.option(
    "--previous",
    metavar="YYYY-MM..YYYY-MM",
    help="The period compared with (default: the same length just before --period).",
)
@area_option
@click.option(
    "--priorities",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The partnership's priorities file: its violence priority (partner_data ae_assaults, "
    "or id violence) gives the police.uk crime types of the local definition.",
)
@click.option(
    "--interventions",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The partnership's completed interventions and cohorts (data/interventions.csv of a "
    "draft) to print instead of the draft.",
)
@out_option("serious-violence-needs-assessment")
@pdf_option
@marking_option
@store_option
def svd_needs(
    period: str,
    previous: str | None,
    area: str,
    priorities: Path | None,
    interventions: Path | None,
    out: Path,
    pdf: bool,
    marking: str,
    store_dir: Path | None,
) -> None:
    """The Serious Violence Strategic Needs Assessment (Serious Violence Duty)."""
    from csphub.reports.svd import build_needs
    from csphub.reports.svd.build import STAGES

    with one_line_errors(), opened_store(store_dir) as store:
        run_product(
            lambda watch: build_needs(
                store,
                area,
                period,
                previous,
                priorities=priorities,
                interventions=interventions,
                stopwatch=watch,
            ),
            out,
            STAGES,
            pdf=pdf,
            marking=marking,
        )
