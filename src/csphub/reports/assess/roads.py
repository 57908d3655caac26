"""Road safety (a priority with ``partner_data`` "collisions") measured from DfT STATS19:
collisions by month and LSOA for the score, trend and hot spots of the ordinary chapter,
and a detail subsection with KSI, road users and time of day and week."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from csphub.analysis.roads import severity, year_months
from csphub.analysis.store_inputs.partner import Collisions, read_collisions
from csphub.reports.assess import places
from csphub.reports.assess.config import Priority
from csphub.reports.assess.measures import Measures, NoData, _measures, _month_end
from csphub.reports.common.places import ALPHA
from csphub.reports.common.roads import STATS19, Parts, RoadPeriod, latest_year, road_parts
from csphub.reports.document.model import Section, Table

if TYPE_CHECKING:
    from csphub.analysis.store_inputs import Period
    from csphub.reports.assess.build import Context

NOT_COVERED = "not scored: the collisions loaded cover {years}, not every month of {period}"


def collisions(ctx: Context) -> Collisions | None:
    """The area's collisions over the chart window and both periods (read once)."""
    if "collisions" not in ctx.memo:
        first = min(ctx.window[0], ctx.previous.start)
        ctx.memo["collisions"] = read_collisions(
            ctx.store, ctx.area, dt.date.fromisoformat(first + "-01"), _month_end(ctx.current.end)
        )
    return ctx.memo["collisions"]


def years_text(years: tuple[int, ...]) -> str:
    return ", ".join(str(y) for y in years) or "no year"


def _period(data: Collisions, period: Period, label: str) -> RoadPeriod:
    month = data.collisions["date"].dt.strftime("%Y-%m")
    keep = month.isin(period.months)
    casualties = None
    if data.casualties is not None:
        cas_month = pd.to_datetime(data.casualties["date"]).dt.strftime("%Y-%m")
        casualties = data.casualties[cas_month.isin(period.months)]
    covered = set(year_months(data.years))
    return RoadPeriod(
        label,
        data.collisions[keep],
        casualties,
        tuple(m for m in period.months if m in covered),
    )


def road_measures(ctx: Context, priority: Priority) -> Measures | NoData | None:
    """The priority from collisions (None when none are loaded: the caller falls back)."""
    data = collisions(ctx)
    if data is None:
        return None
    covered = set(year_months(data.years))
    for period, label in ((ctx.current, ctx.current_label), (ctx.previous, ctx.previous_label)):
        if not set(period.months) <= covered:
            return NoData(priority, NOT_COVERED.format(years=years_text(data.years), period=label))
    frame = data.collisions.assign(
        month=data.collisions["date"].dt.strftime("%Y-%m"),
        lsoa_code=data.collisions["lsoa"],
        count=1,
    )
    months = [m for m in ctx.window if m in covered]
    monthly = frame.groupby("month")["count"].sum().reindex(months, fill_value=0)
    parts = {
        name: frame[frame["month"].isin(period.months)]
        for name, period in (("previous", ctx.previous), ("current", ctx.current))
    }
    by_type = pd.DataFrame({"crime_type": [], "count": [], "period": []})
    places = pd.DataFrame({"place": [], "location_id": [], "count": []})
    now = severity(parts["current"])
    note = (
        f"Records here are injury collisions reported to the police (STATS19, years "
        f"{years_text(data.years)}); severity {now.basis}."
    )
    if data.without_lsoa:
        note += f" {data.without_lsoa:,} collisions of these dates have no LSOA and are left out."
    m = _measures(ctx, priority, STATS19, parts, monthly, by_type, places, note)
    reasons = () if now.adjusted else ("severity as recorded, not adjusted across forces",)
    return replace(m, reasons=reasons)


def _reference_map(ctx: Context, priority: Priority, reference: RoadPeriod, parts: Parts) -> None:
    """Gi* hot spots of the reference year's collisions by LSOA, with the busiest LSOAs
    (the chapter has no map when road safety is not scored)."""
    counts = (
        reference.collisions["lsoa"].value_counts().reindex(list(ctx.area.lsoa_codes), fill_value=0)
    )
    drawn = places.hotspot_map(
        ctx,
        counts,
        title=f"{priority.title}: Gi* hot spots of collisions by LSOA, {reference.label}",
        period_label=reference.label,
        value_label="Collisions",
        id=f"{priority.id}-roads-map",
    )
    if isinstance(drawn, str):
        parts.paragraphs.append(f"No hot spot map: {drawn}.")
        return
    found, result = drawn.lsoas, drawn.result
    parts.figures.append(drawn.figure)
    top = counts[counts > 0].sort_values(ascending=False, kind="stable").head(10)
    parts.tables.append(
        Table.of(
            f"{priority.id}-roads-lsoas",
            f"{priority.title}: the LSOAs with most collisions, {reference.label}",
            [
                {"LSOA": code, "Name": found.names.get(code, code), "Collisions": int(n)}
                for code, n in top.items()
            ],
        )
    )
    parts.paragraphs.append(
        f"Hot spots: {result.n_hot} LSOA(s) are significant hot spots of collisions in "
        f"{reference.label} (Getis-Ord Gi*, queen contiguity, {ctx.permutations:,} "
        f"permutations, seed {ctx.seed}, false discovery rate {ALPHA:g})."
    )


def road_detail(ctx: Context, priority: Priority) -> Section | None:
    """The road safety detail subsection, wherever collisions cover the current period."""
    data = collisions(ctx)
    if data is None:
        return None
    covered = set(year_months(data.years))
    pid = f"{priority.id}-roads"
    title = f"{priority.title}: collisions and casualties"
    if not set(ctx.current.months) & covered:
        reference = latest_year(ctx.store, ctx.area, data.years)
        parts = road_parts(pid, priority.title, reference, None, ctx.area.name)
        _reference_map(ctx, priority, reference, parts)
        return Section(
            pid,
            f"{priority.title}: the latest year loaded ({reference.label}), for reference",
            paragraphs=(
                f"The collisions loaded cover {years_text(data.years)}, none of "
                f"{ctx.current_label}, so road safety is not scored here (load STATS19 for the "
                f"period with csphub ingest stats19). For reference only, and not compared with "
                f"the period: {ctx.area.name} in {reference.label}.",
                *parts.paragraphs,
            ),
            tables=tuple(parts.tables),
            figures=tuple(parts.figures),
        )
    current = _period(data, ctx.current, ctx.current_label)
    previous = None
    if set(ctx.previous.months) <= covered:
        previous = _period(data, ctx.previous, ctx.previous_label)
    parts = road_parts(pid, priority.title, current, previous, ctx.area.name)
    lead = []
    if len(current.months) < len(ctx.current.months):
        lead.append(
            f"The collisions loaded cover {len(current.months)} of the {len(ctx.current.months)} "
            f"months of {ctx.current_label} (years {years_text(data.years)}): figures are for "
            "those months."
        )
    return Section(
        pid,
        title,
        paragraphs=tuple(lead + parts.paragraphs),
        tables=tuple(parts.tables),
        figures=tuple(parts.figures),
    )
