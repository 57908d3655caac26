"""The executive summary: the priorities ranked with their scores and confidence, the key
threats, and what changed since the previous period, significance-tested, with counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from csphub.analysis.trends import period_change
from csphub.reports.assess import pandemic, places
from csphub.reports.assess.measures import (
    ASB,
    AreaTotals,
    Measures,
    NoData,
    period_test,
)
from csphub.reports.assess.plain import plain_summary
from csphub.reports.assess.scoring import Score
from csphub.reports.assess.severity import css_table
from csphub.reports.common.disclose import unlocated_sentence
from csphub.reports.common.pvalues import p_table as p_value
from csphub.reports.common.pvalues import p_text
from csphub.reports.common.sources import runs
from csphub.reports.document.model import Figure, Section, Table
from csphub.reports.svg import bar_chart

if TYPE_CHECKING:
    from csphub.reports.assess.build import Context

ADJUST = "holm"


def _priority_rows(ctx: Context, measured: list[Measures | NoData], scores: list[Score]):
    by_id = {m.priority.id: m for m in measured}
    rows: list[dict[str, Any]] = []
    for s in scores:
        m = by_id[s.priority_id]
        rows.append(
            {
                "Rank": s.rank,
                "Priority": s.title,
                "Score (1-16)": s.score,
                "Impact (1-4)": s.impact,
                "Impact basis": f"{100 * s.share:.1f}% of {s.share_of}",
                "Likelihood (1-4)": s.likelihood,
                "Likelihood basis": s.basis,
                "Confidence": s.confidence,
                ctx.previous.label: m.previous,
                ctx.current.label: m.current,
                "Change": m.current - m.previous,
                "Test": m.test.test,
                "p": p_value(m.test.p_value),
            }
        )
    return rows


def _unmeasured_table(measured: list[Measures | NoData]) -> Table | None:
    rows = [
        {
            "Priority": m.priority.title,
            "Why not scored": m.reason,
            "Data that would": m.priority.needs,
        }
        for m in measured
        if isinstance(m, NoData)
    ]
    if not rows:
        return None
    return Table.of("priorities-not-measured", "Priorities the loaded data cannot measure", rows)


def _change_table(ctx: Context, totals: AreaTotals) -> tuple[Table, pd.DataFrame]:
    result = period_change(
        totals.monthly,
        list(ctx.previous.months),
        list(ctx.current.months),
        by="crime_type",
        period_col="month",
        alpha=ctx.scoring.alpha,
        adjust=ADJUST,
        test="auto",
    ).table
    result["weight"] = result["crime_type"].map(ctx.weights.weight)
    result["harm_change"] = result["change"] * result["weight"]
    rows = [
        {
            "Crime type": r["crime_type"],
            ctx.previous.label: int(r["before"]),
            ctx.current.label: int(r["after"]),
            "Change": int(r["change"]),
            "Change (%)": None if pd.isna(r["pct_change"]) else round(r["pct_change"], 1),
            "Test": r["test"],
            "Monthly dispersion": None if pd.isna(r["dispersion"]) else round(r["dispersion"], 2),
            "p": p_value(r["p_value"]),
            "Holm-adjusted p": p_value(r["p_adjusted"]),
            "Significant": bool(r["significant"]),
            "Harm change (CSS days)": None
            if pd.isna(r["harm_change"])
            else round(r["harm_change"]),
        }
        for _, r in result.iterrows()
    ]
    caption = (
        f"What changed: records by crime type, {ctx.previous.label} against "
        f"{ctx.current.label}, each tested by the test named (quasi-Poisson where the "
        "months vary more than Poisson counts would, else the Poisson E-test)"
    )
    return Table.of("changes-by-type", caption, rows), result


def _totals_table(ctx: Context, totals: AreaTotals) -> Table:
    rows = []
    monthly = totals.monthly.assign(asb=totals.monthly["crime_type"] == ASB)
    for label, asb in (("All crime (excluding ASB)", False), (ASB, True)):
        a, b = totals.total("previous", asb=asb), totals.total("current", asb=asb)
        series = monthly[monthly["asb"] == asb].groupby("month")["count"].sum()
        test = period_test(ctx, series.reindex(sorted(set(monthly["month"])), fill_value=0))
        rows.append(
            {
                "Measure": label,
                ctx.previous.label: a,
                ctx.current.label: b,
                "Change": b - a,
                "Test": test.test,
                "p": p_value(test.p_value),
            }
        )
    rows.append(
        {
            "Measure": "Harm of all crime (CSS days)",
            ctx.previous.label: round(totals.harm_previous),
            ctx.current.label: round(totals.harm_current),
            "Change": round(totals.harm_current - totals.harm_previous),
            "Test": None,
            "p": None,
        }
    )
    if ctx.population:
        rows.append(
            {
                "Measure": "Residents (population loaded)",
                ctx.previous.label: None,
                ctx.current.label: round(ctx.population),
                "Change": None,
                "Test": None,
                "p": None,
            }
        )
    caption = f"Headline totals, {ctx.area.name}"
    return Table.of("headline-totals", caption, rows)


def _emerging_places(ctx: Context) -> tuple[Table | None, str]:
    """LSOAs that are Gi* hot spots of all crime and ASB now but were not before."""
    found = places.lsoas(ctx)
    if isinstance(found, str):
        return None, f"Emerging places could not be tested: {found}."
    from csphub.analysis.store_inputs import lsoa_counts

    counts = {
        name: lsoa_counts(ctx.store, period, ctx.area, None)
        for name, period in (("previous", ctx.previous), ("current", ctx.current))
    }
    results = {name: places.gistar(ctx, found, c) for name, c in counts.items()}
    now = dict(zip(results["current"].unit_id, results["current"].hotspot, strict=True))
    before = dict(zip(results["previous"].unit_id, results["previous"].hotspot, strict=True))
    rows = [
        {
            "LSOA": code,
            "Name": found.names[code],
            ctx.previous.label: int(counts["previous"][code]),
            ctx.current.label: int(counts["current"][code]),
            "Hot spot before": before[code] == "hot",
            "Hot spot now": True,
        }
        for code in found.codes
        if now[code] == "hot" and before[code] != "hot"
    ]
    persistent = sum(1 for c in found.codes if now[c] == "hot" and before[c] == "hot")
    became = f"{len(rows)} LSOA(s) became" if rows else "No LSOA became"
    text = (
        f"{became} Gi* hot spots of all crime and ASB in {ctx.current_label}; "
        f"{persistent} were hot spots in both periods."
    )
    if not rows:
        return None, text
    caption = "Key threats: LSOAs that became hot spots of all crime and ASB"
    return Table.of("threats-new-hotspots", caption, rows), text


def _threats_text(threats: pd.DataFrame, tested: int) -> str:
    """Every significant rise, by harm change (volume where a type has no harm weight)."""
    if not len(threats):
        return (
            "Key threats: no crime type rose significantly after Holm adjustment for the "
            f"{tested} types tested."
        )
    named = "; ".join(
        f"{r['crime_type']} ({int(r['change']):+,}, {r['test']}, Holm-adjusted "
        f"{p_text(r['p_adjusted'])})"
        for _, r in threats.iterrows()
    )
    return (
        f"Key threats: every crime type with a significant rise after Holm adjustment for the "
        f"{tested} types tested, most added harm first: {named}."
    )


def summary_section(
    ctx: Context, totals: AreaTotals, measured: list[Measures | NoData], scores: list[Score]
) -> Section:
    priorities = Table.of(
        "priorities-ranked",
        f"Priorities ranked by score (impact x likelihood), {ctx.current_label}",
        _priority_rows(ctx, measured, scores),
    )
    changes, result = _change_table(ctx, totals)
    threats = result[result["significant"] & (result["change"] > 0)].sort_values(
        ["harm_change", "change"], ascending=False, na_position="last"
    )
    ctx.memo["threats"] = threats
    headline = _totals_table(ctx, totals)
    crime = headline.rows[0]
    paragraphs = [
        f"This draft assessment covers {ctx.area.name} ({ctx.area.label}, "
        f"{len(ctx.area.lsoa_codes)} LSOAs"
        + (f", {ctx.population:,.0f} residents" if ctx.population else "")
        + f") for {ctx.current_label}, against {ctx.previous_label}.",
        f"All crime (excluding ASB): {crime[ctx.current.label]:,} records against "
        f"{crime[ctx.previous.label]:,} ({crime['Change']:+,}, {crime['Test']} "
        f"{p_text(crime['p'])}).",
    ]
    paragraphs.append(unlocated_sentence(ctx.store, ctx.current, ctx.current_label))
    pandemic_text = pandemic.caveat(ctx)
    if pandemic_text:
        paragraphs.append(pandemic_text)
    if ctx.missing:
        paragraphs.append(
            f"Months not loaded in the chart window ({ctx.window[0]} to {ctx.window[-1]}): "
            f"{runs(ctx.missing)}. Charts leave them as gaps and no 12-month average spans "
            "them; the assessment and previous periods are complete."
        )
    paragraphs[:0] = plain_summary(ctx, totals, measured, scores, threats)
    if scores:
        top = ", ".join(
            f"{s.title} (score {s.score}, {s.confidence.lower()} confidence)" for s in scores[:3]
        )
        paragraphs.append(f"Highest-ranked priorities: {top}.")
    unmeasured = [m.priority.title for m in measured if isinstance(m, NoData)]
    if unmeasured:
        paragraphs.append(
            f"Not scored, because the loaded data cannot measure them: {', '.join(unmeasured)}. "
            "Their chapters name the data that would."
        )
    paragraphs.append(_threats_text(threats, len(result)))
    places_table, places_text = _emerging_places(ctx)
    paragraphs.append(places_text)
    figure = None
    if scores:
        svg = bar_chart(
            [(s.title, s.score) for s in scores],
            title=f"Priority scores, {ctx.area.name}, {ctx.current_label}",
            description=(
                "Score of each measured priority, impact times likelihood, from 1 to 16, "
                "highest first."
            ),
            value_label="Score (1-16)",
            category_label="Priority",
            id="priority-scores",
        )
        figure = Figure(svg, Table.of("priority-scores", svg.title, svg.table, svg.columns))
    tables = [priorities]
    severity_table = None
    if ctx.css is not None and (found := css_table(ctx, totals, ctx.css)):
        severity_table, severity_text = found
        paragraphs.append(severity_text)
    context = pandemic.pandemic_table(ctx, totals, measured)
    tables += [
        t
        for t in (
            _unmeasured_table(measured),
            headline,
            severity_table,
            changes,
            context,
            places_table,
        )
        if t
    ]
    return Section(
        "summary",
        "Executive summary",
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
        figures=(figure,) if figure else (),
    )
