"""Emerging and persistent hotspots: Getis-Ord Gi* over the area's LSOAs for the month
and for the 12 months to it, with a hotspot map each and a table of the hot LSOAs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csphub.analysis.store_inputs import InputError, Period, lsoa_boundaries, lsoa_counts
from csphub.reports.document.model import Figure, Section, Table
from csphub.reports.svg import hotspot_map

if TYPE_CHECKING:
    from csphub.analysis.hotspots import GiStarResult
    from csphub.reports.tasking.build import Context

ALPHA = 0.05
ADJUST = "fdr_bh"


def lsoa_names(ctx: Context, codes: list[str]) -> dict[str, str]:
    """LSOA names from the loaded boundaries (the code when a name is missing)."""
    rows = ctx.store.con.execute(
        "SELECT code, name FROM boundary WHERE level = 'lsoa' "
        "AND code IN (SELECT unnest(?::VARCHAR[]))",
        [codes],
    ).fetchall()
    names = {code: name for code, name in rows if name}
    return {c: names.get(c, c) for c in codes}


def hotspot_section(ctx: Context) -> Section:
    title = "Emerging and persistent hotspots"
    try:
        codes, polygons = lsoa_boundaries(ctx.store, ctx.area)
    except InputError as exc:
        return Section("hotspots", title, unavailable=f"Hotspots cannot be mapped: {exc}.")
    names = lsoa_names(ctx, codes)
    year = [m for m in ctx.history if m > f"{int(ctx.month[:4]) - 1:04d}{ctx.month[4:]}"]
    runs = {
        "emerging": (Period(ctx.month, ctx.month), ctx.month_label),
        "persistent": (Period(year[0], ctx.month), f"the {len(year)} months to {ctx.month_label}"),
    }
    results: dict[str, tuple[GiStarResult, Any]] = {}
    figures = []
    for kind, (period, label) in runs.items():
        counts = lsoa_counts(ctx.store, period, ctx.area, None).reindex(codes)
        result = _gistar(ctx, codes, polygons, counts.to_numpy(float))
        results[kind] = (result, counts)
        figures.append(_map(ctx, kind, label, codes, polygons, names, result, counts))
    rows = _hot_rows(codes, names, results)
    paragraphs = [
        f"Emerging: LSOAs whose {ctx.month_label} count of crime and ASB, with their "
        f"neighbours', is significantly high ({results['emerging'][0].n_hot} LSOAs). "
        f"Persistent: the same over {runs['persistent'][1]} "
        f"({results['persistent'][0].n_hot} LSOAs).",
        f"Getis-Ord Gi* with queen contiguity, {ctx.permutations:,} permutations (seed "
        f"{ctx.seed}), p-values adjusted for false discoveries (Benjamini-Hochberg) at "
        f"{ALPHA:g}. Rows without a location are not counted.",
    ]
    for result, _ in results.values():
        paragraphs += [f"Note: {n}" for n in result.notes]
    caption = "Hot spot LSOAs: emerging (this month) and persistent (12 months)"
    if not rows:
        paragraphs.append("No LSOA is a significant hot spot in either period.")
        return Section("hotspots", title, tuple(paragraphs), figures=tuple(figures))
    table = Table.of("hotspots-hot-lsoas", caption, rows)
    return Section("hotspots", title, tuple(paragraphs), (table,), tuple(figures))


def _gistar(ctx: Context, codes, polygons, values):
    from csphub.analysis.hotspots import gistar_polygons

    return gistar_polygons(
        codes,
        polygons,
        values,
        permutations=ctx.permutations,
        seed=ctx.seed,
        alpha=ALPHA,
        adjust=ADJUST,
    )


def _map(ctx, kind, label, codes, polygons, names, result, counts) -> Figure:
    svg = hotspot_map(
        polygons,
        list(result.hotspot),
        codes,
        title=f"{kind.capitalize()} hotspots: Gi* of crime and ASB by LSOA, {label}",
        description=(
            f"Getis-Ord Gi* result for each of the {len(codes)} LSOAs of {ctx.area.name} "
            f"over {label}: {result.n_hot} hot spot(s) outlined in red, {result.n_cold} cold "
            "spot(s) dotted blue, the rest grey (not significant)."
        ),
        values=[int(v) for v in counts],
        value_label="Crime and ASB",
        labels=[names[c] for c in codes],
        unit_names=("LSOA", "LSOAs"),
        id=f"map-{kind}",
    )
    return Figure(svg, Table.of(f"map-{kind}", svg.title, svg.table, svg.columns))


def _hot_rows(codes, names, results) -> list[dict[str, Any]]:
    emerging, month_counts = results["emerging"]
    persistent, year_counts = results["persistent"]
    rows = []
    for i, code in enumerate(codes):
        hot_now, hot_year = emerging.hotspot[i] == "hot", persistent.hotspot[i] == "hot"
        if not (hot_now or hot_year):
            continue
        rows.append(
            {
                "LSOA": code,
                "Name": names[code],
                "This month": int(month_counts.iloc[i]),
                "12 months": int(year_counts.iloc[i]),
                "Emerging hotspot": "Yes" if hot_now else "No",
                "Persistent hotspot": "Yes" if hot_year else "No",
            }
        )
    rows.sort(key=lambda r: (-r["This month"], r["LSOA"]))
    return rows
