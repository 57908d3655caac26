"""``csphub ingest``: load police.uk files, partner extracts and geography."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from csphub.cli.common import opened_store, store_option, store_path
from csphub.cli.output import dumps, format_option, note
from csphub.ingest.geography import ingest_geography
from csphub.ingest.limits import default_limits
from csphub.ingest.load import FileFormat, ingest_sources
from csphub.ingest.partner.formats import partner_format
from csphub.ingest.partner.joins import road_coverage
from csphub.ingest.sources import Found, Source, find_sources
from csphub.ingest.summary import FileResult, IngestSummary
from csphub.store import Store

FOLDER_NAMES = ("-street.csv", "-outcomes.csv", "-stop-and-search.csv")
# Above this many files the text summary lists only those not simply loaded or unchanged.
_LIST_EVERY_FILE_UP_TO = 200


@click.group()
def ingest() -> None:
    """Load data into the evidence store."""


def _progress_bar(total: int):
    return click.progressbar(length=total, label="Ingesting", file=sys.stderr, show_pos=True)


def _wait_option(func):
    return click.option(
        "--wait",
        "wait",
        type=click.FloatRange(min=0),
        default=default_limits().lock_timeout_seconds,
        show_default=True,
        help="Seconds to wait for another ingest into the same store to finish.",
    )(func)


def _file_options(func):
    func = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))(func)
    func = click.option(
        "--strict", is_flag=True, help="Exit with status 2 if any row is quarantined."
    )(func)
    func = click.option(
        "--replace",
        is_flag=True,
        help="Let a file replace force-months it covers far less of than the held file.",
    )(func)
    func = _wait_option(func)
    func = format_option(("text", "json"), default="text")(func)
    return store_option(func)


@ingest.command("police-uk")
@_file_options
def police_uk(
    paths: tuple[Path, ...],
    strict: bool,
    replace: bool,
    wait: float,
    fmt: str,
    store_dir: Path | None,
) -> None:
    """Load data.police.uk street, outcomes and stop-and-search files.

    PATHS are .csv or .csv.gz files, folders (searched recursively) or the archive .zip
    files data.police.uk serves. Loading the same file again changes nothing; a newer
    download of a force-month replaces it. Bad rows are quarantined with their reason.
    """
    _run(find_sources(paths, accept=FOLDER_NAMES), strict, replace, wait, fmt, store_dir)


@ingest.command("events")
@_file_options
def events(
    paths: tuple[Path, ...],
    strict: bool,
    replace: bool,
    wait: float,
    fmt: str,
    store_dir: Path | None,
) -> None:
    """Load event-level police or partner extracts (csphub's partner extract template).

    Each row is one incident with its exact date, location and pseudonymous victim,
    offender and address ids; see docs/partner-extract.md. A newer extract from an agency
    replaces the months it covers.
    """
    _run(find_sources(paths), strict, replace, wait, fmt, store_dir)


@ingest.command("stats19")
@_file_options
def stats19(
    paths: tuple[Path, ...],
    strict: bool,
    replace: bool,
    wait: float,
    fmt: str,
    store_dir: Path | None,
) -> None:
    """Load DfT road safety (STATS19) collision, vehicle and casualty CSVs.

    Any year or a multi-year file, with the 2023 (accident_*) or 2024 (collision_*) column
    names; codes are decoded with DfT's code list. A newer file for a police force and
    year replaces it. See docs/formats/stats19.md.
    """
    _run(
        find_sources(paths),
        strict,
        replace,
        wait,
        fmt,
        store_dir,
        partner_format("stats19"),
        after=_road_notes,
    )


def _road_notes(store: Store) -> list[str]:
    """What the loaded road tables cannot answer (no casualty or vehicle file)."""
    return [n for cover in road_coverage(store) for n in cover.notes()]


@ingest.command("istv")
@_file_options
def istv(
    paths: tuple[Path, ...],
    strict: bool,
    replace: bool,
    wait: float,
    fmt: str,
    store_dir: Path | None,
) -> None:
    """Load A&E assault records in the ISB1594 (ISTV) fields.

    One row per assault attendance: dates and times, location, weapon, assailant, age
    band, sex and A&E site; see docs/formats/istv.md. A newer extract for a site and
    month replaces it.
    """
    _run(find_sources(paths), strict, replace, wait, fmt, store_dir, partner_format("istv"))


@ingest.command("fire")
@_file_options
def fire(
    paths: tuple[Path, ...],
    strict: bool,
    replace: bool,
    wait: float,
    fmt: str,
    store_dir: Path | None,
) -> None:
    """Load fire incident records, and published fire tables as aggregates.

    Incident-level exports (date, incident type, motive, location, LSOA) go to
    fire_incidents; the published dwelling-fire tables by MSOA or local authority go to
    fire_aggregates, never as incidents. See docs/formats/fire.md.
    """
    _run(find_sources(paths), strict, replace, wait, fmt, store_dir, partner_format("fire"))


def _run(
    found: Found,
    strict: bool,
    replace: bool,
    wait: float,
    fmt: str,
    store_dir: Path | None,
    partner: FileFormat | None = None,
    after: Callable[[Store], list[str]] | None = None,
) -> None:
    sources = found.sources
    cannot: list[str] = []
    with (
        opened_store(store_dir, create=True, wait=wait) as store,
        _progress_bar(len(sources)) as bar,
    ):

        def tick(_source: Source) -> None:
            bar.update(1)

        summary = ingest_sources(store, sources, progress=tick, replace=replace, fmt=partner)
        if after is not None:
            cannot = after(store)
    summary.results[:0] = [
        *(FileResult(e.split(": ", 1)[0], None, "failed", error=e) for e in found.errors),
        *(FileResult(name, None, "skipped", reason=why) for name, why in found.skipped),
    ]
    report = summary.to_dict()
    if after is not None:
        report["cannot_compute"] = cannot
    if fmt == "json":
        click.echo(dumps(report))
    else:
        _print_summary(summary, report, store_path(store_dir))
        for line in cannot:
            note(f"  note: {line}")
    if report["errors"]:
        sys.exit(1)
    if strict and report["rows_quarantined"]:
        note(f"--strict: {report['rows_quarantined']} rows were quarantined")
        sys.exit(2)


def _print_summary(summary: IngestSummary, report: dict, store: Path) -> None:
    rate = f", {report['rows_per_second']:,} rows/s" if report["rows_per_second"] else ""
    note(f"Ingested into {store} in {report['seconds']:.1f} s{rate}")
    note(
        f"  loaded       {report['files_loaded']:>5} files, {report['rows_loaded']:,} rows "
        f"({report['rows_without_location']:,} with no location, kept and flagged)"
    )
    if report["files_unchanged"]:
        note(f"  unchanged    {report['files_unchanged']:>5} files (already in the store)")
    for key, label in (
        ("files_skipped", "skipped"),
        ("files_refused", "refused"),
        ("files_failed", "failed"),
    ):
        if report[key]:
            note(f"  {label:<12} {report[key]:>5} files")
    if report["rows_quarantined"]:
        note(f"  quarantined  {report['rows_quarantined']:>5} rows (see: csphub query quarantine)")
    for r in summary.replacements:
        note(
            f"  replaced     {r.force} {r.month} {r.kind}: {r.previous_rows:,} rows from "
            f"{r.previous_file} -> {r.new_rows:,} rows from {r.new_file}"
        )
        if r.new_rows < 0.9 * r.previous_rows:
            note("               (far fewer rows: was the new file an extract, not a download?)")
    listed = summary.results
    if len(listed) > _LIST_EVERY_FILE_UP_TO:
        listed = [r for r in listed if r.status not in ("loaded", "unchanged") or r.notes]
    if listed:
        note("Files:")
    for r in listed:
        note(f"  {r.line()}")
        for n in r.notes:
            note(f"             note: {n}")


@ingest.command("geography")
@click.option(
    "--boundaries",
    "boundaries",
    multiple=True,
    type=click.Path(path_type=Path),
    help="GeoJSON boundaries (repeat with one --level each).",
)
@click.option(
    "--level",
    "levels",
    multiple=True,
    type=click.Choice(["lsoa", "ward", "msoa"]),
    help="Level of each --boundaries file, in the same order.",
)
@click.option("--lookup", "lookups", multiple=True, type=click.Path(path_type=Path))
@click.option("--population", "population", multiple=True, type=click.Path(path_type=Path))
@click.option("--imd", "imd", multiple=True, type=click.Path(path_type=Path))
@_wait_option
@format_option(("text", "json"), default="text")
@store_option
def geography(
    boundaries: tuple[Path, ...],
    levels: tuple[str, ...],
    lookups: tuple[Path, ...],
    population: tuple[Path, ...],
    imd: tuple[Path, ...],
    wait: float,
    fmt: str,
    store_dir: Path | None,
) -> None:
    """Load boundaries, lookups, population and deprivation (IoD 2019) by LSOA.

    Boundaries are GeoJSON with ONS code fields (LSOA11CD, lsoa11_code, WD13CD, ...);
    lookups map LSOA to ward, MSOA and local authority (and LSOA 2011 to 2021).
    """
    if len(levels) != len(boundaries):
        raise click.UsageError("give one --level (lsoa, ward or msoa) for each --boundaries")
    if not (boundaries or lookups or population or imd):
        raise click.UsageError(
            "nothing to load: give --boundaries, --lookup, --population or --imd"
        )
    with opened_store(store_dir, create=True, wait=wait) as store:
        summary = ingest_geography(
            store,
            boundaries=list(zip(boundaries, levels, strict=True)),
            lookups=lookups,
            population=population,
            imd=imd,
        )
    if fmt == "json":
        click.echo(dumps(summary.to_dict()))
    else:
        for f in summary.files:
            quarantined = f", {f.rows_quarantined:,} quarantined" if f.rows_quarantined else ""
            note(f"  {f.status:<10} {f.kind:<16} {f.rows_loaded:>7,} rows{quarantined}  {f.file}")
        for e in summary.errors:
            note(f"  error      {e.message}")
    if summary.errors:
        sys.exit(1)
