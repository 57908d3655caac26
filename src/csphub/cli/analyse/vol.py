"""``csphub analyse vol``: repeat victims, offenders and locations from the store's events."""

from __future__ import annotations

import click

from csphub.analysis.store_inputs import EVENT_FILTERS, parse_date, parse_where
from csphub.cli.analyse.shared import (
    area_dict,
    emit_csv,
    emit_json,
    envelope,
    json_or_csv,
    one_line_errors,
    weights_option,
    where_option,
)
from csphub.cli.common import area_or_fail, opened_store, store_option
from csphub.cli.output import note

VOL_TABLES = ("victims", "offenders", "locations", "victim_offenders", "shared_locations")


@click.command("vol")
@click.option("--end", metavar="YYYY-MM-DD", help="Last day of the window [default: latest event].")
@click.option("--months", type=click.IntRange(min=1), default=12, show_default=True)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Top offenders whose shared locations are listed.",
)
@click.option("--top-by", type=click.Choice(["count", "harm"]), default="count", show_default=True)
@click.option("--min-repeat", type=click.IntRange(min=2), default=2, show_default=True)
@weights_option
@click.option("--agency", help="Events of this agency only [default: all].")
@click.option("--area", metavar="CODE", help="Events in these LSOAs only.")
@where_option
@click.option("--table", type=click.Choice(VOL_TABLES), help="Table printed as CSV (required).")
@json_or_csv
@store_option
def vol_cmd(
    end, months, top, top_by, min_repeat, weights, agency, area, where, table, fmt, store_dir
) -> None:
    """Repeat victims, offenders and locations, victim-offenders and shared locations."""
    from csphub.analysis.harm import load_weights
    from csphub.analysis.store_inputs import InputError, events_frame, vol_events
    from csphub.analysis.vol import vol_rankings

    if fmt == "csv" and table is None:
        raise click.UsageError(f"CSV prints one table: add --table ({', '.join(VOL_TABLES)})")
    with one_line_errors(), opened_store(store_dir) as store:
        weight_table = load_weights(weights)
        resolved = area_or_fail(store, area)
        filters = parse_where(where, EVENT_FILTERS)
        frame = events_frame(store, agency=agency, where=filters, area=resolved)
        if frame.empty:
            raise InputError("no partner events match these options")
        last = parse_date(end, "--end") if end else frame["occurred_at"].max().date()
        result = vol_rankings(
            vol_events(frame),
            last,
            weight_table,
            months=months,
            min_repeat=min_repeat,
            top_n=top,
            top_by=top_by,
        )
    first_event = frame["occurred_at"].min()
    if first_event > result.window_start:
        note(
            f"the window starts {result.window_start.date()} but the first matching event is "
            f"{first_event.date()}: fewer than {months} months are covered"
        )
    params = {
        "end": last,
        "months": months,
        "top": top,
        "top_by": top_by,
        "min_repeat": min_repeat,
        "agency": agency,
        "where": filters,
        "area": area_dict(resolved),
        "weights": {"name": weight_table.name, "vintage": weight_table.vintage},
    }
    data = result.to_dict()
    if fmt == "json":
        emit_json(envelope("vol", params, data))
    else:
        emit_csv(data[table], list(getattr(result, table).columns))
