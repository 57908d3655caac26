"""``csphub query``: counts, quarantine and lineage out of the evidence store."""

from __future__ import annotations

from pathlib import Path

import click

from csphub.analysis.counts import FIELDS, QueryError, counts
from csphub.cli.common import area_or_fail, opened_store, store_option
from csphub.cli.output import format_option, note, write_records
from csphub.ingest.quarantine import list_files, list_quarantine


@click.group()
def query() -> None:
    """Ask the evidence store."""


def _where(values: tuple[str, ...]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in values:
        field, sep, value = item.partition("=")
        if not sep or not field:
            raise click.BadParameter(f"{item!r}: write FIELD=VALUE", param_hint="--where")
        out.setdefault(field.strip(), []).append(value)
    return out


@query.command("counts")
@click.option("--by", "by", required=True, help=f"Comma-separated fields: {', '.join(FIELDS)}.")
@click.option("--from", "start", metavar="YYYY-MM", help="First month (inclusive).")
@click.option("--to", "end", metavar="YYYY-MM", help="Last month (inclusive).")
@click.option("--area", metavar="CODE", help="Local authority, ward or LSOA codes, or @FILE.")
@click.option("--where", multiple=True, metavar="FIELD=VALUE", help="Keep only these rows.")
@format_option()
@store_option
def counts_cmd(
    by: str,
    start: str | None,
    end: str | None,
    area: str | None,
    where: tuple[str, ...],
    fmt: str,
    store_dir: Path | None,
) -> None:
    """Counts of street-level crime and ASB, grouped by the --by fields."""
    fields = [f.strip() for f in by.split(",") if f.strip()]
    with opened_store(store_dir) as store:
        resolved = area_or_fail(store, area)
        try:
            result = counts(store, fields, start=start, end=end, area=resolved, where=_where(where))
        except QueryError as exc:
            raise click.ClickException(str(exc)) from None
    write_records(result.records(), fmt, columns=result.columns)
    if "rate_per_1000" in result.columns:
        note(f"rate_per_1000: per 1,000 {result.denominator}")


@query.command("quarantine")
@click.option("--all", "include_all", is_flag=True, help="Include rows of replaced files.")
@format_option()
@store_option
def quarantine_cmd(include_all: bool, fmt: str, store_dir: Path | None) -> None:
    """Rows that could not be loaded: file, row, field, value and reason."""
    with opened_store(store_dir) as store:
        rows = list_quarantine(store, include_superseded=include_all)
    write_records(rows, fmt, columns=["file", "row", "field", "value", "reason", "record"])


@query.command("files")
@format_option()
@store_option
def files_cmd(fmt: str, store_dir: Path | None) -> None:
    """Every file ingested: name, sha256, kind, rows and whether it is still current."""
    with opened_store(store_dir) as store:
        rows = list_files(store)
    write_records(
        rows,
        fmt,
        columns=[
            "file_id",
            "name",
            "kind",
            "sha256",
            "rows_read",
            "rows_loaded",
            "rows_quarantined",
            "loaded_at",
            "status",
        ],
    )
