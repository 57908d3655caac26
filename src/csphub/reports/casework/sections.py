"""The hub's casework in a product: cases by type, problem places and the hot LSOAs' cases.

Products are circulated widely, so nothing here names a person: people are counted by
role, never listed. Places are listed by address (they are places, not people) with the
references and lead agencies of the cases that name them, except places named only by a
restricted case (domestic abuse, exploitation, missing): a refuge or a child's home must
not reach a pack, so those cases are counted in every table but their places and
references are never listed. A case belongs to the area when it names a place in one of
the area's LSOAs; the cases that cannot be placed are counted in a sentence.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from csphub.reports.casework.hub import CaseRow, Casework, HubSource, PlaceRow, read_casework
from csphub.reports.document.model import Section, Table

SECTION_ID = "casework"
TITLE = "Problem people and places from casework"
#: The one line a product carries when no hub database was given.
NO_HUB = (
    "The partnership hub's cases are not included: give the hub folder with --hub-dir DIR "
    "(or its database with --hub-database URL) to add open cases, problem places and "
    "counts of the people on them."
)
#: People columns of the cases-by-type table: (heading, party roles counted).
PEOPLE = (
    ("Subjects or perpetrators", ("subject",)),
    ("Victims and complainants", ("victim", "complainant")),
    ("Children at risk", ("child_at_risk",)),
    ("Adults of concern", ("adult_of_concern",)),
    ("Witnesses", ("witness",)),
)


@dataclass(frozen=True)
class AreaCasework:
    """The period's cases that name a place in the area, and what could not be placed."""

    work: Casework
    cases: tuple[CaseRow, ...]
    places: dict[int, tuple[int, ...]]  # place id (in the area) -> case ids naming it
    no_place: int  # cases naming no place
    no_lsoa: int  # cases whose places have no LSOA (no coordinates, off the boundaries)
    elsewhere: int  # cases whose located places are all outside the area

    def parties_of(self, case_ids: Iterable[int]) -> list:
        wanted = set(case_ids)
        return [p for p in self.work.parties if p.case_id in wanted]


def in_area(work: Casework, lsoas: Iterable[str]) -> AreaCasework:
    """The cases of ``work`` naming a place in one of ``lsoas``."""
    area = set(lsoas)
    named: dict[int, list[PlaceRow]] = defaultdict(list)
    for party in work.parties:
        if party.place_id is not None and party.place_id in work.places:
            named[party.case_id].append(work.places[party.place_id])
    cases, places = [], defaultdict(list)
    no_place = no_lsoa = elsewhere = 0
    for case in work.cases:
        mine = named.get(case.id, [])
        inside = [p for p in mine if p.lsoa_code in area]
        if inside:
            cases.append(case)
            for place in inside:
                if case.id not in places[place.id]:
                    places[place.id].append(case.id)
        elif not mine:
            no_place += 1
        elif not any(p.lsoa_code for p in mine):
            no_lsoa += 1
        else:
            elsewhere += 1
    return AreaCasework(
        work,
        tuple(cases),
        {k: tuple(v) for k, v in places.items()},
        no_place,
        no_lsoa,
        elsewhere,
    )


def _between(day: dt.date | None, work: Casework) -> bool:
    return day is not None and work.start <= day <= work.end


def by_type_rows(area: AreaCasework, names: dict[str, str]) -> list[dict[str, Any]]:
    """One row per case type with cases in the area, then all types: cases open, opened
    and closed in the period, places of concern and distinct people in each role."""
    groups: dict[str, list[CaseRow]] = defaultdict(list)
    for case in area.cases:
        groups[case.case_type].append(case)
    ordered = [(names.get(code, code), cases) for code, cases in groups.items()]
    ordered.sort(key=lambda item: item[0])
    if ordered:
        ordered.append(("All types", list(area.cases)))
    rows = []
    for name, cases in ordered:
        ids = {c.id for c in cases}
        parties = area.parties_of(ids)
        row: dict[str, Any] = {
            "Case type": name,
            "Open in the period": len(cases),
            "Opened in the period": sum(_between(c.opened, area.work) for c in cases),
            "Closed in the period": sum(_between(c.closed, area.work) for c in cases),
            "Places of concern in the area": sum(1 for cs in area.places.values() if ids & set(cs)),
        }
        for heading, roles in PEOPLE:
            people = {p.person_id for p in parties if p.role in roles and p.person_id}
            row[heading] = len(people)
        rows.append(row)
    return rows


def _listed(area: AreaCasework, case_ids: Sequence[int]) -> list[CaseRow]:
    """The cases that may be listed by reference: not restricted."""
    by_id = {c.id: c for c in area.cases}
    return sorted((by_id[i] for i in case_ids if not by_id[i].restricted), key=_ref)


def _ref(case: CaseRow) -> str:
    return case.reference


def place_rows(area: AreaCasework, names: dict[str, str]) -> tuple[list[dict[str, Any]], int]:
    """Places of concern named by a case that is not restricted, with those cases; and
    the number of places withheld (named only by restricted cases)."""
    rows, withheld = [], 0
    for place_id, case_ids in area.places.items():
        place = area.work.places[place_id]
        listed = _listed(area, case_ids)
        if not listed:
            withheld += 1
            continue
        rows.append(
            {
                "Place": place.label,
                "LSOA": place.lsoa_code,
                "LSOA name": place.lsoa_name,
                "Ward": place.ward_name or place.ward_code,
                "Cases": "; ".join(c.reference for c in listed),
                "Case types": "; ".join(
                    sorted({names.get(c.case_type, c.case_type) for c in listed})
                ),
                "Lead agencies": "; ".join(sorted({c.lead_agency for c in listed})),
            }
        )
    rows.sort(key=lambda r: (r["LSOA"], r["Place"]))
    return rows, withheld


def read_for(hub: HubSource | None, start: dt.date, end: dt.date) -> Casework | None:
    """The hub's casework of the period, or None without a hub (:class:`HubUnreadable`
    when one was named but cannot be read: the user asked for it, so say so)."""
    return None if hub is None else read_casework(hub, start, end)


def casework_section(
    work: Casework | None, lsoas: Iterable[str], area_name: str, period_name: str
) -> Section:
    """The section on the hub's cases in the area and period; one line without a hub."""
    if work is None:
        return Section(SECTION_ID, TITLE, unavailable=NO_HUB)
    from csphub.reports.casework.hub import type_names

    names = type_names()
    area = in_area(work, lsoas)
    places, withheld = place_rows(area, names)
    paragraphs = [
        f"From {work.source}: the cases open at any time in {period_name} that name a place "
        f"of concern in {area_name}. People are counted by their role on a case, once per "
        "type: no one is named. Handle this section under the partnership's information "
        "sharing agreement.",
        "Cases that name no place, or only places without an LSOA (no map position, or "
        f"outside the loaded boundaries) or outside {area_name}, are not in the tables by "
        "type and place; the coverage table counts them.",
    ]
    coverage = Table.of(
        "casework-coverage",
        f"The hub's cases open in {period_name}: which are counted",
        [
            {"Measure": "Cases open in the hub in the period", "Count": len(work.cases)},
            {"Measure": f"Cases naming a place in {area_name}", "Count": len(area.cases)},
            {"Measure": "Cases naming no place", "Count": area.no_place},
            {"Measure": "Cases naming only places without an LSOA", "Count": area.no_lsoa},
            {"Measure": f"Cases naming only places outside {area_name}", "Count": area.elsewhere},
            {"Measure": "Places named only by restricted cases (not listed)", "Count": withheld},
        ],
    )
    if not area.cases:
        paragraphs.append(f"No case open in {period_name} names a place in {area_name}.")
        return Section(SECTION_ID, TITLE, tuple(paragraphs), (coverage,))
    paragraphs.append(
        "Problem places are listed by address with the cases that name them. Places named "
        "only by restricted cases (domestic abuse, exploitation, missing) are counted in the "
        "table by type but not listed, and restricted cases are never listed by reference"
        + (f": {withheld} place(s) withheld." if withheld else ".")
    )
    tables = [
        Table.of(
            "casework-by-type",
            f"Cases open in {period_name} naming a place in {area_name}, by type",
            by_type_rows(area, names),
        ),
        coverage,
    ]
    if places:
        tables.append(
            Table.of(
                "casework-places",
                f"Problem places in the hub's cases, {period_name}",
                places,
                identifiers=True,  # addresses and case references: the product is marked
            )
        )
    return Section(SECTION_ID, TITLE, tuple(paragraphs), tuple(tables))


def hot_lsoa_rows(work: Casework, listed: Sequence[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """For each (LSOA, name, why) of the hot spots and near-repeat alerts: the casework
    places in it and the open cases naming them (references of those not restricted)."""
    area = in_area(work, [code for code, _, _ in listed])
    rows = []
    for code, name, why in listed:
        place_ids = [pid for pid in area.places if work.places[pid].lsoa_code == code]
        case_ids = sorted({c for pid in place_ids for c in area.places[pid]})
        shown = _listed(area, case_ids)
        references = "; ".join(c.reference for c in shown)
        if len(shown) < len(case_ids):
            references = "; ".join(
                filter(None, [references, f"{len(case_ids) - len(shown)} restricted"])
            )
        rows.append(
            {
                "LSOA": code,
                "Name": name,
                "Listed for": why,
                "Casework places": len(place_ids),
                "Open cases naming a place": len(case_ids),
                "Case references": references,
            }
        )
    return rows
