"""``csphub analyse wdd``: Weighted Displacement Difference from store counts."""

from __future__ import annotations

from collections.abc import Mapping

import click

from csphub.analysis.store_inputs import (
    STREET_FILTERS,
    parse_period,
    parse_where,
    require_months,
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
from csphub.store.areas import Area


@click.command("wdd")
@click.option("--treated", required=True, metavar="AREA", help="Where the intervention was.")
@click.option("--control", required=True, metavar="AREA", help="A comparable area without it.")
@click.option("--displacement", metavar="AREA", help="Buffer around the treated area.")
@click.option("--displacement-control", metavar="AREA", help="Control for the buffer.")
@click.option("--before", required=True, metavar="YYYY-MM..YYYY-MM", help="Before period.")
@click.option("--after", required=True, metavar="YYYY-MM..YYYY-MM", help="After period.")
@where_option
@click.option("--weights", default=None, help="Harm-weight crime types: css, cchi or a CSV FILE.")
@click.option("--alpha", type=float, default=0.05, show_default=True, help="For the interval.")
@click.option(
    "--dispersion",
    type=click.FloatRange(min=1.0),
    default=1.0,
    show_default=True,
    help="Variance-to-mean ratio of the monthly counts (1 is Poisson); scales the variance.",
)
@json_or_csv
@store_option
def wdd_cmd(
    treated,
    control,
    displacement,
    displacement_control,
    before,
    after,
    where,
    weights,
    alpha,
    dispersion,
    fmt,
    store_dir,
) -> None:
    """Weighted Displacement Difference test from store counts (Wheeler and Ratcliffe 2018)."""
    from csphub.analysis.store_inputs import InputError, area_type_counts

    if (displacement is None) != (displacement_control is None):
        raise click.UsageError("give both --displacement and --displacement-control, or neither")
    with one_line_errors(), opened_store(store_dir) as store:
        specs = {
            "treated": treated,
            "control": control,
            "displacement": displacement,
            "displacement_control": displacement_control,
        }
        areas = {k: area_or_fail(store, v) for k, v in specs.items() if v is not None}
        periods = {
            "before": parse_period(before, "--before"),
            "after": parse_period(after, "--after"),
        }
        if len(periods["before"].months) != len(periods["after"].months):
            raise InputError("--before and --after must cover the same number of months for WDD")
        if set(periods["before"].months) & set(periods["after"].months):
            raise InputError("--before and --after overlap")
        filters = parse_where(where, STREET_FILTERS)
        require_months(store, periods["before"].months + periods["after"].months)
        counts = area_type_counts(store, areas, periods, filters)
        if counts.empty:
            raise InputError("no rows match in any of the areas and periods: check --where")
        result, messages, per_type = _run_wdd(counts, list(areas), weights, alpha, dispersion)
    messages += _overlaps(areas)
    messages.append(result["note"])
    notes(messages)
    wide = counts.groupby(["area", "period"])["count"].sum().unstack("period")
    totals = {f"{a}_{p}": int(wide.loc[a, p]) for a in areas for p in periods}
    params = {
        "areas": {k: area_dict(v) for k, v in areas.items()},
        "before": periods["before"].to_dict(),
        "after": periods["after"].to_dict(),
        "where": filters,
        "weights": weights,
    }
    if fmt == "json":
        body = {**result, "counts": totals, "by_crime_type": per_type, "notes": messages}
        emit_json(envelope("wdd", params, body))
    else:
        emit_csv([{**result, **totals}])


def _run_wdd(counts, roles, weights, alpha, dispersion):
    """WDD on total counts, or harm-weighted over crime types with a weight table."""
    from csphub.analysis.harm import load_weights
    from csphub.analysis.trends import wdd

    order = ("control", "treated", "displacement_control", "displacement")
    wide = counts.pivot_table(
        index="crime_type", columns=["area", "period"], values="count", aggfunc="sum", fill_value=0
    )
    messages: list[str] = []
    if weights is None:
        arrays = [wide[(r, p)].sum() for r in order if r in roles for p in ("before", "after")]
        return wdd(*arrays, alpha=alpha, dispersion=dispersion).to_dict(), messages, []
    table = load_weights(weights)
    w = wide.index.map(lambda t: table.weight(t))
    keep = ~w.isna()
    if not keep.all():
        left = ", ".join(str(t) for t in wide.index[~keep])
        messages.append(f"crime types without a weight in {table.label} left out: {left}")
    sub = wide.loc[keep]
    arrays = [sub[(r, p)].to_numpy() for r in order if r in roles for p in ("before", "after")]
    result = wdd(
        *arrays, weights=w[keep].to_numpy(float), alpha=alpha, dispersion=dispersion
    ).to_dict()
    result.update(weight_table=table.name, weight_vintage=table.vintage)
    per_type = [
        {
            "crime_type": t,
            "weight": table.weight(t),
            **{f"{a}_{p}": int(sub.loc[t, (a, p)]) for a in roles for p in ("before", "after")},
        }
        for t in sub.index
    ]
    return result, messages, per_type


def _overlaps(areas: Mapping[str, Area]) -> list[str]:
    names = list(areas)
    return [
        f"{a} and {b} share {n} LSOA(s): their counts are not independent"
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if (n := len(set(areas[a].lsoa_codes) & set(areas[b].lsoa_codes)))
    ]
