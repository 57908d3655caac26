"""The pack's casework section: the hub's cases of the month in the area and, for each hot
spot LSOA and each LSOA of a near-repeat alert, the open cases that name a place in it
(:mod:`csphub.reports.casework`). Built from the hotspot and near-repeat sections already
made, so the LSOAs are exactly the pack's."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from csphub.reports.casework.hub import HubSource
from csphub.reports.casework.sections import casework_section, hot_lsoa_rows, read_for
from csphub.reports.common.places import lsoa_names
from csphub.reports.document.model import Section, Table

if TYPE_CHECKING:
    from csphub.reports.tasking.build import Context


def _listed(ctx: Context, hot: Section, near: Section) -> list[tuple[str, str, str]]:
    """(LSOA, name, why) of every hot spot and near-repeat LSOA of the pack, in its order."""
    why: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for table in hot.tables:
        for row in table.rows:
            names[row["LSOA"]] = row["Name"]
            kinds = [k for k in ("Emerging", "Persistent") if row.get(f"{k} hotspot") == "Yes"]
            why.setdefault(row["LSOA"], []).append(f"{' and '.join(kinds).lower()} hot spot")
    alert = [r["LSOA"] for t in near.tables for r in t.rows if r.get("LSOA")]
    for code in dict.fromkeys(alert):
        why.setdefault(code, []).append("near-repeat alert")
    missing = [c for c in why if c not in names]
    if missing:
        names.update(lsoa_names(ctx.store, missing))
    return [(code, names.get(code, code), "; ".join(w).capitalize()) for code, w in why.items()]


def casework_section_of(
    ctx: Context, hub: HubSource | None, hot: Section, near: Section
) -> Section:
    start = dt.date.fromisoformat(f"{ctx.month}-01")
    work = read_for(hub, start, ctx.month_end)
    section = casework_section(work, ctx.area.lsoa_codes, ctx.area.name, ctx.month_label)
    listed = _listed(ctx, hot, near)
    if work is None or not listed:
        return section
    table = Table.of(
        "casework-hot-lsoas",
        f"Hot spot and near-repeat LSOAs: the hub's cases open in {ctx.month_label}",
        hot_lsoa_rows(work, listed),
        identifiers=True,  # case references: the product is marked
    )
    lead = (
        "Each hot spot and near-repeat LSOA of this pack, with the places of concern the "
        "hub holds in it and the cases open in the month that name them (restricted cases "
        "counted, not listed).",
    )
    return Section(
        section.id,
        section.title,
        lead + section.paragraphs,
        (table, *section.tables),
        unavailable=section.unavailable,
    )
