"""``csphub analyse baseline``: monthly counts against a seasonal baseline, with 95 % and
99 % exceedance flags."""

from __future__ import annotations

import click

from csphub.analysis.store_inputs import STREET_FILTERS, parse_month, parse_where
from csphub.cli.analyse.shared import (
    area_dict,
    area_option,
    emit_csv,
    emit_json,
    envelope,
    json_or_csv,
    one_line_errors,
    where_option,
)
from csphub.cli.common import area_or_fail, opened_store, store_option
from csphub.cli.output import note


@click.command("baseline")
@area_option
@where_option
@click.option("--from", "start", metavar="YYYY-MM", help="First month to print [default: all].")
@click.option("--to", "end", metavar="YYYY-MM", help="Last month [default: the last loaded].")
@click.option(
    "--method", type=click.Choice(["auto", "same_month", "stl"]), default="auto", show_default=True
)
@click.option(
    "--predictive", type=click.Choice(["negbin", "poisson"]), default="negbin", show_default=True
)
@json_or_csv
@store_option
def baseline_cmd(area, where, start, end, method, predictive, fmt, store_dir) -> None:
    """Monthly counts with the expected count and 95 % / 99 % exceedance flags."""
    from csphub.analysis.store_inputs import month_range, monthly_counts, months_up_to
    from csphub.analysis.trends import seasonal_baseline

    with one_line_errors(), opened_store(store_dir) as store:
        resolved = area_or_fail(store, area)
        filters = parse_where(where, STREET_FILTERS)
        history = months_up_to(store, parse_month(end, "--to") if end else None)
        first = parse_month(start, "--from") if start else history[0]
        series = monthly_counts(store, history, resolved, filters)
        result = seasonal_baseline(series, method=method, predictive=predictive)
    gaps = sorted(set(month_range(history[0], history[-1])) - set(history))
    if gaps:
        note(f"months not loaded, treated as missing (not zero): {', '.join(gaps)}")
    rows = [r for r in result.to_records() if r["month"] >= first]
    params = {
        "area": area_dict(resolved),
        "where": filters,
        "history": {"from": history[0], "to": history[-1], "months": len(history)},
        "printed_from": first,
    }
    if fmt == "json":
        emit_json(envelope("baseline", params, {**result.to_dict(), "rows": rows}))
    else:
        emit_csv(rows, list(result.table.columns))
