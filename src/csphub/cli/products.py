"""What the report commands share: stage progress on the terminal and writing every output."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

from csphub.cli.output import note
from csphub.reports.document import (
    PdfError,
    Report,
    Stopwatch,
    write_html_and_csv,
    write_pdf,
    write_xlsx,
)
from csphub.reports.document.model import DEFAULT_MARKING

BAR_WIDTH = 20


class StageProgress:
    """A progress bar over a report's stages, one line per finished stage with its time.

    ``expected`` is how many stages the build has (the bar's length); lines go to stderr so
    stdout stays free for data.
    """

    def __init__(self, expected: int) -> None:
        self.expected = max(expected, 1)
        self.done = 0
        self.started = time.perf_counter()

    def __call__(self, name: str, seconds: float) -> None:
        self.done += 1
        filled = min(BAR_WIDTH, round(BAR_WIDTH * self.done / self.expected))
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        note(f"[{bar}] {self.done}/{self.expected} {name}: {seconds:.1f} s")

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def write_outputs(report: Report, out: Path, watch: Stopwatch, *, pdf: bool = True) -> list[Path]:
    """index.html, data/*.csv, tables.xlsx and ``{slug}.pdf`` (unless ``pdf`` is false).

    A PDF that cannot be made is a warning, not a failure: the other outputs stand.
    """
    with watch.stage("write HTML and CSV"):
        paths = write_html_and_csv(report, out)
    with watch.stage("write XLSX"):
        paths.append(write_xlsx(report, out / "tables.xlsx"))
    if pdf:
        with watch.stage("write PDF"):
            try:
                paths.append(write_pdf(report, out / f"{report.slug}.pdf"))
            except PdfError as exc:
                note(f"warning: {exc}")
    return paths


def run_product(
    build: Callable[[Stopwatch], Report],
    out: Path,
    build_stages: int,
    *,
    pdf: bool = True,
    marking: str | None = None,
) -> list[Path]:
    """Build a report with a progress bar, write it, print the paths and the total time;
    ``marking`` replaces the default protective marking of a product listing ids."""
    progress = StageProgress(build_stages + 2 + int(pdf))
    watch = Stopwatch(progress)
    report = build(watch)
    if marking is not None:  # '' prints none
        report = replace(report, marking=marking)
    paths = write_outputs(report, out, watch, pdf=pdf)
    for path in paths:
        if path.parent == out:
            note(f"wrote {path}")
    csvs = sum(1 for p in paths if p.suffix == ".csv")
    note(f"wrote {csvs} tables as CSV in {out / 'data'}")
    note(f"Done in {progress.elapsed():.1f} s: {out / 'index.html'}")
    return paths


pdf_option = click.option(
    "--pdf/--no-pdf", default=True, show_default=True, help="Also write the PDF."
)

marking_option = click.option(
    "--marking",
    default=DEFAULT_MARKING,
    show_default=True,
    help="Protective marking printed on the product when it lists person, address or event "
    "ids, or places and case references from the hub (top and bottom of the page, every PDF "
    "page, the workbook); '' for none.",
)


def out_option(slug: str):
    """``--out DIR`` of a product whose PDF is ``{slug}.pdf``."""
    return click.option(
        "--out",
        "out",
        required=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=f"Folder for index.html, {slug}.pdf, tables.xlsx and data/*.csv.",
    )
