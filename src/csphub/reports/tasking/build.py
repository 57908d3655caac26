"""Build the tasking pack from the evidence store: pure functions, store in, pack out.

Inputs come from :mod:`csphub.analysis.store_inputs` (the numbers of ``csphub query
counts``), statistics from the analysis library; nothing here writes files.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from csphub.analysis.store_inputs import (
    Period,
    months_up_to,
    parse_area,
    parse_month,
    street_counts,
)
from csphub.reports.casework.hub import HubSource
from csphub.reports.document.model import DEFAULT_MARKING, Report, Stopwatch
from csphub.reports.tasking import casework, exceedance, method, partner, places
from csphub.store import Store
from csphub.store.areas import Area

ASB = "Anti-social behaviour"
#: Fixed, recorded seeds: the same store gives the same pack.
SEED = 20260101
HOTSPOT_PERMUTATIONS = 9999
CHART_MONTHS = 36


@dataclass(frozen=True)
class Context:
    """What every section needs: the store, area, month and the monthly counts by type."""

    store: Store
    area: Area
    month: str
    history: tuple[str, ...]
    by_type: pd.DataFrame  # index: history months; columns: crime types (0 when absent)
    permutations: int
    seed: int

    @property
    def month_end(self) -> dt.date:
        y, m = int(self.month[:4]), int(self.month[5:])
        return dt.date(y, m, calendar.monthrange(y, m)[1])

    @property
    def month_label(self) -> str:
        return dt.date.fromisoformat(self.month + "-01").strftime("%B %Y")

    def last_year(self) -> str:
        return f"{int(self.month[:4]) - 1:04d}{self.month[4:]}"

    def totals(self) -> dict[str, pd.Series]:
        """Monthly series of all crime (ASB excluded) and of ASB."""
        crime = self.by_type.drop(columns=[ASB], errors="ignore").sum(axis=1).astype("int64")
        asb = self.by_type[ASB] if ASB in self.by_type else crime * 0
        return {"All crime (excluding ASB)": crime, ASB: asb.astype("int64")}


def month_counts(store: Store, area: Area, history: list[str]) -> pd.DataFrame:
    """Counts by month and crime type over ``history`` (loaded months only; 0 when absent)."""
    frame = street_counts(
        store, ["month", "crime_type"], Period(history[0], history[-1]), area, None
    )
    table = frame.pivot_table(index="month", columns="crime_type", values="count", aggfunc="sum")
    table = table.reindex(index=history).fillna(0).astype("int64")
    return table.reindex(columns=sorted(table.columns))


def make_context(
    store: Store,
    month: str,
    area: str,
    *,
    permutations: int = HOTSPOT_PERMUTATIONS,
    seed: int = SEED,
) -> Context:
    """Check the month and area and read the monthly counts; :class:`InputError` if not."""
    month = parse_month(month, "--month")
    resolved = parse_area(store, area)
    history = months_up_to(store, month)
    by_type = month_counts(store, resolved, history)
    return Context(store, resolved, month, tuple(history), by_type, permutations, seed)


def build_pack(
    store: Store,
    month: str,
    area: str,
    *,
    permutations: int = HOTSPOT_PERMUTATIONS,
    seed: int = SEED,
    stopwatch: Stopwatch | None = None,
    hub: HubSource | None = None,
    marking: str = DEFAULT_MARKING,
) -> Report:
    """The tasking pack for ``month`` (``YYYY-MM``) and ``area`` (a local authority, ward,
    MSOA or LSOA code, as ``csphub query counts --area``).

    Raises :class:`InputError` (one line saying what to load) when the month is not loaded
    or the area is unknown; sections whose data are missing say so instead of failing.
    With ``hub`` the month's cases come from the partnership hub, by hot LSOA.
    """
    watch = stopwatch or Stopwatch()
    with watch.stage("counts"):
        ctx = make_context(store, month, area, permutations=permutations, seed=seed)
    with watch.stage("summary and exceedances"):
        summary = exceedance.summary_section(ctx)
        types = exceedance.exceedance_section(ctx)
    with watch.stage("hotspots"):
        hot = places.hotspot_section(ctx)
    with watch.stage("near repeats"):
        near = partner.near_repeat_section(ctx)
    with watch.stage("repeat victims, offenders and locations"):
        vol = partner.vol_section(ctx)
    with watch.stage("casework from the hub"):
        cases = casework.casework_section_of(ctx, hub, hot, near)
    with watch.stage("data and method"):
        data = method.method_section(ctx)
    return Report(
        title=f"TTCG tasking pack: {ctx.area.name}, {ctx.month_label}",
        area_code=ctx.area.label,
        area_name=ctx.area.name,
        period=ctx.month,
        slug="tasking-pack",
        sections=(summary, types, hot, near, vol, cases, data),
        parameters={"seed": seed, "permutations": permutations},
        marking=marking,
    )
