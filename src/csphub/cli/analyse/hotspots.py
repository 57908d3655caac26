"""``csphub analyse hotspots``: Getis-Ord Gi* over the area's LSOAs or a grid (the only
command that imports esda)."""

from __future__ import annotations

import click

from csphub.analysis.store_inputs import (
    STREET_FILTERS,
    parse_where,
    require_months,
)
from csphub.cli.analyse.shared import (
    area_option,
    emit_csv,
    emit_json,
    from_option,
    json_or_csv,
    month_period,
    notes,
    one_line_errors,
    to_option,
    where_option,
)
from csphub.cli.common import area_or_fail, opened_store, store_option
from csphub.cli.output import note


@click.command("hotspots")
@click.option("--unit", type=click.Choice(["lsoa", "grid"]), default="lsoa", show_default=True)
@click.option("--cell-size", type=float, default=250.0, show_default=True, help="Grid metres.")
@area_option
@from_option
@to_option
@where_option
@click.option(
    "--permutations",
    type=click.IntRange(min=0),
    default=None,
    help="[default: 9999 for LSOAs, 999 for grid cells] With 999 the smallest p is 0.002, "
    "too coarse for FDR over a borough's ~100 LSOAs; grids keep 999 for memory.",
)
@click.option("--seed", type=int, default=None, help="Seed [default: drawn and reported].")
@click.option(
    "--adjust", type=click.Choice(["fdr_bh", "holm", "none"]), default="fdr_bh", show_default=True
)
@click.option("--alpha", type=float, default=0.05, show_default=True)
@click.option(
    "--p-value",
    "p_value",
    type=click.Choice(["sim", "norm"]),
    default="sim",
    show_default=True,
    help="Adjust and test the permutation or the normal p.",
)
@json_or_csv
@store_option
def hotspots_cmd(
    unit,
    cell_size,
    area,
    start,
    end,
    where,
    permutations,
    seed,
    adjust,
    alpha,
    p_value,
    fmt,
    store_dir,
) -> None:
    """Getis-Ord Gi* hot and cold spots over the area's LSOAs or a grid of cells."""
    from csphub.analysis.store_inputs import InputError, rows_without_location

    if cell_size <= 0:
        raise click.BadParameter("must be above 0", param_hint="--cell-size")
    if permutations is None:
        permutations = 9999 if unit == "lsoa" else 999
    options = {
        "permutations": permutations,
        "seed": seed,
        "adjust": adjust,
        "alpha": alpha,
        "p_value": p_value,
    }
    with one_line_errors(), opened_store(store_dir) as store:
        resolved = area_or_fail(store, area)
        period = month_period(start, end)
        filters = parse_where(where, STREET_FILTERS)
        require_months(store, period.months)
        unlocated = rows_without_location(store, period, filters)
        run = _lsoa_gistar if unit == "lsoa" else _grid_gistar
        result, n_events = run(store, resolved, period, filters, cell_size, options)
        if not n_events:
            raise InputError(f"no located rows in {resolved.label} for {period.label}")
    note(
        f"Gi* over {result.unit_id.size} {unit} units of {resolved.name}, {period.label}: "
        f"{n_events} located rows, {result.n_hot} hot, {result.n_cold} cold "
        f"({result.permutations} permutations, seed {result.seed}, {result.adjust} at "
        f"{result.alpha:g}, {result.p_source} p)"
    )
    note(f"{unlocated} row(s) of the period without a location (any area) are excluded")
    notes(result.notes)
    extra = {  # the run's parameters in every unit, so a saved file says how it was made
        "permutations": result.permutations,
        "seed": result.seed,
        "adjust": result.adjust,
        "alpha": result.alpha,
        "p_source": result.p_source,
        "unit": unit,
        "cell_size": cell_size if unit == "grid" else None,
        "area": resolved.label,
        "from": period.start,
        "to": period.end,
        "where": "; ".join(f"{k}={v}" for k, vs in filters.items() for v in vs),
    }
    records = [{**r, **extra} for r in result.to_records()]
    if fmt == "json":
        emit_json(records)
    else:
        emit_csv(records)


def _lsoa_gistar(store, area, period, filters, cell_size, options):
    from csphub.analysis.hotspots import gistar_polygons
    from csphub.analysis.store_inputs import lsoa_boundaries, lsoa_counts

    codes, polygons = lsoa_boundaries(store, area)
    counts = lsoa_counts(store, period, area, filters).reindex(codes)
    return gistar_polygons(codes, polygons, counts.to_numpy(float), **options), int(counts.sum())


def _grid_gistar(store, area, period, filters, cell_size, options):
    from csphub.analysis.hotspots import gistar_grid
    from csphub.analysis.store_inputs import area_grid, area_outline_bng, located_points_bng

    x, y = located_points_bng(store, period, area, filters)
    if x.size == 0:
        return None, 0
    outline = area_outline_bng(store, area)
    if outline is None:
        note("not every LSOA of the area has a boundary: the grid covers the box around its points")
        return gistar_grid(x, y, cell_size, **options), int(x.size)
    grid, within = area_grid(outline, cell_size)
    return gistar_grid(x, y, cell_size, grid=grid, within=within, **options), int(x.size)
