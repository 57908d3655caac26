"""Summary and exceedance sections: the month against its seasonal expectation
(``seasonal_baseline``) and against the same month last year (Poisson E-test)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd

from csphub.analysis.trends import poisson_etest, seasonal_baseline
from csphub.reports.document.model import Figure, Section, Table
from csphub.reports.svg import format_number, line_chart, slug

if TYPE_CHECKING:
    from csphub.reports.tasking.build import Context

CHART_MONTHS = 36
MAX_CHARTS = 6
ABOVE_99 = "Above 99th percentile"
ABOVE_95 = "Above 95th percentile"


def baseline_row(series: pd.Series, month: str) -> dict[str, Any]:
    """The ``seasonal_baseline`` row of ``month`` (defaults: auto method, negative binomial)."""
    table = seasonal_baseline(series).table
    return table.loc[table["month"] == month].iloc[0].to_dict()


def flag(row: dict[str, Any]) -> str:
    """Plain-words result of a baseline row."""
    if pd.isna(row.get("expected")):
        return "No baseline (too little history)"
    if _yes(row["exceeds_99"]):
        return ABOVE_99
    if _yes(row["exceeds_95"]):
        return ABOVE_95
    return "Within expected range"


def _yes(value: Any) -> bool:
    return value is not None and not pd.isna(value) and bool(value)


def _round(value: Any, places: int = 1) -> Any:
    return None if pd.isna(value) else round(float(value), places)


def summary_section(ctx: Context) -> Section:
    rows, change_rows = [], []
    last_year = ctx.last_year()
    for name, series in ctx.totals().items():
        row = baseline_row(series, ctx.month)
        rows.append(
            {
                "Measure": name,
                "Recorded": int(row["observed"]),
                "Expected": _round(row["expected"]),
                "95th percentile": _round(row["upper_95"], 0),
                "99th percentile": _round(row["upper_99"], 0),
                "Result": flag(row),
            }
        )
        if last_year in ctx.history:
            before, now = int(series[last_year]), int(series[ctx.month])
            test = poisson_etest(before, now)
            change_rows.append(
                {
                    "Measure": name,
                    last_year: before,
                    ctx.month: now,
                    "Change": now - before,
                    "Change (%)": _round(test.pct_change),
                    "E-test p": round(test.p_value, 4),
                    "Significant at 5%": "Yes" if test.p_value < 0.05 else "No",
                }
            )
    tables = [
        Table.of(
            "summary-expected",
            f"Crime and ASB recorded in {ctx.month_label} against the seasonal expectation",
            rows,
        )
    ]
    paragraphs = [_summary_sentence(r) for r in rows]
    if change_rows:
        tables.append(
            Table.of(
                "summary-last-year",
                f"{ctx.month_label} against the same month last year (Poisson E-test)",
                change_rows,
            )
        )
        paragraphs += [_change_sentence(r, last_year, ctx.month) for r in change_rows]
    else:
        paragraphs.append(
            f"The same month last year ({last_year}) is not loaded, so no year-on-year "
            "comparison is made: load it with csphub ingest police-uk."
        )
    paragraphs.append(
        "Expected counts come from earlier months only (same calendar month in earlier "
        "years, or a seasonal trend model once three years are loaded); a month is flagged "
        "when its count is above the 95th or 99th percentile of what was expected."
    )
    return Section("summary", "Summary", tuple(paragraphs), tuple(tables))


def _summary_sentence(row: dict[str, Any]) -> str:
    n = format_number(row["Recorded"])
    if row["Expected"] is None:
        return f"{row['Measure']}: {n} recorded; no seasonal expectation yet."
    return (
        f"{row['Measure']}: {n} recorded against {format_number(row['Expected'], 1)} "
        f"expected ({row['Result'].lower()})."
    )


def _change_sentence(row: dict[str, Any], before: str, after: str) -> str:
    significance = "a significant" if row["Significant at 5%"] == "Yes" else "not a significant"
    return (
        f"{row['Measure']}: {format_number(row[after])} in {after} against "
        f"{format_number(row[before])} in {before} ({row['Change']:+,}; E-test p = "
        f"{row['E-test p']:.4f}, {significance} change)."
    )


def exceedance_section(ctx: Context) -> Section:
    rows, results = [], {}
    for crime_type in ctx.by_type.columns:
        series = ctx.by_type[crime_type]
        result = seasonal_baseline(series).table
        results[crime_type] = result
        row = result.loc[result["month"] == ctx.month].iloc[0].to_dict()
        rows.append(
            {
                "Crime type": crime_type,
                "Recorded": int(row["observed"]),
                "Expected": _round(row["expected"]),
                "95th percentile": _round(row["upper_95"], 0),
                "99th percentile": _round(row["upper_99"], 0),
                "Probability of this many or more": _round(row["p_upper"], 4),
                "Result": flag(row),
            }
        )
    table = Table.of(
        "exceedances", f"Crime types in {ctx.month_label} against their seasonal expectation", rows
    )
    flagged = [r["Crime type"] for r in rows if r["Result"] in (ABOVE_95, ABOVE_99)]
    charted, lead = flagged[:MAX_CHARTS], "flagged"
    if not flagged:
        scored = [r for r in rows if r["Probability of this many or more"] is not None]
        scored.sort(key=lambda r: r["Probability of this many or more"])
        charted, lead = [r["Crime type"] for r in scored[:3]], "closest to their limit"
    paragraphs = [
        f"{len(flagged)} of {len(rows)} crime types are above their 95th percentile in "
        f"{ctx.month_label}"
        + (f": {', '.join(flagged)}." if flagged else ".")
        + " With this many types tested, about one in twenty would be flagged at the 95% "
        "level by chance alone.",
        f"The charts show the {lead} types over the last {CHART_MONTHS} months.",
    ]
    figures = tuple(_chart(ctx, t, results[t]) for t in charted)
    return Section("exceedances", "Exceedances by crime type", tuple(paragraphs), (table,), figures)


def _chart(ctx: Context, crime_type: str, result: pd.DataFrame) -> Figure:
    recent = result.tail(CHART_MONTHS).reset_index(drop=True)
    labels = [dt.date.fromisoformat(m + "-01").strftime("%b %Y") for m in recent["month"]]
    observed = [int(v) for v in recent["observed"]]
    expected = [_round(v) for v in recent["expected"]]
    upper = [_round(v, 0) for v in recent["upper_95"]]
    markers = {
        ABOVE_95: [
            i for i, r in recent.iterrows() if _yes(r["exceeds_95"]) and not _yes(r["exceeds_99"])
        ],
        ABOVE_99: [i for i, r in recent.iterrows() if _yes(r["exceeds_99"])],
    }
    chart_id = slug(f"chart {crime_type}")
    svg = line_chart(
        {"Recorded": observed, "Expected": expected},
        title=f"{crime_type}: recorded and expected by month, {ctx.area.name}",
        description=(
            f"Monthly {crime_type.lower()} in {ctx.area.name} from {labels[0]} to "
            f"{labels[-1]} with the expected count and its range up to the 95th percentile; "
            f"{len(markers[ABOVE_95]) + len(markers[ABOVE_99])} month(s) above it are marked."
        ),
        y_label="Crimes per month",
        x_labels=labels,
        band=(expected, upper),
        band_label="Expected to 95th percentile",
        markers={k: v for k, v in markers.items() if v},
        id=chart_id,
    )
    return Figure(svg, Table.of(chart_id, svg.title, svg.table, svg.columns))
