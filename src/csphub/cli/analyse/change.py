"""``csphub analyse change``: before/after counts by group with the Poisson E-test."""

from __future__ import annotations

import click

from csphub.analysis.store_inputs import (
    STREET_FILTERS,
    Period,
    parse_period,
    parse_where,
    require_months,
)
from csphub.cli.analyse.shared import (
    area_dict,
    area_option,
    emit_csv,
    emit_json,
    envelope,
    json_or_csv,
    one_line_errors,
    split_fields,
    where_option,
)
from csphub.cli.common import area_or_fail, opened_store, store_option
from csphub.cli.output import note

CHANGE_BY = ("crime_type", "lsoa_code", "ward_code")


@click.command("change")
@area_option
@click.option("--before", required=True, metavar="YYYY-MM..YYYY-MM", help="Earlier period.")
@click.option("--after", required=True, metavar="YYYY-MM..YYYY-MM", help="Later period.")
@click.option("--by", multiple=True, help=f"Test each {', '.join(CHANGE_BY)} [default: total].")
@where_option
@click.option(
    "--adjust",
    type=click.Choice(["holm", "bh", "bonferroni", "none"]),
    default="holm",
    show_default=True,
    help="Multiple-testing adjustment across groups.",
)
@click.option("--alpha", type=float, default=0.05, show_default=True, help="Significance level.")
@json_or_csv
@store_option
def change_cmd(area, before, after, by, where, adjust, alpha, fmt, store_dir) -> None:
    """Before/after change per group with the Poisson E-test and adjusted p-values."""
    from csphub.analysis.store_inputs import InputError, street_counts
    from csphub.analysis.trends import period_change

    fields = split_fields(by, CHANGE_BY, "--by")
    with one_line_errors(), opened_store(store_dir) as store:
        resolved = area_or_fail(store, area)
        first, second = parse_period(before, "--before"), parse_period(after, "--after")
        if set(first.months) & set(second.months):
            raise InputError(f"--before {first.label} and --after {second.label} overlap")
        filters = parse_where(where, STREET_FILTERS)
        require_months(store, first.months + second.months)
        span = Period(min(first.start, second.start), max(first.end, second.end))
        frame = street_counts(store, ["month", *fields], span, resolved, filters)
        result = period_change(
            frame,
            list(first.months),
            list(second.months),
            by=fields or None,
            period_col="month",
            alpha=alpha,
            adjust=None if adjust == "none" else adjust,
        )
    if frame.empty:
        note("no rows match these options: every count is 0 (check --area and --where)")
    note(result.note)
    params = {
        "area": area_dict(resolved),
        "before": first.to_dict(),
        "after": second.to_dict(),
        "by": fields,
        "where": filters,
        "test": "Poisson E-test (Krishnamoorthy and Thomson 2004), exposure = months",
    }
    if fmt == "json":
        emit_json(envelope("change", params, result.to_dict()))
    else:
        emit_csv(result.to_records(), list(result.table.columns))
