"""``csphub analyse near-repeat`` and ``near-repeat-alert``: the Knox test on a file or the
store's events, and places at raised risk after the latest events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from csphub.analysis.store_inputs import (
    EVENT_FILTERS,
    knox_events,
    parse_date,
    parse_numbers,
    parse_where,
)
from csphub.cli.analyse.shared import (
    area_dict,
    emit_csv,
    emit_json,
    envelope,
    json_or_csv,
    notes,
    one_line_errors,
    where_option,
)
from csphub.cli.common import area_or_fail, opened_store, store_option
from csphub.cli.output import note


def _band_options(space: str, time: str, permutations: int):
    def wrap(func):
        for option in reversed(
            [
                click.option(
                    "--space-bands",
                    default=space,
                    show_default=True,
                    help="Upper distance limits, metres (0.1 = same place).",
                ),
                click.option(
                    "--time-bands", default=time, show_default=True, help="Upper day limits."
                ),
                click.option(
                    "--permutations",
                    type=click.IntRange(min=0),
                    default=permutations,
                    show_default=True,
                ),
                click.option(
                    "--seed", type=int, default=None, help="[default: drawn and reported]"
                ),
                click.option(
                    "--metric",
                    type=click.Choice(["euclidean", "manhattan"]),
                    default="euclidean",
                    show_default=True,
                ),
                click.option(
                    "--permute-within",
                    default="month",
                    show_default=True,
                    metavar="month|none|DAYS",
                    help="Permute dates within each calendar month (so seasonality is not "
                    "called a near repeat), over all events (none: the classic Knox test), or "
                    "within windows of DAYS days.",
                ),
            ]
        ):
            func = option(func)
        return func

    return wrap


def _bands(space_bands: str, time_bands: str) -> tuple[list[float], list[float]]:
    return (
        parse_numbers(space_bands, "--space-bands"),
        parse_numbers(time_bands, "--time-bands"),
    )


def permute_within_value(text: str) -> str | int | None:
    """``--permute-within``: "month", "none" or a whole number of days."""
    if text == "none":
        return None
    if text == "month":
        return "month"
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise click.BadParameter(
        "write month, none or a whole number of days", param_hint="--permute-within"
    )


def _knox(events, bands, permutations: int, seed, metric: str, within: str | int | None):
    from csphub.analysis.nearrepeat import knox

    space, days = bands
    return knox(
        events.x,
        events.y,
        events.day,
        space,
        days,
        permutations=permutations,
        seed=seed,
        metric=metric,
        permute_within=within,
    )


def _knox_dict(result) -> dict[str, Any]:
    out = result.to_dict()
    out["space_bands"] = out.pop("space_bands_m")
    out["time_bands"] = out.pop("time_bands_days")
    return out


@click.command("near-repeat")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--x", "x_col", default="x", show_default=True, help="Column of x (or longitude).")
@click.option("--y", "y_col", default="y", show_default=True, help="Column of y (or latitude).")
@click.option("--date", "date_col", default="date", show_default=True, help="Column of dates.")
@click.option("--date-format", help="strptime format, e.g. %d/%m/%Y [default: ISO].")
@click.option("--lonlat", is_flag=True, help="x/y are longitude/latitude: project to BNG.")
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="First date (inclusive).")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Last date (inclusive).")
@click.option("--from-store", is_flag=True, help="Read the store's partner events, not FILE.")
@click.option("--agency", help="With --from-store: events of this agency only.")
@click.option("--area", metavar="CODE", help="With --from-store: events in these LSOAs only.")
@where_option
@_band_options("0.1,100,200,300,400", "7,14,21,28", 99)
@json_or_csv
@store_option
def near_repeat_cmd(
    file,
    x_col,
    y_col,
    date_col,
    date_format,
    lonlat,
    date_from,
    date_to,
    from_store,
    agency,
    area,
    where,
    space_bands,
    time_bands,
    permutations,
    seed,
    metric,
    permute_within,
    fmt,
    store_dir,
) -> None:
    """Knox test of near repeats over distance and day bands, from a CSV FILE or the store."""
    from csphub.analysis.nearrepeat import read_events_csv

    if (file is None) == (not from_store):
        raise click.UsageError("give an events FILE or --from-store (not both)")
    if not from_store and (agency or area or where):
        raise click.UsageError("--agency, --area and --where select store events: add --from-store")
    with one_line_errors():
        bands = _bands(space_bands, time_bands)  # bad bands fail before reading events
        first = parse_date(date_from, "--from") if date_from else None
        last = parse_date(date_to, "--to") if date_to else None
        if from_store:
            events, source = _store_events(store_dir, agency, area, where, first, last)
        else:
            events = read_events_csv(
                file,
                x=x_col,
                y=y_col,
                date=date_col,
                lonlat=lonlat,
                date_format=date_format,
                date_from=first,
                date_to=last,
            )
            source = {
                "file": str(file),
                "x": x_col,
                "y": y_col,
                "date": date_col,
                "date_format": date_format,
                "lonlat": lonlat,
            }
        result = _knox(
            events, bands, permutations, seed, metric, permute_within_value(permute_within)
        )
    notes(events.issues)
    note(
        f"Knox test: {result.n_events} events, {result.n_pairs_within_distance} pairs within "
        f"{result.space_bands[-1]:g} m, {permutations} permutations, seed {result.seed}"
    )
    params = {"source": source, "from": first, "to": last}
    if fmt == "json":
        emit_json(
            envelope("near-repeat", params, {**_knox_dict(result), "issues": list(events.issues)})
        )
    else:
        emit_csv(result.to_records())


def _store_events(store_dir, agency, area, where, first, last):
    from csphub.analysis.store_inputs import events_frame

    with opened_store(store_dir) as store:
        resolved = area_or_fail(store, area)
        filters = parse_where(where, EVENT_FILTERS)
        frame = events_frame(
            store, agency=agency, where=filters, area=resolved, date_from=first, date_to=last
        )
    source = {
        "store": "events",
        "agency": agency,
        "where": filters,
        "area": area_dict(resolved),
    }
    return knox_events(frame).events, source


@click.command("near-repeat-alert")
@click.option("--agency", help="Events of this agency only [default: all].")
@click.option("--area", metavar="CODE", help="Events in these LSOAs only.")
@click.option(
    "--where",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Which events [default: crime_type=Burglary].",
)
@click.option("--as-of", metavar="YYYY-MM-DD", help="Alert day [default: the latest event].")
@click.option("--lookback-days", type=click.IntRange(min=1), default=7, show_default=True)
@click.option(
    "--history-days",
    type=click.IntRange(min=28),
    default=365,
    show_default=True,
    help="Days up to --as-of used for the Knox test.",
)
@click.option("--alpha", type=float, default=0.05, show_default=True)
@click.option(
    "--min-ratio",
    type=float,
    default=1.2,
    show_default=True,
    help="Knox ratio a cell needs to join the envelope (Ratcliffe: 1.2).",
)
@_band_options("0.1,100,200,300,400", "7,14,21,28", 999)
@json_or_csv
@store_option
def near_repeat_alert_cmd(
    agency,
    area,
    where,
    as_of,
    lookback_days,
    history_days,
    alpha,
    min_ratio,
    space_bands,
    time_bands,
    permutations,
    seed,
    metric,
    permute_within,
    fmt,
    store_dir,
) -> None:
    """Places near the latest events at raised near-repeat risk, and until when."""
    from csphub.analysis.store_inputs import store_near_repeat_alert

    with one_line_errors(), opened_store(store_dir) as store:
        space, days = _bands(space_bands, time_bands)
        resolved = area_or_fail(store, area)
        filters = parse_where(where or ("crime_type=Burglary",), EVENT_FILTERS)
        run = store_near_repeat_alert(
            store,
            where=filters,
            agency=agency,
            area=resolved,
            as_of=parse_date(as_of, "--as-of") if as_of else None,
            history_days=history_days,
            lookback_days=lookback_days,
            space_bands=space,
            time_bands=days,
            permutations=permutations,
            seed=seed,
            alpha=alpha,
            min_ratio=min_ratio,
            metric=metric,
            permute_within=permute_within_value(permute_within),
        )
    store_events, events, result = run.events, run.events.events, run.knox
    risk, alert, today, start = run.envelope, run.alert, run.as_of, run.start
    places = _alert_places(alert, store_events.rows)
    notes([*events.issues, *risk.notes])
    note(
        f"as of {today}: {alert.n_events} recent event(s) raise risk at {len(places)} "
        f"place/radius row(s); Knox on {result.n_events} events since {start}"
    )
    params = {
        "agency": agency,
        "area": area_dict(resolved),
        "where": filters,
        "history": {"from": start, "to": today},
        "alpha": alpha,
        "min_ratio": min_ratio,
    }
    if fmt == "json":
        body = {"knox": _knox_dict(result), **alert.to_dict(), "places": places}
        emit_json(envelope("near-repeat-alert", params, body))
    else:
        emit_csv(places)


def _alert_places(alert, rows) -> list[dict[str, Any]]:
    from csphub.analysis.projection import bng_to_lonlat

    lon, lat = bng_to_lonlat(alert.x, alert.y)
    out = []
    for i, record in enumerate(alert.to_records()):
        row = rows.iloc[int(record["event_index"])]
        out.append(
            {
                "event_id": row["event_id"],
                "agency": row["agency"],
                "lsoa_code": row["lsoa_code"],
                **record,
                "longitude": round(float(lon[i]), 6),
                "latitude": round(float(lat[i]), 6),
            }
        )
    return out
