"""``csphub analyse harm``: count, harm and harm per 1,000 residents."""

from __future__ import annotations

from pathlib import Path

import click

from csphub.analysis.store_inputs import (
    STREET_FILTERS,
    parse_where,
    require_months,
)
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
    split_fields,
    to_option,
    weights_option,
    where_option,
)
from csphub.cli.common import area_or_fail, opened_store, store_option
from csphub.cli.output import note

HARM_BY = ("crime_type", "month", "lsoa_code", "ward_code")


@click.command("harm")
@area_option
@from_option
@to_option
@click.option("--by", multiple=True, help=f"Group by {', '.join(HARM_BY)} (comma-separated).")
@weights_option
@where_option
@json_or_csv
@store_option
def harm_cmd(area, start, end, by, weights, where, fmt, store_dir: Path | None) -> None:
    """Count, harm and harm per 1,000 residents, with the weight table and its vintage."""
    from csphub.analysis.harm import harm_totals, load_weights
    from csphub.analysis.store_inputs import area_population, street_counts

    fields = split_fields(by, HARM_BY, "--by")
    with one_line_errors(), opened_store(store_dir) as store:
        table = load_weights(weights)
        resolved = area_or_fail(store, area)
        period = month_period(start, end)
        filters = parse_where(where, STREET_FILTERS)
        require_months(store, period.months)
        frame = street_counts(
            store, list(dict.fromkeys(["crime_type", *fields])), period, resolved, filters
        )
        population = area_population(store, resolved, fields)
        result = harm_totals(frame, table, population.value, by=fields)
    if frame.empty:
        note("no rows match these options: every count is 0 (check --area and --where)")
    params = {
        "area": area_dict(resolved),
        **period.to_dict(),
        "by": fields,
        "where": filters,
        "weights": {k: getattr(table, k) for k in ("name", "vintage", "source", "unit")},
        "population": population.to_dict(),
    }
    if result.excluded_types or result.unknown_types:
        left = {**result.excluded_types, **result.unknown_types}
        note(
            "not weighted (counted in unweighted_count): "
            + ", ".join(f"{k} {v:g}" for k, v in left.items())
        )
    if population.value is None:
        note(
            "population not loaded: per-1,000 rates are empty "
            "(csphub ingest geography --population FILE)"
        )
    elif population.missing:
        note(f"{len(population.missing)} LSOA(s) of the area have no population row")
    if fmt == "json":
        emit_json(envelope("harm", params, result.to_dict()))
    else:
        emit_csv(result.to_records(), list(result.table.columns))
