"""One chapter per priority: volume and harm with trend, rates, a hotspot map,
concentration, notable places and the caveats of its data; or, where the loaded data
cannot measure the priority, what data would."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from csphub.analysis.concentration import concentration
from csphub.analysis.trends import ChangeTest
from csphub.analysis.trends.dispersion import QUASI
from csphub.reports.assess import places
from csphub.reports.assess.config import Priority
from csphub.reports.assess.measures import Measures, NoData
from csphub.reports.assess.scoring import LIKELIHOOD_TEXT, Score
from csphub.reports.common.places import ALPHA
from csphub.reports.common.pvalues import p_table as p_value
from csphub.reports.common.pvalues import p_text
from csphub.reports.common.sources import runs
from csphub.reports.document.model import Figure, Section, Table
from csphub.reports.svg import line_chart

if TYPE_CHECKING:
    from csphub.reports.assess.build import Context

TOP_LSOAS = 10


def _num(value: float | None, decimals: int = 0) -> float | int | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return round(float(value), decimals) if decimals else round(float(value))


def _pct(previous: float, current: float) -> float | None:
    return None if not previous else round(100 * (current - previous) / previous, 1)


def change_words(m: Measures, ctx: Context) -> str:
    """ "3,100 in <period> against 2,900 in <previous>: up 200 (6.9%), a significant rise
    (quasi-Poisson test, monthly dispersion 4.2, p = 0.0120)": the verdict and the test that
    made it, together."""
    t = m.test
    direction = "up" if t.change > 0 else "down" if t.change < 0 else "unchanged"
    amount = f" {abs(t.change):,}" if t.change else ""
    pct = _pct(m.previous, m.current)
    pct_text = f" ({abs(pct):.1f}%)" if pct is not None and t.change else ""
    significant = t.p_value < ctx.scoring.alpha
    verdict = (
        ("a significant rise" if t.change > 0 else "a significant fall")
        if significant
        else "not a significant change"
    )
    return (
        f"{m.current:,} in {ctx.current_label} against {m.previous:,} in "
        f"{ctx.previous_label}: {direction}{amount}{pct_text}, {verdict} "
        f"({test_words(t)}, {p_text(t.p_value)})"
    )


def test_words(t: ChangeTest) -> str:
    """The test that decided, with the dispersion that chose it."""
    if t.test == QUASI and t.dispersion is not None:
        return f"{QUASI} test, months vary {t.dispersion:.1f} times as much as Poisson"
    return t.test


def _volume_table(ctx: Context, m: Measures) -> Table:
    pid = m.priority.id
    rows: list[dict[str, Any]] = [
        {
            "Measure": "Records",
            ctx.previous.label: m.previous,
            ctx.current.label: m.current,
            "Change": m.current - m.previous,
            "Change (%)": _pct(m.previous, m.current),
        }
    ]
    if m.weighted:
        rows.append(
            {
                "Measure": "Harm (CSS days)",
                ctx.previous.label: _num(m.harm_previous),
                ctx.current.label: _num(m.harm_current),
                "Change": _num(m.harm_current - m.harm_previous),
                "Change (%)": _pct(m.harm_previous, m.harm_current),
            }
        )
    if ctx.population:
        for label, a, b in (
            ("Records per 1,000 residents", m.previous, m.current),
            ("Harm per 1,000 residents", m.harm_previous, m.harm_current),
        ):
            if a is None:
                continue
            ra, rb = 1000 * a / ctx.population, 1000 * b / ctx.population
            rows.append(
                {
                    "Measure": label,
                    ctx.previous.label: round(ra, 2),
                    ctx.current.label: round(rb, 2),
                    "Change": round(rb - ra, 2),
                    "Change (%)": _pct(ra, rb),
                }
            )
    if m.test.dispersion is not None:
        rows.append(
            {
                "Measure": "Monthly dispersion (records; 1 is Poisson)",
                ctx.previous.label: None,
                ctx.current.label: round(m.test.dispersion, 1),
                "Change": None,
                "Change (%)": None,
            }
        )
    rows.append(
        {
            "Measure": f"{m.test.test} p-value (records)",
            ctx.previous.label: None,
            ctx.current.label: p_value(m.test.p_value),
            "Change": None,
            "Change (%)": None,
        }
    )
    caption = f"{m.priority.title}: records and harm, {ctx.previous.label} and {ctx.current.label}"
    return Table.of(f"{pid}-volume", caption, rows)


def _type_table(ctx: Context, m: Measures) -> Table | None:
    if m.by_type.empty:
        return None
    wide = m.by_type.pivot_table(
        index="crime_type", columns="period", values="count", aggfunc="sum", fill_value=0
    ).reindex(columns=["previous", "current"], fill_value=0)
    rows = [
        {
            "Crime type": t,
            "CSS weight (days)": _num(ctx.weights.weight(t), 1),
            ctx.previous.label: int(r["previous"]),
            ctx.current.label: int(r["current"]),
            "Change": int(r["current"] - r["previous"]),
        }
        for t, r in wide.iterrows()
    ]
    caption = f"{m.priority.title}: records by crime type"
    return Table.of(f"{m.priority.id}-types", caption, rows)


def calendar_months(monthly: pd.Series, window: tuple[str, ...]) -> pd.Series:
    """``monthly`` over every calendar month of the window, NaN where a month is not loaded:
    so a 12-month average covers 12 calendar months, never 12 loaded rows."""
    return monthly.astype(float).reindex(list(window))


def _trend_figure(ctx: Context, m: Measures) -> Figure:
    calendar = calendar_months(m.monthly, ctx.window)
    months = list(calendar.index)
    values = [None if np.isnan(v) else int(v) for v in calendar]
    rolling = calendar.rolling(12, min_periods=12).mean()
    series: dict[str, list] = {"Recorded": values}
    if rolling.notna().any():
        series["12-month average"] = [None if np.isnan(v) else round(v, 1) for v in rolling]
    marks = [i for i, month in enumerate(months) if month in ctx.current.months]
    gaps = list(ctx.missing)
    svg = line_chart(
        series,
        title=f"{m.priority.title}: records per month, {ctx.area.name}",
        description=(
            f"Records per month from {months[0]} to {months[-1]}"
            + (
                " with the average of the 12 calendar months to each month"
                if len(series) > 1
                else ""
            )
            + f"; the {len(marks)} months of {ctx.current_label} are marked."
            + (
                f" Months not loaded are gaps, and no average spans them: {runs(gaps)}."
                if gaps
                else ""
            )
        ),
        y_label="Records per month",
        x_labels=months,
        markers={"Assessment period": marks},
        id=f"{m.priority.id}-trend",
    )
    return Figure(svg, Table.of(f"{m.priority.id}-trend", svg.title, svg.table, svg.columns))


def _hotspots(ctx: Context, m: Measures) -> tuple[Figure | None, Any, str]:
    drawn = places.hotspot_map(
        ctx,
        m.lsoa_current,
        title=f"{m.priority.title}: Gi* hotspots by LSOA, {ctx.current_label}",
        period_label=ctx.current_label,
        value_label="Records",
        id=f"{m.priority.id}-map",
    )
    if isinstance(drawn, str):
        return None, None, f"No hotspot map: {drawn}."
    result, figure = drawn.result, drawn.figure
    text = (
        f"Hotspots: {result.n_hot} LSOA(s) are significant hot spots of this priority over "
        f"{ctx.current_label} (Getis-Ord Gi*, queen contiguity, {ctx.permutations:,} "
        f"permutations, seed {ctx.seed}, false discovery rate {ALPHA:g})."
    )
    return figure, result, text


def _lsoa_table(ctx: Context, m: Measures, result: Any) -> Table:
    names = places.names(ctx)
    rate = places.per_1000(m.lsoa_current, ctx.lsoa_population)
    status = {}
    if result is not None:
        status = dict(zip(result.unit_id, result.hotspot, strict=True))
    found = places.lsoas(ctx)
    wards = {}
    if not isinstance(found, str):
        wards = dict(zip(found.wards["lsoa_code"], found.wards["ward_name"], strict=True))
    top = m.lsoa_current.sort_values(ascending=False, kind="stable").head(TOP_LSOAS)
    rows = [
        {
            "LSOA": code,
            "Name": names.get(code, code),
            "Ward": wards.get(code),
            ctx.current.label: int(count),
            ctx.previous.label: int(m.lsoa_previous.get(code, 0)),
            "Change": int(count - m.lsoa_previous.get(code, 0)),
            "Per 1,000 residents": _num(rate.get(code), 1),
            "Gi* result": {"hot": "Hot spot", "cold": "Cold spot"}.get(
                status.get(code, ""), "Not significant" if status else None
            ),
        }
        for code, count in top.items()
        if count > 0
    ]
    caption = f"{m.priority.title}: the {len(rows)} LSOAs with most records, {ctx.current_label}"
    return Table.of(f"{m.priority.id}-lsoas", caption, rows)


def _places_table(ctx: Context, m: Measures) -> Table | None:
    if m.places.empty:
        return None
    snapped = bool(m.places["location_id"].astype(bool).any())
    label = "Place (police.uk snap point)" if snapped else "Address (pseudonymous id)"
    rows = [{label: r["place"], "Records": int(r["count"])} for _, r in m.places.iterrows()]
    caption = f"{m.priority.title}: the busiest places, {ctx.current_label}"
    return Table.of(f"{m.priority.id}-places", caption, rows, identifiers=not snapped)


def _concentration(ctx: Context, m: Measures) -> tuple[Table, str]:
    c = concentration(m.lsoa_current.to_numpy(float))
    top10 = c.top_shares[0.10]
    rows = [
        {"Measure": "LSOAs", "Value": c.n_units},
        {"Measure": "LSOAs with at least one record", "Value": c.n_units_with_events},
        {"Measure": "Share of records in the busiest 10% of LSOAs", "Value": round(top10, 3)},
        {
            "Measure": "Share of LSOAs holding half the records",
            "Value": round(c.places_for_half, 3),
        },
        {"Measure": "Gini coefficient of LSOA counts", "Value": round(c.gini, 3)},
    ]
    text = (
        f"Concentration: the busiest 10% of LSOAs hold {100 * top10:.1f}% of the records, "
        f"and {100 * c.places_for_half:.1f}% of LSOAs hold half of them (Gini {c.gini:.3f})."
    )
    caption = f"{m.priority.title}: concentration over LSOAs, {ctx.current_label}"
    return Table.of(f"{m.priority.id}-concentration", caption, rows), text


def unavailable_chapter(ctx: Context, missing: NoData) -> Section:
    p = missing.priority
    return Section(
        f"priority-{p.id}",
        f"Priority {p.order}: {p.title}",
        paragraphs=(
            p.coverage_note,
            f"Data that would measure it: {p.needs}",
            f"Led by: {p.lead}." if p.lead else "",
        ),
        unavailable=(
            f"The loaded data cannot measure this priority ({missing.reason}), so this "
            "assessment prints no figures for it rather than misleading ones."
        ),
    )


def partner_detail(ctx: Context, priority: Priority) -> Section | None:
    """The subsection of the priority's partner data (road collisions, A&E assaults,
    deliberate fires)."""
    if priority.partner_data == "collisions":
        from csphub.reports.assess.roads import road_detail

        return road_detail(ctx, priority)
    if priority.partner_data == "ae_assaults":
        from csphub.reports.assess.violence import violence_detail

        return violence_detail(ctx, priority)
    if priority.partner_data == "fire_incidents":
        from csphub.reports.assess.fires import fire_detail

        return fire_detail(ctx, priority)
    return None


def chapter(ctx: Context, m: Measures | NoData, scores: list[Score]) -> Section:
    """The priority's chapter, with the detail of its partner data where it names any."""
    section = _chapter(ctx, m, scores)
    detail = partner_detail(ctx, m.priority)
    if detail is None:
        return section
    return replace(section, subsections=(*section.subsections, detail))


def _chapter(ctx: Context, m: Measures | NoData, scores: list[Score]) -> Section:
    if isinstance(m, NoData):
        return unavailable_chapter(ctx, m)
    p = m.priority
    score = next(s for s in scores if s.priority_id == p.id)
    paragraphs = [f"Records: {change_words(m, ctx)}."]
    if m.weighted:
        paragraphs.append(
            f"Harm: {m.harm_current:,.0f} days of imprisonment equivalent (ONS Crime Severity "
            f"Score weights) against {m.harm_previous:,.0f}."
        )
    if ctx.population:
        paragraphs.append(
            f"Rate: {1000 * m.current / ctx.population:.2f} records per 1,000 residents "
            f"({ctx.population:,.0f} residents)."
        )
    paragraphs.append(
        f"Score {score.score} of 16 (rank {score.rank}): impact {score.impact} "
        f"({100 * score.share:.1f}% of the area's {score.share_of}; source: {m.source}) "
        "x likelihood "
        f"{score.likelihood} ({LIKELIHOOD_TEXT[score.likelihood]}); confidence "
        f"{score.confidence.lower()} ({score.reasons})."
    )
    figure, result, hot_text = _hotspots(ctx, m)
    paragraphs.append(hot_text)
    conc_table, conc_text = _concentration(ctx, m)
    paragraphs.append(conc_text)
    lsoa_table = _lsoa_table(ctx, m, result)
    if lsoa_table.rows:
        first = lsoa_table.rows[0]
        paragraphs.append(
            f"Notable places: {first['Name']} ({first['LSOA']}) had the most records "
            f"({first[ctx.current.label]:,})."
        )
    caveats = [p.coverage_note, m.note, f"Data that would improve this measure: {p.needs}"]
    paragraphs += [f"Caveat: {c}" if not c.startswith("Data") else c for c in caveats if c]
    if p.lead:
        paragraphs.append(f"Led by: {p.lead}.")
    tables = [t for t in (_volume_table(ctx, m), _type_table(ctx, m)) if t is not None]
    tables += [lsoa_table, conc_table]
    if (places_table := _places_table(ctx, m)) is not None:
        tables.append(places_table)
    figures = [_trend_figure(ctx, m)] + ([figure] if figure is not None else [])
    return Section(
        f"priority-{p.id}",
        f"Priority {p.order}: {p.title}",
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
        figures=tuple(figures),
    )
