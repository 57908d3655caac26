"""Summary and exceedance sections: the month against its seasonal expectation
(``seasonal_baseline``) and against the same month last year (Poisson E-test)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from csphub.analysis.pandemic import load_pandemic
from csphub.analysis.trends import known_dispersion_test, seasonal_baseline
from csphub.reports.common.baseline import (
    ABOVE_95,
    ABOVE_99,
    BELOW_1,
    BELOW_5,
    CHART_MONTHS,
    TOO_LITTLE,
    baseline_chart,
    baseline_row,
    flag,
    missing_months,
    rounded,
)
from csphub.reports.common.pandemic import month_caveat, pre_pandemic_month
from csphub.reports.common.pvalues import p_table, p_text
from csphub.reports.common.sources import runs
from csphub.reports.document.model import Section, Table
from csphub.reports.svg import format_number, slug

if TYPE_CHECKING:
    from csphub.reports.tasking.build import Context

MAX_CHARTS = 6


def summary_section(ctx: Context) -> Section:
    rows, change_rows = [], []
    last_year = ctx.last_year()
    for name, series in ctx.totals().items():
        row = baseline_row(series, ctx.month)
        rows.append(
            {
                "Measure": name,
                "Recorded": int(row["observed"]),
                "Expected": rounded(row["expected"]),
                "5th percentile": rounded(row["lower_5"], 0),
                "95th percentile": rounded(row["upper_95"], 0),
                "99th percentile": rounded(row["upper_99"], 0),
                "Probability of this many or more": rounded(row["p_upper"], 4),
                "Probability of this many or fewer": rounded(row["p_lower"], 4),
                "Result": flag(row),
            }
        )
        if last_year in ctx.history:
            before, now = int(series[last_year]), int(series[ctx.month])
            test = _year_on_year(before, now, row)
            change_rows.append(
                {
                    "Measure": name,
                    last_year: before,
                    ctx.month: now,
                    "Change": now - before,
                    "Change (%)": rounded(test.pct_change),
                    "Test": test.test,
                    "Dispersion": rounded(test.dispersion, 1),
                    "p": p_table(test.p_value),
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
                f"{ctx.month_label} against the same month last year (quasi-Poisson with the "
                "seasonal baseline's dispersion where it has one, else the Poisson E-test)",
                change_rows,
            )
        )
        paragraphs += [_change_sentence(r, last_year, ctx.month) for r in change_rows]
    else:
        paragraphs.append(
            f"The same month last year ({last_year}) is not loaded, so no year-on-year "
            "comparison is made: load it with csphub ingest police-uk."
        )
    paragraphs.append(method_sentence(ctx))
    paragraphs += _pandemic_sentences(ctx)
    gaps = missing_months(seasonal_baseline(next(iter(ctx.totals().values()))).table)
    if gaps:
        paragraphs.append(
            f"Months not loaded in the charts' window, left as gaps rather than zeros and "
            f"absent from every baseline: {runs(gaps)}."
        )
    return Section("summary", "Summary", tuple(paragraphs), tuple(tables))


def _year_on_year(before: int, now: int, row: dict[str, Any]) -> Any:
    """One month against the same month last year: single months cannot show how much
    months vary, so the dispersion learnt by the seasonal baseline decides the test; with
    too little history to learn it, the E-test, which then assumes Poisson counts."""
    dispersion = row.get("dispersion")
    if dispersion is None or pd.isna(dispersion):
        return known_dispersion_test(before, now, None, "too little history")
    return known_dispersion_test(before, now, float(dispersion), "the seasonal baseline")


def _pandemic_sentences(ctx: Context) -> list[str]:
    """The pandemic caveat, and the same month before the pandemic where it is loaded."""
    pandemic = load_pandemic()
    out = []
    if caveat := month_caveat(pandemic, ctx.month, ctx.history):
        out.append(caveat)
    before = pre_pandemic_month(pandemic, ctx.month, ctx.history)
    if before is None:
        out.append(
            f"The same month before the pandemic ({pandemic.pre_label()}) is not loaded, so "
            "no pre-pandemic comparison is made."
        )
        return out
    for name, series in ctx.totals().items():
        a, b = int(series[before]), int(series[ctx.month])
        change = f"{100 * (b - a) / a:+.0f}%" if a else "no records then"
        out.append(
            f"{name}: {format_number(b)} in {ctx.month} against {format_number(a)} in "
            f"{before}, before the pandemic ({change})."
        )
    return out


def method_sentence(ctx: Context) -> str:
    """What the baseline of this month actually ran on, in words."""
    row = baseline_row(next(iter(ctx.totals().values())), ctx.month)
    if pd.isna(row["expected"]):
        return (
            "No expected count yet: a month needs the same calendar month in at least two "
            "earlier loaded years."
        )
    if row["method"] == "stl":
        basis = "a seasonal trend model (STL) of the unbroken run of earlier months"
    else:
        basis = (
            f"the mean of the same calendar month in {int(row['n_years'])} earlier loaded year(s)"
        )
    spread = (
        "how much months vary is not yet known (fewer than 12 earlier forecasts and fewer "
        "than 2 complete earlier years to learn it from), so no month is flagged"
        if row["result"] == "too little history"
        else f"the spread allowed is {row['dispersion']:.1f} times that of Poisson counts, "
        f"learnt from {row['dispersion_from']}"
    )
    return (
        f"Expected counts for {ctx.month_label} come from earlier months only: {basis}; "
        f"{spread}. A month is above its expectation over the 95th or 99th percentile, "
        "below it under the 5th or 1st, and the probabilities of a count at least or at "
        "most as extreme are given."
    )


def _summary_sentence(row: dict[str, Any]) -> str:
    n = format_number(row["Recorded"])
    if row["Expected"] is None:
        return f"{row['Measure']}: {n} recorded; no seasonal expectation yet."
    if row["Result"] == TOO_LITTLE:
        return (
            f"{row['Measure']}: {n} recorded against {format_number(row['Expected'], 1)} "
            "expected; too little history to say whether that is unusual."
        )
    return (
        f"{row['Measure']}: {n} recorded against {format_number(row['Expected'], 1)} "
        f"expected ({row['Result'].lower()})."
    )


def _change_sentence(row: dict[str, Any], before: str, after: str) -> str:
    significance = "a significant" if row["Significant at 5%"] == "Yes" else "not a significant"
    return (
        f"{row['Measure']}: {format_number(row[after])} in {after} against "
        f"{format_number(row[before])} in {before} ({row['Change']:+,}; {row['Test']} "
        f"{p_text(row['p'])}, {significance} change)."
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
                "Expected": rounded(row["expected"]),
                "5th percentile": rounded(row["lower_5"], 0),
                "95th percentile": rounded(row["upper_95"], 0),
                "99th percentile": rounded(row["upper_99"], 0),
                "Probability of this many or more": rounded(row["p_upper"], 4),
                "Probability of this many or fewer": rounded(row["p_lower"], 4),
                "Result": flag(row),
            }
        )
    table = Table.of(
        "exceedances", f"Crime types in {ctx.month_label} against their seasonal expectation", rows
    )
    flagged = [r["Crime type"] for r in rows if r["Result"] in (ABOVE_95, ABOVE_99)]
    below = [r["Crime type"] for r in rows if r["Result"] in (BELOW_5, BELOW_1)]
    unflagged = [r["Crime type"] for r in rows if r["Result"] == TOO_LITTLE]
    charted, lead = (flagged + below)[:MAX_CHARTS], "flagged"
    if not flagged:
        scored = [r for r in rows if r["Probability of this many or more"] is not None]
        scored.sort(key=lambda r: r["Probability of this many or more"])
        charted, lead = [r["Crime type"] for r in scored[:3]], "closest to their limit"
    paragraphs = [
        f"{len(flagged)} of {len(rows)} crime types are above their 95th percentile in "
        f"{ctx.month_label}"
        + (f": {', '.join(flagged)}." if flagged else ".")
        + f" {len(below)} {'is' if len(below) == 1 else 'are'} below their 5th percentile"
        + (f": {', '.join(below)}." if below else ".")
        + (
            f" {len(unflagged)} have too little history to flag"
            + (" (see the summary)." if unflagged else ".")
            if unflagged
            else ""
        )
        + " With this many types tested, about one in twenty would be flagged on each side "
        "by chance alone.",
        f"The charts show the {lead} types over the last {CHART_MONTHS} months.",
    ]
    figures = tuple(
        baseline_chart(
            results[t],
            name=t,
            area_name=ctx.area.name,
            y_label="Crimes per month",
            id=slug(f"chart {t}"),
        )
        for t in charted
    )
    return Section("exceedances", "Exceedances by crime type", tuple(paragraphs), (table,), figures)
