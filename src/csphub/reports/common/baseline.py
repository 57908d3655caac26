"""Monthly counts against their seasonal expectation (``seasonal_baseline``): the row of
one month, its result in plain words, and the chart of the last months with the band."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from csphub.analysis.trends import seasonal_baseline
from csphub.reports.document.model import Figure, Table
from csphub.reports.svg import line_chart

CHART_MONTHS = 36
ABOVE_99 = "Above 99th percentile"
ABOVE_95 = "Above 95th percentile"


def baseline_row(series: pd.Series, month: str) -> dict[str, Any]:
    """The ``seasonal_baseline`` row of ``month`` (defaults: auto method, negative binomial)."""
    table = seasonal_baseline(series).table
    return table.loc[table["month"] == month].iloc[0].to_dict()


def is_yes(value: Any) -> bool:
    """A flag of the baseline table that is set (missing counts as not set)."""
    return value is not None and not pd.isna(value) and bool(value)


def rounded(value: Any, places: int = 1) -> Any:
    """``value`` rounded, or None when it is missing."""
    return None if pd.isna(value) else round(float(value), places)


def flag(row: dict[str, Any]) -> str:
    """Plain-words result of a baseline row."""
    if pd.isna(row.get("expected")):
        return "No baseline (too little history)"
    if is_yes(row["exceeds_99"]):
        return ABOVE_99
    if is_yes(row["exceeds_95"]):
        return ABOVE_95
    return "Within expected range"


def baseline_chart(
    result: pd.DataFrame,
    *,
    name: str,
    area_name: str,
    y_label: str,
    id: str,
    months: int = CHART_MONTHS,
) -> Figure:
    """Line chart of the last ``months`` of a ``seasonal_baseline`` table: recorded,
    expected, the band up to the 95th percentile and the months above it marked."""
    recent = result.tail(months).reset_index(drop=True)
    labels = [dt.date.fromisoformat(m + "-01").strftime("%b %Y") for m in recent["month"]]
    observed = [int(v) for v in recent["observed"]]
    expected = [rounded(v) for v in recent["expected"]]
    upper = [rounded(v, 0) for v in recent["upper_95"]]
    markers = {
        ABOVE_95: [
            i
            for i, r in recent.iterrows()
            if is_yes(r["exceeds_95"]) and not is_yes(r["exceeds_99"])
        ],
        ABOVE_99: [i for i, r in recent.iterrows() if is_yes(r["exceeds_99"])],
    }
    svg = line_chart(
        {"Recorded": observed, "Expected": expected},
        title=f"{name}: recorded and expected by month, {area_name}",
        description=(
            f"Monthly {name.lower()} in {area_name} from {labels[0]} to "
            f"{labels[-1]} with the expected count and its range up to the 95th percentile; "
            f"{len(markers[ABOVE_95]) + len(markers[ABOVE_99])} month(s) above it are marked."
        ),
        y_label=y_label,
        x_labels=labels,
        band=(expected, upper),
        band_label="Expected to 95th percentile",
        markers={k: v for k, v in markers.items() if v},
        id=id,
    )
    return Figure(svg, Table.of(id, svg.title, svg.table, svg.columns))
