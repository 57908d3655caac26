"""Repeat locations: the police.uk map points with most ASB in the quarter, and how many of
the last quarters each was among the busiest ("persistent").

Police.uk places every row at an anonymised map point and now and then redraws the set of
points (Blackpool's changed almost entirely in July 2022), so a point's history only means
something while the set is the same: quarters whose points barely overlap the quarter's
are not compared, and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from csphub.analysis.store_inputs import snap_point_counts
from csphub.reports.asb.context import ASB_WHERE
from csphub.reports.asb.quarters import quarter_label
from csphub.reports.document.model import Section, Table

if TYPE_CHECKING:
    from csphub.analysis.store_inputs import Period
    from csphub.reports.asb.context import Context

#: Places listed in each table, and the size of a quarter's "top list" of map locations.
TOP = 10
#: A location is persistent when in the top list in this many of the last quarters...
PERSISTENT_MIN = 3
#: ... counting the quarter itself and the ones before it, as far as they are loaded.
PERSISTENCE_QUARTERS = 4
#: An earlier quarter is compared only when at least this share of the quarter's map points
#: (any crime type) were also used in it.
MIN_OVERLAP = 0.5
PERSISTENT = (
    f"Busiest {TOP} map locations that are persistent (in the top list in at least "
    f"{PERSISTENT_MIN} of the last {PERSISTENCE_QUARTERS} quarters)"
)


def _ranked_points(ctx: Context, period: Period) -> pd.DataFrame:
    """Map locations with ASB in the period, busiest first, with their rank (ties share)."""
    table = snap_point_counts(ctx.store, period, ctx.area, ASB_WHERE).table
    table = table.sort_values(["count", "location_id"], ascending=[False, True], ignore_index=True)
    return table.assign(rank=table["count"].rank(method="min", ascending=False).astype(int))


def _points(ctx: Context, period: Period) -> set[str]:
    """Map points of the area used by any located row of the period (any crime type)."""
    return set(snap_point_counts(ctx.store, period, ctx.area, None).table["location_id"])


def _compared_quarters(ctx: Context) -> tuple[list[Period], list[dict[str, Any]]]:
    """The loaded quarters of the persistence window that share the quarter's map points,
    and a row per loaded quarter saying how much they share."""
    now = _points(ctx, ctx.quarter)
    compared, rows = [], []
    for k in range(PERSISTENCE_QUARTERS):
        quarter = ctx.shifted(-k)
        if not ctx.loaded(quarter):
            continue
        points = _points(ctx, quarter)
        shared = len(now & points) / len(now) if now else 0.0
        ok = k == 0 or shared >= MIN_OVERLAP
        rows.append(
            {
                "Quarter": quarter_label(quarter),
                "Map points used (any crime)": len(points),
                "Share of this quarter's points also used (%)": round(100 * shared, 1),
                "Compared": "Yes" if ok else "No",
            }
        )
        if ok:
            compared.append(quarter)
    return compared, rows


@dataclass(frozen=True)
class Locations:
    """The section, how many listed locations are persistent (None when too few comparable
    quarters are loaded to tell) and whether police.uk redrew its map points meanwhile."""

    section: Section
    persistent: int | None
    redrawn: bool


def locations_section(ctx: Context) -> Locations:
    compared, overlap = _compared_quarters(ctx)
    tops = {}
    for q in compared:
        ranked = _ranked_points(ctx, q)
        tops[quarter_label(q)] = set(ranked.loc[ranked["rank"] <= TOP, "location_id"])
    last_year = ctx.shifted(-4)
    before = None
    if last_year in compared:
        before = snap_point_counts(ctx.store, last_year, ctx.area, ASB_WHERE).table
        before = before.set_index("location_id")["count"]
    in_top = f"Quarters in the top {TOP} (of the last {len(compared)})"
    judged = len(compared) >= PERSISTENT_MIN
    rows = []
    for r in _ranked_points(ctx, ctx.quarter).head(TOP).to_dict("records"):
        times = sum(r["location_id"] in top for top in tops.values())
        row: dict[str, Any] = {
            "Location": r["location"],
            "Longitude": round(float(r["longitude"]), 6),
            "Latitude": round(float(r["latitude"]), 6),
            "ASB incidents": int(r["count"]),
        }
        if before is not None:
            row["Same quarter last year"] = int(before.get(r["location_id"], 0))
        row[in_top] = times
        if judged:
            row["Persistent"] = "Yes" if times >= PERSISTENT_MIN else "No"
        rows.append(row)
    paragraphs = [
        "Police.uk publishes each incident at an anonymised map point (the nearest of a fixed "
        "set of points such as a street or a landmark), not at an address, so these are "
        "places, not homes. Each quarter's top list holds the busiest locations, ties at "
        "the cut included; a location is persistent when it is in the top list in at least "
        f"{PERSISTENT_MIN} of the last {PERSISTENCE_QUARTERS} quarters "
        f"({', '.join(tops)} compared).",
    ]
    redrawn = any(r["Compared"] == "No" for r in overlap)
    if redrawn:
        paragraphs.append(
            "Police.uk redrew its map points: quarters sharing less than "
            f"{MIN_OVERLAP:.0%} of this quarter's points are not compared, because the same "
            "place has a different point in them."
        )
    if not judged and len(overlap) < PERSISTENCE_QUARTERS:
        paragraphs.append(
            "Too few comparable quarters are loaded to judge persistence: load the earlier "
            "quarters with csphub ingest police-uk PATH."
        )
    elif not judged:
        paragraphs.append("Persistence is not judged: too few quarters share the map points.")
    caption = f"The {len(rows)} police.uk map locations with most ASB, {ctx.name}"
    tables = (Table.of("busiest-locations", caption, rows),) if rows else ()
    tables += (Table.of("map-point-overlap", "Quarters compared for persistence", overlap),)
    section = Section(
        "busiest-locations", "Repeat locations (police.uk map points)", tuple(paragraphs), tables
    )
    persistent = sum(r["Persistent"] == "Yes" for r in rows) if judged else None
    return Locations(section, persistent, redrawn)
