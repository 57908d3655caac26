"""Top repeat victims, offenders and locations of a ``vol_rankings`` result as a section."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from csphub.reports.document.model import Section, Table

TOP = 10
#: Columns of the tasking pack's tables (locations also get "LSOA").
VOL_COLUMNS = ("Id", "Events", "Harm (days)", "Main crime type", "First seen", "Last seen")


def _row(record: dict[str, Any], agencies: Mapping[str, str] | None) -> dict[str, Any]:
    row = {
        "Id": record["id"],
        "Events": int(record["events"]),
        "Agencies": (agencies or {}).get(record["id"]),
        "Harm (days)": round(float(record["harm"]), 1),
        "Main crime type": record["main_crime_type"],
        "First seen": pd.Timestamp(record["first_seen"]).date().isoformat(),
        "Last seen": pd.Timestamp(record["last_seen"]).date().isoformat(),
    }
    if "n_places" in record:
        row["Addresses"] = int(record["n_places"])
    if "lsoa_code" in record:
        row["LSOA"] = record["lsoa_code"]
    return row


def repeat_section(
    role: str,
    label: str,
    table: pd.DataFrame,
    *,
    window: str,
    columns: Sequence[str] = VOL_COLUMNS,
    noun: str | None = None,
    top: int = TOP,
    agencies: Mapping[str, str] | None = None,
    within: str = "in the window",
) -> Section:
    """The ``top`` repeats (``repeat`` rows by ``rank_count``, then id) of one role of a
    ``vol_rankings`` result (``role``: victims, offenders or locations) as a subsection.

    ``window`` ends the caption ("12 months to December 2025"); ``columns`` picks the
    table's columns ("LSOA" is added for locations); ``agencies`` maps an id to the
    agencies that recorded it (for the "Agencies" column); ``noun`` names the role in the
    text (default ``role``) and ``within`` the period in it.
    """
    noun = noun or role
    repeats = table.loc[table["repeat"]].sort_values(["rank_count", "id"]).head(top)
    rows = [_row(r, agencies) for r in repeats.to_dict("records")]
    n = int(table["repeat"].sum())
    paragraph = f"{n:,} repeat {noun} {within}."
    if not rows:
        return Section(f"repeat-{role}", label, (paragraph,))
    keep = [c for c in (*columns, "LSOA") if c in rows[0]]
    caption = f"Top {len(rows)} repeat {noun} by events, {window}"
    return Section(
        f"repeat-{role}",
        label,
        (paragraph,),
        (Table.of(f"repeat-{role}", caption, rows, keep, identifiers=True),),
    )
