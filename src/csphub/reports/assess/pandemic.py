"""The pandemic as context: a caveat for any period that overlaps the COVID-19 restrictions,
and the period against the same calendar months before the pandemic, beside the change on
the previous period, for each priority and crime type."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from csphub.analysis.trends import period_change
from csphub.reports.assess.measures import AreaTotals, Measures, NoData
from csphub.reports.common.pvalues import p_table as p_value
from csphub.reports.common.sources import runs
from csphub.reports.document.model import Table

if TYPE_CHECKING:
    from csphub.reports.assess.build import Context


def caveat(ctx: Context) -> str | None:
    """A sentence for each period that overlaps the restrictions, or None."""
    if ctx.pandemic is None:
        return None
    parts = []
    for name, period in (("assessment period", ctx.current), ("previous period", ctx.previous)):
        months = ctx.pandemic.overlap(list(period.months))
        if months:
            whole = len(months) == len(period.months)
            parts.append(
                f"the {name} ({period.start} to {period.end}) "
                + ("falls wholly within them" if whole else f"overlaps them in {runs(months)}")
            )
    if not parts:
        return None
    before, _ = ctx.pre_pandemic(ctx.current)
    compared = (
        f"The pandemic-context table compares the assessment period with the same calendar "
        f"months before the pandemic that the store holds ({runs(before)})."
        if before
        else "The store holds none of the same months before the pandemic "
        f"({ctx.pandemic.pre_label()}), so no pre-pandemic comparison can be made: load them."
    )
    return (
        f"Pandemic: COVID-19 restrictions ({ctx.pandemic.label()}) changed crime, reporting "
        f"and policing; {' and '.join(parts)}. Changes against a pandemic period partly "
        f"measure lockdown and recovery, not only crime. {compared}"
    )


def pandemic_table(
    ctx: Context, totals: AreaTotals, measured: list[Measures | NoData]
) -> Table | None:
    """Priorities and crime types: now against pre-pandemic, beside the previous-period change."""
    before, now = ctx.pre_pandemic(ctx.current)
    if not before or not now:
        return None
    rows = []
    for m in measured:
        if isinstance(m, NoData) or m.pre is None:
            continue
        prev = m.test.pct_change
        rows.append(
            {
                "Measure": f"Priority: {m.priority.title}",
                "Pre-pandemic per month": round(m.pre.test.c1 / m.pre.test.n1, 1),
                "Same months now per month": round(m.pre.test.c2 / m.pre.test.n2, 1),
                "Against pre-pandemic (%)": None
                if m.pre.test.pct_change is None
                else round(m.pre.test.pct_change, 1),
                "Test": m.pre.test.test,
                "p": p_value(m.pre.test.p_value),
                "Against previous period (%)": None if prev is None else round(prev, 1),
            }
        )
    result = period_change(
        totals.pre, before, now, by="crime_type", period_col="month", test="auto", adjust=None
    ).table
    previous = totals.by_type.set_index("crime_type")
    for _, r in result.iterrows():
        b, c = previous.loc[r["crime_type"], ["previous", "current"]]
        rows.append(
            {
                "Measure": r["crime_type"],
                "Pre-pandemic per month": round(r["rate_before"], 1),
                "Same months now per month": round(r["rate_after"], 1),
                "Against pre-pandemic (%)": None
                if pd.isna(r["pct_change"])
                else round(r["pct_change"], 1),
                "Test": r["test"],
                "p": p_value(r["p_value"]),
                "Against previous period (%)": round(100 * (c - b) / b, 1) if b else None,
            }
        )
    caption = (
        f"Pandemic context: {ctx.current_label} against the same calendar months before the "
        f"pandemic ({runs(before)} against {runs(now)}, monthly rates), beside the change on "
        f"{ctx.previous_label}"
    )
    return Table.of("pandemic-context", caption, rows)
