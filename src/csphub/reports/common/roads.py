"""The road safety parts of a product: KSI and slight with the severity basis, the KSI
trend and its test, casualties by road user (or what cannot be computed without them), and
when collisions happen. Built from STATS19 rows read by
:func:`csphub.analysis.store_inputs.partner.read_collisions`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from csphub.analysis.profiles import time_profile
from csphub.analysis.roads import Severity, by_road_user, severity, year_months
from csphub.analysis.store_inputs.partner import read_collisions
from csphub.analysis.trends import ChangeTest, change_test
from csphub.reports.common.change import change_table, verdict_words
from csphub.reports.common.profiles import time_figures
from csphub.reports.document.model import Figure, Table
from csphub.store import Store
from csphub.store.areas import Area

STATS19 = "DfT STATS19 road collisions reported to the police"
NO_CASUALTIES = (
    "Casualties by road user, age and sex cannot be computed: no STATS19 casualty rows are "
    "loaded for these collisions (load the casualty file with csphub ingest stats19)."
)


@dataclass
class Parts:
    """Paragraphs, tables and figures for a section."""

    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass(frozen=True)
class RoadPeriod:
    """One period's collisions (and casualties, or None), the calendar months covered."""

    label: str
    collisions: pd.DataFrame
    casualties: pd.DataFrame | None
    months: tuple[str, ...]


def latest_year(store: Store, area: Area, years: tuple[int, ...]) -> RoadPeriod:
    """The area's collisions of the latest calendar year loaded, for reference where the
    loaded years do not cover a product's period."""
    year = max(years)
    found = read_collisions(store, area, dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert found is not None  # the years come from loaded collisions
    return RoadPeriod(str(year), found.collisions, found.casualties, tuple(year_months([year])))


def monthly(
    frame: pd.DataFrame, months: tuple[str, ...], mask: pd.Series | None = None
) -> list[int]:
    """Rows per month of ``months`` (0 where none), optionally of the rows ``mask`` keeps."""
    rows = frame if mask is None else frame[mask]
    counts = rows["date"].dt.strftime("%Y-%m").value_counts()
    return [int(counts.get(m, 0)) for m in months]


def _severity_rows(what: str, by: dict[str, Severity]) -> list[dict[str, Any]]:
    def row(measure: str, pick) -> dict[str, Any]:
        return {"Measure": measure, **{label: pick(s) for label, s in by.items()}}

    rows = [
        row(what, lambda s: s.rows),
        row(f"{what}: fatal", lambda s: s.fatal),
        row(f"{what}: serious (recorded)", lambda s: s.serious),
        row(f"{what}: slight (recorded)", lambda s: s.slight),
        row(f"{what}: KSI (recorded)", lambda s: s.ksi_recorded),
    ]
    if all(s.adjusted for s in by.values()):
        rows += [
            row(f"{what}: KSI (adjusted)", lambda s: round(s.ksi, 1)),
            row(f"{what}: slight (adjusted)", lambda s: round(s.slight_figure, 1)),
        ]
    if any(s.unknown for s in by.values()):
        rows.append(row(f"{what}: severity not recorded", lambda s: s.unknown))
    return rows


def severity_parts(prefix: str, title: str, periods: list[RoadPeriod]) -> Parts:
    """The severity table of collisions (and casualties) in each period, with words."""
    parts = Parts()
    collisions = {p.label: severity(p.collisions) for p in periods}
    rows = _severity_rows("Collisions", collisions)
    if all(p.casualties is not None for p in periods):
        rows += _severity_rows("Casualties", {p.label: severity(p.casualties) for p in periods})  # type: ignore[arg-type]
    now = collisions[periods[-1].label]
    parts.tables.append(
        Table.of(f"{prefix}-severity", f"{title}: collisions and casualties by severity", rows)
    )
    parts.paragraphs.append(
        f"Killed or seriously injured (KSI): {now.ksi:,.1f} collisions in {periods[-1].label} "
        f"({now.fatal:,} fatal, {now.serious:,} serious as recorded; {now.slight:,} slight), "
        f"KSI {now.basis}."
        if now.adjusted
        else f"Killed or seriously injured (KSI): {now.ksi_recorded:,} of {now.rows:,} "
        f"collisions in {periods[-1].label} ({now.fatal:,} fatal, {now.serious:,} serious; "
        f"{now.slight:,} slight), KSI {now.basis}."
    )
    return parts


def ksi_test(previous: RoadPeriod, current: RoadPeriod) -> ChangeTest:
    """The dispersion-aware test of KSI collisions per month (recorded severity, whole
    counts) of the two periods' covered months."""

    def ksi(p: RoadPeriod) -> list[int]:
        mask = p.collisions["severity"].isin(["fatal", "serious"])
        return monthly(p.collisions, p.months, mask)

    return change_test(ksi(previous), ksi(current))


def road_user_parts(prefix: str, title: str, period: RoadPeriod) -> Parts:
    """KSI and casualties by road user, or the sentence saying it cannot be computed."""
    parts = Parts()
    if period.casualties is None:
        parts.paragraphs.append(NO_CASUALTIES)
        return parts
    table = by_road_user(period.casualties)
    rows = [
        {
            "Road user": r.road_user,
            "Fatal": int(r.fatal),
            "Serious (recorded)": int(r.serious),
            "Slight (recorded)": int(r.slight),
            "Casualties": int(r.casualties),
            "KSI": round(float(r.ksi), 1),
        }
        for r in table.itertuples()
    ]
    parts.tables.append(
        Table.of(f"{prefix}-road-users", f"{title}: casualties by road user, {period.label}", rows)
    )
    if rows:
        first = rows[0]
        parts.paragraphs.append(
            f"By road user: {first['Road user'].lower()} casualties had the most KSI "
            f"({first['KSI']:,} of {float(table['ksi'].sum()):,.1f}) in {period.label}."
        )
    return parts


def road_parts(
    prefix: str, title: str, current: RoadPeriod, previous: RoadPeriod | None, where: str
) -> Parts:
    """Everything road-specific for one area: severity, KSI trend, road users, timing."""
    periods = [p for p in (previous, current) if p is not None]
    parts = severity_parts(prefix, title, periods)
    if previous is not None and previous.months and current.months:
        test = ksi_test(previous, current)
        parts.paragraphs.append(
            f"KSI collisions (recorded severity, monthly counts): {test.c2:,} in {current.label} "
            f"against {test.c1:,} in {previous.label}: {verdict_words(test)}."
        )
        parts.tables.append(
            change_table(
                f"{prefix}-ksi-test",
                f"{title}: the KSI change test",
                [("KSI collisions (recorded)", test)],
                previous.label,
                current.label,
            )
        )
    else:
        parts.paragraphs.append(
            "KSI trend: the collisions loaded do not cover the previous period, so no change "
            "is tested."
        )
    users = road_user_parts(prefix, title, current)
    profile = time_profile(current.collisions)
    figures = time_figures(profile, f"{prefix}-time", "Collisions", f"{where}, {current.label}")
    when = (
        f"When: collisions peak in the hour from {profile.busiest_hour:02d}:00 and on "
        f"{profile.busiest_weekday}s."
        if profile.busiest_hour is not None
        else "When: no collision has a known time."
    )
    return Parts(
        parts.paragraphs + users.paragraphs + [when],
        parts.tables + users.tables,
        figures,
    )
