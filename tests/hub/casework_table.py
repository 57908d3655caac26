"""Who may do what with the demo partnership's casework, written by hand for the sweep.

Nothing here is read from the code under test. The rules, in words (the issue, USERS.md
and the roles' descriptions):

- a case is opened by staff of its lead agency and of agencies it is shared with, if
  their role works or reads cases (coordinator, chair, member, analyst);
- anyone else whose role knows cases exist (all but the auditor, and not a leaver) sees
  its locked-down profile only; the auditor and a leaver get nothing (404);
- people and places are added, notes written, risk assessed and documents uploaded by the
  caseworking roles (coordinator, chair, member, not the analyst) of the lead agency and
  of agencies it is shared with;
- the state, sharing and meetings are the lead agency's caseworkers' alone;
- a person is seen by whoever opens a case they are on, and by the agency that recorded
  them if its role works cases; a place by anyone who knows cases exist; a person's
  addresses and contact details are added by those who work a case they are on, or by the
  caseworkers of the agency that recorded them;
- restricted cases (domestic abuse, exploitation, missing) ask why before they open.

The demo's facts (``hub/demo/casework.py``), restated:

===============  =================  ==============  ========================  =========
case             type               lead            shared with               people
===============  =================  ==============  ========================  =========
capstan          asb                housing         police                    kyle edith
gannet           asb                housing         council                   lewis
harbourside      asb                council         youth police              -
pellow           domestic_abuse     police          housing council           sarah darren mia
cce              exploitation       youth           police                    tyler jason
missing          missing            youth           police                    tyler
saltings         problem_solving    police          council housing           -
oldquay          serious_violence   council         police health             -
===============  =================  ==============  ========================  =========

People recorded by: kyle, edith, lewis by housing; tyler by youth; the rest by police,
among them "Kai Marsdon", a second record of Kyle Marsden on no case, queued in the
merge-review queue (the coordinator's alone: the person.merge permission).
"""

from __future__ import annotations

CASES = {
    "Noise, threats and damage, Capstan Court": ("asb", "housing", {"police"}),
    "Drug use and visitors, Gannet Walk flats": ("asb", "housing", {"council"}),
    "Young people gathering, Harbourside precinct": ("asb", "council", {"youth", "police"}),
    "Domestic abuse, Fieldfare Close household": (
        "domestic_abuse",
        "police",
        {"housing", "council"},
    ),
    "Child criminal exploitation concerns": ("exploitation", "youth", {"police"}),
    "Missing overnight": ("missing", "youth", {"police"}),
    "Burglary hot spot, Saltings estate": ("problem_solving", "police", {"council", "housing"}),
    "Night-time economy violence, Old Quay": ("serious_violence", "council", {"police", "health"}),
}
RESTRICTED_TYPES = {"domestic_abuse", "exploitation", "missing"}
WITH_RISK_TOOL = {"asb", "domestic_abuse", "exploitation", "missing"}
PEOPLE_ON = {
    "Noise, threats and damage, Capstan Court": {"Kyle Marsden", "Edith Quarrington"},
    "Drug use and visitors, Gannet Walk flats": {"Lewis Crane"},
    "Domestic abuse, Fieldfare Close household": {"Sarah Pellow", "Darren Pellow", "Mia Pellow"},
    "Child criminal exploitation concerns": {"Tyler Brook", "Jason Reeve"},
    "Missing overnight": {"Tyler Brook"},
}
RECORDED_BY = {
    "Kyle Marsden": "housing",
    "Edith Quarrington": "housing",
    "Lewis Crane": "housing",
    "Tyler Brook": "youth",
    "Sarah Pellow": "police",
    "Darren Pellow": "police",
    "Mia Pellow": "police",
    "Jason Reeve": "police",
    "Kai Marsdon": "police",  # a second record of Kyle Marsden, queued for review
}

#: Each sweep user: (the agency they act for, their role), None for the leaver.
ACTS = {
    "sam": ("council", "coordinator"),
    "priya": ("police", "analyst"),
    "inspector": ("police", "chair"),
    "dave": ("housing", "member"),
    "jo": ("youth", "member"),
    "fiona": ("fire", "member"),
    "ahmed": ("council", "viewer"),
    "morgan": ("council", "auditor"),
    "kim@fire": ("fire", "chair"),
    "kim@youth": ("youth", "member"),
    "lee": None,
}
READS_CASES = {"coordinator", "chair", "member", "analyst"}
WORKS_CASES = {"coordinator", "chair", "member"}
KNOWS_CASES = {"coordinator", "chair", "member", "analyst", "viewer"}


def _agency_role(user: str) -> tuple[str, str] | tuple[None, None]:
    return ACTS[user] or (None, None)


def opens(user: str, title: str) -> bool:
    agency, role = _agency_role(user)
    _, lead, shared = CASES[title]
    return role in READS_CASES and (agency == lead or agency in shared)


def knows(user: str) -> bool:
    return _agency_role(user)[1] in KNOWS_CASES


def updates(user: str, title: str) -> bool:
    agency, role = _agency_role(user)
    _, lead, shared = CASES[title]
    return role in WORKS_CASES and (agency == lead or agency in shared)


def manages(user: str, title: str) -> bool:
    agency, role = _agency_role(user)
    return role in WORKS_CASES and agency == CASES[title][1]


def sees_person(user: str, name: str) -> bool:
    agency, role = _agency_role(user)
    on_open_case = any(name in PEOPLE_ON.get(t, set()) and opens(user, t) for t in CASES)
    recorded = role in READS_CASES and RECORDED_BY[name] == agency
    return on_open_case or recorded


def updates_person(user: str, name: str) -> bool:
    """Adds a person's addresses and contact details: a caseworking role on a case the
    person is on that the user works, or at the agency that recorded them."""
    agency, role = _agency_role(user)
    if role not in WORKS_CASES:
        return False
    on_worked_case = any(name in PEOPLE_ON.get(t, set()) and updates(user, t) for t in CASES)
    return on_worked_case or RECORDED_BY[name] == agency


#: Pages that are not about one object: who opens each (everyone else 403).
PAGES = {
    "case-list": frozenset(u for u, a in ACTS.items() if a and a[1] in READS_CASES),
    "case-export": frozenset(
        u for u, a in ACTS.items() if a and a[1] in {"coordinator", "chair", "analyst"}
    ),
    "case-new": frozenset(u for u, a in ACTS.items() if a and a[1] in WORKS_CASES),
    "search": frozenset(u for u, a in ACTS.items() if a and a[1] in KNOWS_CASES),
    "duplicate-list": frozenset({"sam"}),
    # the partnership's data-sharing agreements: the coordinator and information governance
    "agreement-list": frozenset({"sam", "morgan"}),
    "agreement-new": frozenset({"sam", "morgan"}),
    "merge-list": frozenset({"sam"}),
    # the places of an LSOA: a place is seen by anyone who knows cases exist
    "places-in-lsoa": frozenset(u for u, a in ACTS.items() if a and a[1] in KNOWS_CASES),
}
