"""Problem people: repeat victims and complainants, repeat alleged perpetrators and repeat
addresses of ASB in the quarter, from the partner event extracts (``vol_rankings``).

Ids are the extracts' pseudonymous keys only. Without extracts for the quarter the section
says which data would support it and how to load them, rather than printing numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from csphub.analysis.concentration import known_id_mask
from csphub.analysis.harm import load_weights
from csphub.analysis.store_inputs import (
    InputError,
    agencies,
    events_frame,
    require_months,
    vol_events,
)
from csphub.analysis.vol import vol_rankings
from csphub.reports.asb.context import ASB_WHERE
from csphub.reports.common.repeats import TOP, repeat_section
from csphub.reports.document.model import Section, Table

if TYPE_CHECKING:
    from csphub.reports.asb.context import Context

TITLE = "Problem people"
#: Events in the quarter that make a person or an address a repeat.
MIN_REPEAT = 2
LOAD_EVENTS = (
    "Repeat victims, complainants, perpetrators and addresses need event-level ASB records "
    "with pseudonymous person and address ids, from the police and partners such as the "
    "landlord's ASB case log, in the template of docs/partner-extract.md: load them with "
    "csphub ingest events PATH."
)
REPEAT_VICTIMS = "Repeat victims and complainants"
REPEAT_OFFENDERS = "Repeat alleged perpetrators"
#: vol_rankings role, id column, heading, noun, and what the id names.
ROLES = (
    ("victims", "victim_id", REPEAT_VICTIMS, "victims and complainants", "victim or complainant"),
    ("offenders", "offender_id", REPEAT_OFFENDERS, "alleged perpetrators", "alleged perpetrator"),
    ("locations", "address_id", "Repeat addresses", "addresses", "address"),
)
PERSON_COLUMNS = ("Id", "Events", "Agencies", "Addresses", "First seen", "Last seen")
ADDRESS_COLUMNS = ("Id", "Events", "Agencies", "First seen", "Last seen")


def people_section(ctx: Context) -> Section:
    if not agencies(ctx.store):
        return Section(
            "problem-people", TITLE, unavailable=f"No partner extracts are loaded. {LOAD_EVENTS}"
        )
    try:
        require_months(ctx.store, ctx.quarter.months, "events")
    except InputError as exc:
        return Section(
            "problem-people", TITLE, unavailable=f"Partner extracts do not cover {ctx.name}: {exc}."
        )
    frame = events_frame(
        ctx.store, where=ASB_WHERE, area=ctx.area, date_from=ctx.start_date, date_to=ctx.end_date
    )
    if frame.empty:
        return Section(
            "problem-people",
            TITLE,
            unavailable=f"The partner extracts hold no ASB events in {ctx.area.name} in "
            f"{ctx.name}.",
        )
    # ASB has no harm weight, so no harm is shown; vol_rankings still takes a weight table.
    result = vol_rankings(
        vol_events(frame), ctx.end_date, load_weights("css"), months=3, min_repeat=MIN_REPEAT
    )
    subsections = []
    for role, column, label, noun, _ in ROLES:
        subsections.append(
            repeat_section(
                role,
                label,
                getattr(result, role),
                window=ctx.name,
                columns=ADDRESS_COLUMNS if role == "locations" else PERSON_COLUMNS,
                noun=noun,
                top=TOP,
                agencies=_agencies_by_id(frame, column),
                within="in the quarter",
            )
        )
    paragraphs = (
        f"ASB reports of {ctx.name} in the partner extracts (events dated in the quarter, in "
        f"the area's LSOAs). A repeat is a person or address in {MIN_REPEAT} or more reports; "
        f"the {TOP} with most reports are listed.",
        "Each agency's record counts once, so one incident reported to two agencies (say the "
        "police and the landlord) counts twice: check the Agencies column before acting.",
        "Ids are the extracts' pseudonymous keys, never names: handle this section as the "
        "extracts are handled, under the partnership's information sharing agreement.",
    )
    tables = (
        Table.of("people-summary", f"Problem people at a glance, {ctx.name}", _glance(result)),
        Table.of("people-by-agency", f"ASB reports by agency, {ctx.name}", _by_agency(frame)),
    )
    return Section("problem-people", TITLE, paragraphs, tables, subsections=tuple(subsections))


def _agencies_by_id(frame: pd.DataFrame, column: str) -> dict[str, str]:
    """Id (trimmed, as ``vol_rankings`` keys it) to the agencies that recorded it."""
    known = frame.loc[known_id_mask(frame[column]), [column, "agency"]]
    ids = known[column].astype("string").str.strip()
    grouped = known["agency"].groupby(ids).agg(lambda a: "; ".join(sorted(set(a))))
    return grouped.to_dict()


def _glance(result) -> list[dict[str, Any]]:
    notes = result.data_notes
    rows: list[dict[str, Any]] = [
        {"Measure": "ASB reports in the quarter", "Value": notes["events_in_window"]}
    ]
    for role, column, label, _, named in ROLES:
        table = getattr(result, role)
        rows += [
            {
                "Measure": f"Reports with an id for the {named}",
                "Value": notes["events_in_window"] - notes[f"events_without_{column}"],
            },
            {"Measure": label, "Value": int(table["repeat"].sum())},
        ]
    rows.append(
        {
            "Measure": "People both a victim or complainant and an alleged perpetrator",
            "Value": len(result.victim_offenders),
        }
    )
    return rows


def _by_agency(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Distinct reports of each agency, and how many carry each id."""
    rows = []
    for agency, part in frame.groupby("agency", sort=True):
        row: dict[str, Any] = {"Agency": agency, "ASB reports": part["event_id"].nunique()}
        for _, column, _, _, named in ROLES:
            with_id = part.loc[known_id_mask(part[column]), "event_id"].nunique()
            row[f"With an id for the {named}"] = int(with_id)
        rows.append(row)
    return rows
