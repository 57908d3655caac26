"""Violence (a priority with ``partner_data`` "ae_assaults") from police and A&E together:
A&E assaults (ISTV) read beside police.uk's violence for the same months, the joint monthly
picture, the A&E profile (where, when, weapon, assailant) and the estimate of the share of
A&E assaults police data holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from csphub.analysis.linkage import police_share
from csphub.analysis.store_inputs import Period, street_counts
from csphub.analysis.store_inputs.partner import Assaults, read_assaults
from csphub.reports.assess.config import Priority
from csphub.reports.assess.measures import Measures, _month_end
from csphub.reports.common.assaults import (
    ISTV,
    LINK_TYPES,
    NONE_LOADED,
    ae_change,
    assault_parts,
    coverage_table,
    joint_figure,
    link_parts,
    monthly_counts,
)
from csphub.reports.common.change import change_table, verdict_words
from csphub.reports.common.sources import runs
from csphub.reports.document.model import Section, Table

if TYPE_CHECKING:
    from csphub.reports.assess.build import Context


def assaults(ctx: Context) -> Assaults | None:
    """The area's A&E assaults over the chart window and both periods (read once)."""
    if "assaults" not in ctx.memo:
        first = min(ctx.window[0], ctx.previous.start)
        ctx.memo["assaults"] = read_assaults(
            ctx.store, ctx.area, dt.date.fromisoformat(first + "-01"), _month_end(ctx.current.end)
        )
    return ctx.memo["assaults"]


def _months(frame: pd.DataFrame) -> pd.Series:
    return frame["incident_date"].dt.strftime("%Y-%m")


def join_assaults(ctx: Context, m: Measures) -> Measures:
    """The police measure with the A&E assaults of the same months joined, when the A&E
    extracts cover every month of the period (then confidence counts them)."""
    data = assaults(ctx)
    if data is None:
        return replace(m, note=" ".join(x for x in (m.note, NONE_LOADED) if x))
    missing = [x for x in ctx.current.months if x not in set(data.months)]
    if missing:
        return replace(
            m,
            note=" ".join(
                x
                for x in (
                    m.note,
                    f"A&E assault extracts do not cover {runs(missing)}, so they are shown "
                    "but not counted in the confidence.",
                )
                if x
            ),
        )
    return replace(m, joined=(ISTV,))


def _police_cells(ctx: Context, period: Period) -> pd.DataFrame:
    where = {"crime_type": list(LINK_TYPES)}
    return street_counts(ctx.store, ["month", "lsoa_code"], period, ctx.area, where)


def _trend(ctx: Context, data: Assaults, pid: str) -> tuple[str, Table] | None:
    test = ae_change(
        data.assaults["incident_date"], set(data.months), ctx.previous.months, ctx.current.months
    )
    if test is None:
        return None
    text = (
        f"A&E assaults: {test.c2:,} in {ctx.current_label} ({int(test.n2)} months with an "
        f"extract) against {test.c1:,} in {ctx.previous_label} ({int(test.n1)} months): "
        f"{verdict_words(test, ctx.scoring.alpha)}."
    )
    table = change_table(
        f"{pid}-test",
        "The change test of A&E assaults per month",
        [("A&E assaults", test)],
        ctx.previous.label,
        ctx.current.label,
    )
    return text, table


def violence_detail(ctx: Context, priority: Priority) -> Section:
    """The joint police and A&E subsection (or why it cannot be drawn)."""
    pid = f"{priority.id}-ae"
    title = f"{priority.title}: police and A&E together"
    data = assaults(ctx)
    if data is None:
        return Section(pid, title, unavailable=NONE_LOADED)
    current = data.assaults[_months(data.assaults).isin(ctx.current.months)]
    paragraphs = [
        f"A&E sites in the extracts: {', '.join(data.sites) or 'not named'}; months covered: "
        f"{runs(list(data.months)) or 'none'}."
    ]
    if data.without_lsoa:
        paragraphs.append(
            f"{data.without_lsoa:,} A&E assaults of these dates have no LSOA (location not coded) "
            f"and cannot be placed in {ctx.area.name}: they are left out of every figure here."
        )
    tables = [coverage_table(f"{pid}-coverage", data.sites, data.months, data.without_lsoa)]
    if trend := _trend(ctx, data, pid):
        paragraphs.append(trend[0])
        tables.append(trend[1])
    window = [x for x in ctx.window if x >= ctx.previous.start]
    police = _police_cells(ctx, Period(window[0], window[-1]))
    figures = [
        joint_figure(
            pid,
            window,
            police.groupby("month")["count"].sum(),
            monthly_counts(data.assaults["incident_date"]),
            set(data.months),
            f"{priority.title}: police violence and robbery records and A&E assaults per month, "
            f"{ctx.area.name}",
        )
    ]
    profile = assault_parts(pid, current, ctx.current_label, ctx.area.name)
    link = link_parts(
        pid, police_share(current, _police_cells(ctx, ctx.current)), ctx.current_label
    )
    return Section(
        pid,
        title,
        paragraphs=tuple(paragraphs + profile.paragraphs + link.paragraphs),
        tables=tuple(tables + profile.tables + link.tables),
        figures=tuple(figures + profile.figures),
    )
