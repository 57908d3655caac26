"""Volume and trend: monthly ASB against its seasonal expectation (``seasonal_baseline``)
over up to 36 months to the quarter's end, and ASB by quarter."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from csphub.analysis.trends import seasonal_baseline
from csphub.reports.asb.context import ASB
from csphub.reports.common.baseline import (
    ABOVE_95,
    ABOVE_99,
    BELOW_1,
    BELOW_5,
    TOO_LITTLE,
    baseline_chart,
    flag,
    missing_months,
    rounded,
)
from csphub.reports.common.sources import runs
from csphub.reports.document.model import Section, Table

if TYPE_CHECKING:
    from csphub.reports.asb.context import Context

#: Quarters in the quarterly table (those fully loaded).
TABLE_QUARTERS = 8


def _month_name(month: str) -> str:
    return dt.date.fromisoformat(month + "-01").strftime("%B %Y")


def trend_section(ctx: Context) -> Section:
    result = seasonal_baseline(ctx.monthly).table
    figure = baseline_chart(
        result,
        name=ASB,
        area_name=ctx.area.name,
        y_label="Incidents per month",
        id="chart-asb-by-month",
    )
    months = result.set_index("month").loc[list(ctx.quarter.months)]
    month_rows = [
        {
            "Month": month,
            "Recorded": int(row["observed"]),
            "Expected": rounded(row["expected"]),
            "5th percentile": rounded(row["lower_5"], 0),
            "95th percentile": rounded(row["upper_95"], 0),
            "99th percentile": rounded(row["upper_99"], 0),
            "Probability of this many or fewer": rounded(row["p_lower"], 4),
            "Probability of this many or more": rounded(row["p_upper"], 4),
            "Result": flag(row.to_dict()),
        }
        for month, row in months.iterrows()
    ]
    above = [_month_name(r["Month"]) for r in month_rows if r["Result"] in (ABOVE_95, ABOVE_99)]
    below = [_month_name(r["Month"]) for r in month_rows if r["Result"] in (BELOW_5, BELOW_1)]
    gaps = missing_months(result)
    paragraphs = [
        "ASB recorded by the police each month, against what earlier months of the same "
        "season lead us to expect (the expected count and its range from the 5th to the "
        "95th percentile); the chart covers the trend period in the Data and method section.",
        _months_sentence(ctx, month_rows, above, below),
    ]
    if gaps:
        paragraphs.append(
            f"Months not loaded in the chart, left as gaps rather than zeros: {runs(gaps)}."
        )
    tables = [
        Table.of(
            "asb-quarter-months",
            f"ASB in each month of {ctx.name} against its seasonal expectation",
            month_rows,
        ),
        Table.of(
            "asb-by-quarter",
            f"ASB by quarter: the loaded quarters among the {TABLE_QUARTERS} to {ctx.label}",
            _quarter_rows(ctx),
        ),
    ]
    return Section(
        "volume-and-trend", "Volume and trend", tuple(paragraphs), tuple(tables), (figure,)
    )


def _months_sentence(
    ctx: Context, rows: list[dict[str, object]], above: list[str], below: list[str]
) -> str:
    if above or below:
        parts = [f"above the expected range: {', '.join(above)}"] if above else []
        parts += [f"below it: {', '.join(below)}"] if below else []
        return f"Months of {ctx.name} " + "; ".join(parts) + "."
    if all(r["Result"] == TOO_LITTLE for r in rows):
        return (
            f"The months of {ctx.name} have an expected count but too little history to say "
            "whether they are unusual."
        )
    if all(r["Expected"] is None for r in rows):
        return (
            f"The months of {ctx.name} have no seasonal expectation yet: it needs the same "
            "month loaded in at least two earlier years."
        )
    return f"No month of {ctx.name} was above or below its expected range."


def _quarter_rows(ctx: Context) -> list[dict[str, object]]:
    periods = [ctx.shifted(-k) for k in range(TABLE_QUARTERS - 1, -1, -1)]
    return [ctx.quarter_row(p) for p in periods if ctx.loaded(p)]
