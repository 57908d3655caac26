"""Deliberate fires beside a priority (``partner_data`` "fire_incidents", antisocial
behaviour by default): the fire and rescue service's deliberate fires of both periods with
their change test, by incident type, and the LSOAs with most of them beside police.uk's
ASB and criminal damage and arson there. Context only: they do not change the score."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from csphub.analysis.store_inputs import street_counts
from csphub.analysis.store_inputs.partner import fire_months, read_fires
from csphub.reports.assess import places
from csphub.reports.assess.config import Priority
from csphub.reports.assess.measures import _month_end
from csphub.reports.common.assaults import change_from_counts, monthly_counts
from csphub.reports.common.change import change_table, verdict_words
from csphub.reports.common.profiles import category_table
from csphub.reports.document.model import Section, Table

if TYPE_CHECKING:
    from csphub.reports.assess.build import Context

NONE_LOADED = (
    "No fire incident data is loaded, so deliberate fires cannot be set beside antisocial "
    "behaviour and criminal damage: load the fire and rescue service's incident export with "
    "csphub ingest fire."
)
BESIDE = ("Anti-social behaviour", "Criminal damage and arson")
TOP = 10


def _lsoa_table(ctx: Context, deliberate: pd.DataFrame, pid: str) -> Table:
    fires = deliberate["lsoa"].value_counts()
    police = street_counts(
        ctx.store, ["lsoa_code", "crime_type"], ctx.current, ctx.area, {"crime_type": list(BESIDE)}
    )
    wide = police.pivot_table(
        index="lsoa_code", columns="crime_type", values="count", aggfunc="sum", fill_value=0
    )
    names = places.names(ctx)
    rows = [
        {
            "LSOA": code,
            "Name": names.get(code, code),
            "Deliberate fires": int(n),
            **{
                f"{t} (police.uk)": int(wide[t].get(code, 0)) if t in wide.columns else 0
                for t in BESIDE
            },
        }
        for code, n in fires.sort_values(ascending=False, kind="stable").head(TOP).items()
    ]
    return Table.of(
        f"{pid}-lsoas", f"The LSOAs with most deliberate fires, {ctx.current_label}", rows
    )


def fire_detail(ctx: Context, priority: Priority) -> Section:
    """The deliberate fires subsection (or why it cannot be drawn)."""
    pid, title = f"{priority.id}-fires", f"{priority.title}: deliberate fires"
    first = min(ctx.window[0], ctx.previous.start)
    fires = read_fires(
        ctx.store, ctx.area, dt.date.fromisoformat(first + "-01"), _month_end(ctx.current.end)
    )
    if fires is None:
        return Section(pid, title, unavailable=NONE_LOADED)
    deliberate = fires[fires["deliberate"].fillna(False).astype(bool)]
    months = deliberate["date"].dt.strftime("%Y-%m")
    current = deliberate[months.isin(ctx.current.months)]
    paragraphs = [
        "Deliberate fires attended by the fire and rescue service (mostly secondary fires of "
        "refuse and grassland) are context for antisocial behaviour and criminal damage; they "
        "do not change the priority's score."
    ]
    tables: list[Table] = []
    test = change_from_counts(
        monthly_counts(deliberate["date"]),
        set(fire_months(ctx.store)),
        ctx.previous.months,
        ctx.current.months,
    )
    if test is None:
        paragraphs.append(
            f"Deliberate fires: {len(current):,} in {ctx.current_label}; the fire data loaded "
            "does not cover both periods, so no change is tested."
        )
    else:
        paragraphs.append(
            f"Deliberate fires: {test.c2:,} in {ctx.current_label} against {test.c1:,} in "
            f"{ctx.previous_label}: {verdict_words(test, ctx.scoring.alpha)}."
        )
        tables.append(
            change_table(
                f"{pid}-test",
                "The change test of deliberate fires per month",
                [("Deliberate fires", test)],
                ctx.previous.label,
                ctx.current.label,
            )
        )
    if len(current):
        tables.append(
            category_table(
                current,
                "incident_type",
                f"{pid}-types",
                f"Deliberate fires by incident type, {ctx.current_label}",
                "Incident type",
            )
        )
        tables.append(_lsoa_table(ctx, current, pid))
    return Section(pid, title, paragraphs=tuple(paragraphs), tables=tuple(tables))
