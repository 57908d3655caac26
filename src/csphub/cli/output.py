"""Writing results: CSV with a header row, or JSON (an array of objects)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO

import click


def _jsonable(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def dumps(data: object) -> str:
    return json.dumps(data, indent=2, default=_jsonable, ensure_ascii=False)


def write_records(
    records: Sequence[Mapping[str, object]],
    fmt: str,
    *,
    columns: Iterable[str] | None = None,
    stream: IO[str] | None = None,
) -> None:
    """Print records as ``csv`` (header row first) or ``json`` (array of objects)."""
    out = stream or sys.stdout
    if fmt == "json":
        out.write(dumps(list(records)) + "\n")
        return
    cols = list(columns) if columns is not None else (list(records[0]) if records else [])
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)
    for r in records:
        writer.writerow(["" if r.get(c) is None else _jsonable(r.get(c)) for c in cols])


def note(message: str) -> None:
    """A message for the person at the terminal (stderr, so stdout stays data)."""
    click.echo(message, err=True)


def format_option(choices: tuple[str, ...] = ("csv", "json"), default: str = "csv"):
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )
