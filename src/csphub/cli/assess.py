"""``csphub assess``: the annual Strategic Assessment as accessible HTML, PDF, XLSX and CSV."""

from __future__ import annotations

from pathlib import Path

import click

from csphub.cli.analyse.shared import one_line_errors
from csphub.cli.common import opened_store, store_option
from csphub.cli.products import marking_option, pdf_option, run_product


@click.command("assess")
@click.option("--area", metavar="CODE", help="Local authority, ward, MSOA or LSOA codes, or @FILE.")
@click.option(
    "--lsoas",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A custom area: a file with one LSOA code per line (instead of --area).",
)
@click.option("--period", required=True, metavar="YYYY-MM..YYYY-MM", help="The period assessed.")
@click.option(
    "--previous",
    metavar="YYYY-MM..YYYY-MM",
    help="The period compared with (default: the same length just before --period).",
)
@click.option(
    "--priorities",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The partnership's own priorities file (default: the seven of the packaged plan).",
)
@click.option(
    "--pre-pandemic",
    metavar="YYYY-MM..YYYY-MM",
    help="Pre-pandemic comparison years (default: March 2018 to February 2020, from "
    "csphub/data/context/pandemic.csv).",
)
@click.option(
    "--css",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A published ONS Crime Severity Score file (area code, score) to set harm per "
    "resident beside.",
)
@click.option(
    "--css-label",
    default="as published",
    show_default=True,
    help="The period the published score covers, e.g. 'April 2022 to March 2023'.",
)
@click.option(
    "--recommendations",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The partnership's edited recommendations (data/recommendations.csv of a draft) to "
    "print instead of the draft seeded from the findings.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for index.html, strategic-assessment.pdf, tables.xlsx and data/*.csv.",
)
@pdf_option
@marking_option
@store_option
def assess(
    area: str | None,
    lsoas: Path | None,
    period: str,
    previous: str | None,
    priorities: Path | None,
    pre_pandemic: str | None,
    css: Path | None,
    css_label: str,
    recommendations: Path | None,
    out: Path,
    pdf: bool,
    marking: str,
    store_dir: Path | None,
) -> None:
    """The Strategic Assessment: priorities ranked by harm and trend, a chapter each."""
    from csphub.reports.assess import build_assessment
    from csphub.reports.assess.build import STAGES

    if bool(area) == bool(lsoas):
        raise click.UsageError("give either --area CODE or --lsoas FILE")
    spec = area or f"@{lsoas}"
    with one_line_errors(), opened_store(store_dir) as store:
        run_product(
            lambda watch: build_assessment(
                store,
                spec,
                period,
                previous,
                priorities=priorities,
                stopwatch=watch,
                pre_pandemic=pre_pandemic,
                css=css,
                css_label=css_label,
                recommendations=recommendations,
            ),
            out,
            STAGES,
            pdf=pdf,
            marking=marking,
        )
