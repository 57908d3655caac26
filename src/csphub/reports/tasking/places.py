"""Emerging and persistent hotspots: Getis-Ord Gi* over the area's LSOAs for the month
and for the 12 months to it, with a hotspot map each and a table of the hot LSOAs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csphub.analysis.store_inputs import InputError, Period, lsoa_boundaries, lsoa_counts
from csphub.reports.common.places import ALPHA, gistar_lsoas, hotspot_figure, lsoa_names
from csphub.reports.document.model import Section, Table

if TYPE_CHECKING:
    from csphub.analysis.hotspots import GiStarResult
    from csphub.reports.tasking.build import Context


def hotspot_section(ctx: Context) -> Section:
    title = "Emerging and persistent hotspots"
    try:
        codes, polygons = lsoa_boundaries(ctx.store, ctx.area)
    except InputError as exc:
        return Section("hotspots", title, unavailable=f"Hotspots cannot be mapped: {exc}.")
    names = lsoa_names(ctx.store, codes)
    year = [m for m in ctx.history if m > f"{int(ctx.month[:4]) - 1:04d}{ctx.month[4:]}"]
    runs = {
        "emerging": (Period(ctx.month, ctx.month), ctx.month_label),
        "persistent": (Period(year[0], ctx.month), f"the {len(year)} months to {ctx.month_label}"),
    }
    results: dict[str, tuple[GiStarResult, Any]] = {}
    figures = []
    for kind, (period, label) in runs.items():
        counts = lsoa_counts(ctx.store, period, ctx.area, None).reindex(codes)
        result = gistar_lsoas(
            codes, polygons, counts.to_numpy(float), permutations=ctx.permutations, seed=ctx.seed
        )
        results[kind] = (result, counts)
        figures.append(
            hotspot_figure(
                codes,
                polygons,
                names,
                result,
                counts,
                title=f"{kind.capitalize()} hotspots: Gi* of crime and ASB by LSOA, {label}",
                area_name=ctx.area.name,
                period_label=label,
                value_label="Crime and ASB",
                id=f"map-{kind}",
            )
        )
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
