"""``csphub analyse concentration``: how concentrated crime is on places (Gini, generalized
Gini, top shares, Lorenz curve) and repeat locations."""

from __future__ import annotations

from typing import Any

import click

from csphub.analysis.store_inputs import STREET_FILTERS, parse_where, require_months
from csphub.cli.analyse.shared import (
    area_dict,
    area_option,
    emit_csv,
    emit_json,
    envelope,
    from_option,
    json_or_csv,
    month_period,
    one_line_errors,
    to_option,
    where_option,
)
from csphub.cli.common import area_or_fail, opened_store, store_option
from csphub.cli.output import note

#: Repeat-location summary fields as printed (police.uk "places" are snap points).
_REPEAT_FIELDS = {
    "places": "locations_with_events",
    "repeat_places": "repeat_locations",
    "repeat_place_share": "repeat_location_share",
    "events_at_repeat_places": "events_at_repeat_locations",
    "repeat_event_share": "repeat_event_share",
}


@click.command("concentration")
@area_option
@from_option
@to_option
@click.option(
    "--unit",
    type=click.Choice(["lsoa", "location"]),
    default="lsoa",
    show_default=True,
    help="LSOAs, or police.uk snap points (locations).",
)
@where_option
@click.option(
    "--min-events",
    type=click.IntRange(min=2),
    default=2,
    show_default=True,
    help="Rows at a location to make it a repeat location.",
)
@click.option(
    "--top", type=click.IntRange(min=1), default=10, show_default=True, help="Units in JSON."
)
@click.option(
    "--table",
    type=click.Choice(["summary", "units", "lorenz", "repeats"]),
    default="summary",
    show_default=True,
    help="Table printed as CSV.",
)
@json_or_csv
@store_option
def concentration_cmd(
    area, start, end, unit, where, min_events, top, table, fmt, store_dir
) -> None:
    """Gini, generalized Gini, top 1/5/10 % shares, Lorenz curve and repeat locations."""
    import pandas as pd

    from csphub.analysis.concentration import concentration, repeat_locations
    from csphub.analysis.store_inputs import InputError, concentration_units, snap_point_counts

    with one_line_errors(), opened_store(store_dir) as store:
        resolved = area_or_fail(store, area)
        period = month_period(start, end)
        filters = parse_where(where, STREET_FILTERS)
        require_months(store, period.months)
        units = concentration_units(store, unit, period, resolved, filters)
        if not units["count"].sum():
            raise InputError(f"no located rows in {resolved.label} for {period.label}")
        points = snap_point_counts(store, period, resolved, filters)
        result = concentration(units["count"].to_numpy(float))
        places = pd.DataFrame({"location_id": points.repeated_ids()})
        repeats = repeat_locations(places, location_col="location_id", min_events=min_events)
    note("locations are police.uk snap points (anonymised map points), not addresses")
    params = {
        "area": area_dict(resolved),
        **period.to_dict(),
        "unit": unit,
        "where": filters,
        "min_events": min_events,
    }
    rep = repeats.to_dict()
    repeat = {new: rep["summary"][0][old] for old, new in _REPEAT_FIELDS.items()}
    summary = {**{k: v for k, v in result.to_dict().items() if k != "lorenz"}, **repeat}
    tables: dict[str, Any] = {
        "summary": [summary],
        "units": units.to_dict("records"),
        "lorenz": result.lorenz.to_records() if result.lorenz else [],
        "repeats": [
            {k: v for k, v in r.items() if k != "_period"}
            for r in repeats.to_dict()["distribution"]
        ],
    }
    if fmt == "json":
        body = {
            **summary,
            "lorenz": tables["lorenz"],
            "top_units": tables["units"][:top],
            "repeat_distribution": tables["repeats"],
        }
        emit_json(envelope("concentration", params, body))
    else:
        emit_csv(tables[table])
