"""Figures and tables of when and what for any event table (collisions, A&E assaults):
bars by hour of day and day of week, and counts by the values of a field."""

from __future__ import annotations

import pandas as pd

from csphub.analysis.profiles import WEEKDAYS, TimeProfile, category_counts
from csphub.reports.document.model import Figure, Table
from csphub.reports.svg import bar_chart


def bar_figure(
    id: str,
    items: list[tuple[str, object]],
    *,
    title: str,
    description: str,
    value_label: str,
    category_label: str,
    horizontal: bool = True,
) -> Figure:
    """A bar chart with its data table (id ``id``)."""
    svg = bar_chart(
        items,
        title=title,
        description=description,
        value_label=value_label,
        category_label=category_label,
        horizontal=horizontal,
        id=id,
    )
    return Figure(svg, Table.of(id, svg.title, svg.table, svg.columns))


def time_figures(profile: TimeProfile, id: str, what: str, where_when: str) -> list[Figure]:
    """Two bar charts: ``what`` by hour of day and by day of week."""
    hours = [(f"{h:02d}:00", int(profile.by_hour[h])) for h in range(24)]
    days = [(WEEKDAYS[d - 1], int(profile.by_weekday[d])) for d in range(1, 8)]
    busiest_hour = profile.busiest_hour
    unknown = f"; {profile.no_hour:,} without a known hour" if profile.no_hour else ""
    return [
        bar_figure(
            f"{id}-hours",
            hours,
            title=f"{what} by hour of day, {where_when}",
            description=(
                f"{what} in each hour of the day (00:00 is midnight to 00:59)"
                + (
                    f"; the busiest hour starts at {busiest_hour:02d}:00"
                    if busiest_hour is not None
                    else ""
                )
                + unknown
                + "."
            ),
            value_label=what,
            category_label="Hour starting",
            horizontal=False,
        ),
        bar_figure(
            f"{id}-weekdays",
            days,
            title=f"{what} by day of the week, {where_when}",
            description=(
                f"{what} on each day of the week, Monday first"
                + (f"; the busiest is {profile.busiest_weekday}" if profile.busiest_weekday else "")
                + "."
            ),
            value_label=what,
            category_label="Day",
        ),
    ]


def category_table(
    frame: pd.DataFrame,
    column: str,
    id: str,
    caption: str,
    label: str,
    order: list[str] | None = None,
) -> Table:
    """Counts and percentages of the values of ``column`` ("Not recorded" last)."""
    counts = category_counts(frame, column, order)
    rows = [
        {label: r.value, "Count": int(r.count), "Percent": round(100 * r.share, 1)}
        for r in counts.itertuples()
    ]
    return Table.of(id, caption, rows, [label, "Count", "Percent"])


def top_value(frame: pd.DataFrame, column: str) -> str | None:
    """The most frequent recorded value of ``column`` and its share of the rows where the
    field is recorded, in words."""
    counts = category_counts(frame, column)
    known = counts[counts["value"] != "Not recorded"]
    if known.empty:
        return None
    first = known.iloc[0]
    return f"{first['value']} ({100 * first['count'] / known['count'].sum():.0f}%)"
