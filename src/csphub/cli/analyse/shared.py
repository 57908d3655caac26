"""What every ``csphub analyse`` command shares: options, one-line errors and output.

JSON output is one object, ``{"analysis", "parameters", ...result}`` (``hotspots``: an array
of units carrying the run's parameters); CSV is one table. Messages go to stderr.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import click

from csphub.analysis.store_inputs import Period, make_period, parse_month
from csphub.cli.output import dumps, format_option, note, write_records
from csphub.store.areas import Area


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Bad options and missing data (ValueError and subclasses, unreadable files) as one line.

    The analysis library and ``store_inputs`` raise ValueError subclasses whose message says
    what to change or load; nothing else is caught, so a bug still shows its traceback.
    """
    try:
        yield
    except (ValueError, OSError) as exc:
        text = str(exc).strip() or type(exc).__name__
        raise click.ClickException(text.splitlines()[0]) from None


def plain(value: Any) -> Any:
    """JSON-safe values: numpy unwrapped, NaN as None, dates as ISO text."""
    from csphub.analysis.hotspots.records import jsonable

    return jsonable(value)


def emit_json(payload: Mapping[str, Any] | Sequence[Any]) -> None:
    click.echo(dumps(plain(payload)))


def emit_csv(records: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> None:
    write_records(plain(list(records)), "csv", columns=columns)


def envelope(name: str, parameters: Mapping[str, Any], result: Mapping[str, Any]) -> dict:
    """The JSON object of one run: which analysis, the parameters used, then the result."""
    return {"analysis": name, "parameters": dict(parameters), **result}


def split_fields(values: Sequence[str], allowed: Sequence[str], option: str) -> list[str]:
    """Fields from a repeatable, comma-separated option, checked against ``allowed``."""
    fields = list(dict.fromkeys(v.strip() for item in values for v in item.split(",") if v.strip()))
    bad = [f for f in fields if f not in allowed]
    if bad:
        raise click.BadParameter(
            f"{', '.join(bad)}: choose from {', '.join(allowed)}", param_hint=option
        )
    return fields


def area_dict(area: Area | None) -> dict[str, Any] | None:
    if area is None:
        return None
    return {"code": area.label, "name": area.name, "lsoas": len(area.lsoa_codes)}


def month_period(start: str, end: str) -> Period:
    return make_period(parse_month(start, "--from"), parse_month(end, "--to"))


def notes(lines: Sequence[str]) -> None:
    for line in lines:
        note(f"note: {line}")


area_option = click.option(
    "--area", required=True, metavar="CODE", help="Local authority, ward or LSOA codes, or @FILE."
)
from_option = click.option("--from", "start", required=True, metavar="YYYY-MM", help="First month.")
to_option = click.option("--to", "end", required=True, metavar="YYYY-MM", help="Last month.")
where_option = click.option(
    "--where", multiple=True, metavar="FIELD=VALUE", help="Keep only these rows (repeatable)."
)
weights_option = click.option(
    "--weights", default="css", show_default=True, help="Harm weights: css, cchi or a CSV FILE."
)
json_or_csv = format_option(("json", "csv"), default="json")
