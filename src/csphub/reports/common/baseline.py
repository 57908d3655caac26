"""Monthly counts against their seasonal expectation (``seasonal_baseline``): the row of
one month, its result in plain words (above, below, within, or too little history), and the
chart of the last calendar months with the band, months not loaded left as gaps."""

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
BELOW_1 = "Below 1st percentile"
BELOW_5 = "Below 5th percentile"
WITHIN = "Within expected range"
TOO_LITTLE = "Too little history to flag"
NO_BASELINE = "No baseline (too little history)"


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
    """Plain-words result of a baseline row, on both sides of the expectation."""
    if pd.isna(row.get("expected")):
        return NO_BASELINE
    if row.get("result") == "too little history":
        return TOO_LITTLE
    for key, words in (
        ("exceeds_99", ABOVE_99),
        ("exceeds_95", ABOVE_95),
        ("below_1", BELOW_1),
        ("below_5", BELOW_5),
    ):
        if is_yes(row.get(key)):
            return words
    return WITHIN


def calendar(result: pd.DataFrame, months: int) -> pd.DataFrame:
    """The last ``months`` calendar months to the table's last month, a month not loaded as
    an empty row (so a chart shows it as a gap instead of joining its neighbours)."""
    last = pd.Period(result["month"].iloc[-1], freq="M")
    span = [str(last - k) for k in range(months - 1, -1, -1)]
    first_loaded = result["month"].iloc[0]
    span = [m for m in span if m >= first_loaded]
    return result.set_index("month").reindex(span).rename_axis("month").reset_index()


def missing_months(result: pd.DataFrame, months: int = CHART_MONTHS) -> list[str]:
    """Calendar months inside the chart window that are not loaded."""
    window = calendar(result, months)
    return list(window.loc[window["observed"].isna(), "month"])


def baseline_chart(
    result: pd.DataFrame,
    *,
    name: str,
    area_name: str,
    y_label: str,
    id: str,
    months: int = CHART_MONTHS,
) -> Figure:
    """Line chart of the last ``months`` calendar months of a ``seasonal_baseline`` table:
    recorded, expected, the band from the 5th to the 95th percentile, the months above and
    below it marked, and months not loaded left as gaps."""
    recent = calendar(result, months)
    labels = [dt.date.fromisoformat(m + "-01").strftime("%b %Y") for m in recent["month"]]
    observed = [None if pd.isna(v) else int(v) for v in recent["observed"]]
    expected = [rounded(v) for v in recent["expected"]]
    lower = [rounded(v, 0) for v in recent["lower_5"]]
    upper = [rounded(v, 0) for v in recent["upper_95"]]
    markers = {
        ABOVE_95: [
            i
            for i, r in recent.iterrows()
            if is_yes(r["exceeds_95"]) and not is_yes(r["exceeds_99"])
        ],
        ABOVE_99: [i for i, r in recent.iterrows() if is_yes(r["exceeds_99"])],
        BELOW_5: [i for i, r in recent.iterrows() if is_yes(r["below_5"])],
    }
    gaps = missing_months(result, months)
    gap_text = (
        f" {len(gaps)} month(s) not loaded are left as gaps: {', '.join(gaps)}." if gaps else ""
    )
    svg = line_chart(
        {"Recorded": observed, "Expected": expected},
        title=f"{name}: recorded and expected by month, {area_name}",
        description=(
            f"Monthly {name.lower()} in {area_name} from {labels[0]} to "
            f"{labels[-1]} with the expected count and its range from the 5th to the 95th "
            f"percentile; {len(markers[ABOVE_95]) + len(markers[ABOVE_99])} month(s) above "
            f"it and {len(markers[BELOW_5])} below it are marked.{gap_text}"
        ),
        y_label=y_label,
        x_labels=labels,
        band=(lower, upper),
        band_label="5th to 95th percentile",
        markers={k: v for k, v in markers.items() if v},
        id=id,
    )
    return Figure(svg, Table.of(id, svg.title, svg.table, svg.columns))
