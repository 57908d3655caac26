"""Casework for the demo partnership: a data-sharing agreement, invented people and places
of Brackwater, and cases spread so that each demo user has real work (dave's ASB cases, a
domestic-abuse household the police lead and share with housing, a child at risk whom the
youth service works with the police, a problem-solving plan for a burglary hot spot, the
council's serious-violence work). Fire and the councillor have none shared with them, so
they see locked-down profiles only.

Every name is invented. Places sit at fixed offsets from the demo town's centre, so they
fall inside the demo borough and its evidence store's boundaries: the town-centre ones in
the Gi* hot spots of the demo's last month, Saltings and Fieldfare Close where its
near-repeat burglary alert is (seed 2026, the default). The cases were opened in the
last months of the demo's evidence (to December 2025), so the products of that time (the
tasking pack of December 2025, the ASB report of 2025 Q4) find them. Written through the
models and recorded in the audit trail as the system run ``csphub demo``; idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.utils import timezone

from csphub.demo.coords import to_lonlat
from csphub.demo.town import CENTRE_BNG
from csphub.hub.access.models import Agency
from csphub.hub.audit.context import system
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record, snapshot
from csphub.hub.casework.models import (
    Case,
    CaseParty,
    CaseShare,
    Person,
    PersonAddress,
    PersonAlias,
    PersonIdentifier,
    Place,
    RiskAssessment,
    SharingAgreement,
    TimelineEntry,
)
from csphub.hub.casework.places import locate
from csphub.hub.casework.types import case_types, risk_tools

SYSTEM = "csphub demo"
AGREEMENT = "Brackwater Community Safety Partnership information sharing protocol"

#: The demo town's centre in British National Grid metres: csphub.demo.geography puts it
#: 450 m inland of the coast and 600 m north of the grid's centre (2,140 m west of it for
#: seed 2026; within about 250 m of that for any seed).
TOWN_CENTRE = (CENTRE_BNG[0] - 2140.0, CENTRE_BNG[1] + 600.0)
#: The last day of the demo's evidence (csphub demo generates 36 months to 2025-12).
EVIDENCE_END = dt.date(2025, 12, 31)
#: (key, name, address, postcode, metres east and north of the town centre)
PLACES = (
    ("capstan", "", "12 Capstan Court", "BW1 4CC", 350, -220),
    ("gannet", "Gannet Walk flats", "1-40 Gannet Walk", "BW2 7GW", 640, 410),
    ("harbourside", "Harbourside precinct", "Harbourside Parade", "BW1 1HP", 80, 120),
    ("pellow", "", "7 Fieldfare Close", "BW3 2FC", 1250, 900),
    ("anchor", "Former Anchor Inn car park", "Old Quay Road", "BW1 2OQ", -150, -80),
    ("saltings", "Saltings estate", "Dunlin Road", "BW4 5DR", 900, 100),
    ("oldquay", "Old Quay night-time economy area", "Old Quay", "BW1 2OQ", -60, -30),
)
#: (key, given, family, dob or None, age band, gender, child, alias, identifiers, home)
PEOPLE = (
    (
        "kyle",
        "Kyle",
        "Marsden",
        dt.date(1998, 3, 14),
        "",
        "male",
        False,
        "Kai Marsden",
        [("tenancy", "BH-T-204417")],
        "capstan",
    ),
    ("edith", "Edith", "Quarrington", None, "65+", "female", False, "", [], "capstan"),
    (
        "lewis",
        "Lewis",
        "Crane",
        dt.date(1991, 11, 2),
        "",
        "male",
        False,
        "",
        [("police_nominal", "DS/19/88213")],
        "gannet",
    ),
    ("sarah", "Sarah", "Pellow", dt.date(1989, 6, 30), "", "female", False, "", [], "pellow"),
    (
        "darren",
        "Darren",
        "Pellow",
        dt.date(1986, 1, 9),
        "",
        "male",
        False,
        "Daz Pellow",
        [("police_nominal", "DS/12/40071")],
        "pellow",
    ),
    ("mia", "Mia", "Pellow", dt.date(2016, 9, 21), "", "female", True, "", [], "pellow"),
    (
        "tyler",
        "Tyler",
        "Brook",
        dt.date(2011, 5, 3),
        "",
        "male",
        True,
        "",
        [("childrens_system", "CS-558130")],
        "saltings",
    ),
    (
        "jason",
        "Jason",
        "Reeve",
        dt.date(1995, 8, 17),
        "",
        "male",
        False,
        "J Reeve",
        [("police_nominal", "DS/16/71502")],
        "gannet",
    ),
)


def _created(obj: Any, subjects: list[tuple[str, int]] | None = None) -> None:
    record(Event.CREATE, obj, ctx=system(SYSTEM), after=snapshot(obj), subjects=subjects or [])


def _agreement(today: dt.date) -> SharingAgreement:
    found = SharingAgreement.objects.filter(title=AGREEMENT).first()
    if found is not None:
        return found
    row = SharingAgreement.objects.create(
        title=AGREEMENT,
        purpose=(
            "Reducing crime, disorder, antisocial behaviour, substance misuse and "
            "reoffending, and protecting vulnerable people, in Brackwater."
        ),
        legal_basis=(
            "Crime and Disorder Act 1998 s.115 and s.17A; UK GDPR Art. 6(1)(e); "
            "DPA 2018 s.35 and Sch. 8"
        ),
        signed_on=today - dt.timedelta(days=240),
        review_date=today + dt.timedelta(days=365),
    )
    row.parties.set(Agency.objects.all())
    _created(row)
    return row


def _places(agencies: dict[str, Agency], users: dict[str, Any]) -> dict[str, Place]:
    out = {}
    for key, name, address, postcode, east, north in PLACES:
        found = Place.objects.filter(address=address, name=name).first()
        if found is None:
            lon, lat = to_lonlat(
                np.array([TOWN_CENTRE[0] + east]), np.array([TOWN_CENTRE[1] + north])
            )
            found = Place(
                name=name,
                address=address,
                town="Brackwater",
                postcode=postcode,
                longitude=float(lon[0]),
                latitude=float(lat[0]),
                created_agency=agencies["council"],
                created_by=users["sam"],
            )
            if (where := locate(found.longitude, found.latitude)) is not None:
                found.lsoa_code, found.lsoa_name = where.lsoa_code, where.lsoa_name
                found.ward_code, found.ward_name = where.ward_code, where.ward_name
            found.save()
            _created(found)
        out[key] = found
    return out


def _people(
    places: dict[str, Place], agencies: dict[str, Agency], users: dict[str, Any]
) -> dict[str, Person]:
    out = {}
    owner_of = {"kyle": "dave", "edith": "dave", "lewis": "dave", "tyler": "jo"}
    for key, given, family, dob, band, gender, child, alias, ids, home in PEOPLE:
        found = Person.objects.filter(given_name=given, family_name=family, dob=dob).first()
        if found is None:
            who = users[owner_of.get(key, "inspector")]
            agency = who.memberships.filter(active=True).first().agency
            found = Person.objects.create(
                given_name=given,
                family_name=family,
                dob=dob,
                age_band=band,
                gender=gender,
                child=child,
                created_agency=agency,
                created_by=who,
            )
            if alias:
                a_given, _, a_family = alias.rpartition(" ")
                PersonAlias.objects.create(person=found, given_name=a_given, family_name=a_family)
            for scheme, value in ids:
                PersonIdentifier.objects.create(
                    person=found, scheme=scheme, value=value, agency=agency
                )
            PersonAddress.objects.create(
                person=found, place=places[home], from_date=dt.date(2024, 1, 1)
            )
            _created(found, [("person", found.pk)])
        out[key] = found
    return out


#: (title, type, lead, owner, state, parties [(role, person|place key)], shared with,
#:  risk answers (yes keys) or None, timeline notes)
CASES = (
    (
        "Noise, threats and damage, Capstan Court",
        "asb",
        "housing",
        "dave",
        "investigating",
        [("subject", "kyle"), ("complainant", "edith"), ("place_of_concern", "capstan")],
        ["police"],
        ["repeat", "alone", "fear", "violence", "health"],
        [
            "Complaint from the neighbour: shouting, door kicked, threats at night.",
            "Visited the complainant; diary sheets left.",
        ],
    ),
    (
        "Drug use and visitors, Gannet Walk flats",
        "asb",
        "housing",
        "dave",
        "action_plan",
        [("subject", "lewis"), ("place_of_concern", "gannet")],
        ["council"],
        ["repeat", "children"],
        ["Reports of visitors at all hours and drug paraphernalia in the stairwell."],
    ),
    (
        "Young people gathering, Harbourside precinct",
        "asb",
        "council",
        "sam",
        "open",
        [("place_of_concern", "harbourside")],
        ["youth", "police"],
        None,
        ["Shopkeepers report groups of young people and damage after school."],
    ),
    (
        "Domestic abuse, Fieldfare Close household",
        "domestic_abuse",
        "police",
        "inspector",
        "marac",
        [
            ("victim", "sarah"),
            ("subject", "darren"),
            ("child_at_risk", "mia"),
            ("place_of_concern", "pellow"),
        ],
        ["housing", "council"],
        [
            "injury",
            "frightened",
            "fear_of",
            "isolated",
            "separation",
            "child_contact",
            "stalking",
            "more_often",
            "worse",
            "control",
            "threat_kill",
            "strangle",
            "breach",
            "police",
        ],
        ["Third call-out this year. Victim fears for her life.", "Referred to MARAC."],
    ),
    (
        "Child criminal exploitation concerns",
        "exploitation",
        "youth",
        "jo",
        "strategy",
        [("child_at_risk", "tyler"), ("adult_of_concern", "jason"), ("place_of_concern", "anchor")],
        ["police"],
        ["missing", "older_associates", "unexplained_goods", "drugs", "school"],
        ["Seen with an older male at the Anchor car park; new phone and trainers."],
    ),
    (
        "Missing overnight",
        "missing",
        "youth",
        "jo",
        "returned",
        [("child_at_risk", "tyler")],
        ["police"],
        None,
        ["Reported missing at 22:10, found at 06:30 at a friend's address."],
    ),
    (
        "Burglary hot spot, Saltings estate",
        "problem_solving",
        "police",
        "inspector",
        "analysis",
        [("place_of_concern", "saltings")],
        ["council", "housing"],
        None,
        ["Near-repeat burglaries on Dunlin Road over six weeks; rear access from the footpath."],
    ),
    (
        "Night-time economy violence, Old Quay",
        "serious_violence",
        "council",
        "sam",
        "plan",
        [("place_of_concern", "oldquay")],
        ["police", "health"],
        None,
        ["A&E assault data and police records agree on Friday and Saturday 23:00-03:00."],
    ),
)

#: When each case was opened: within the demo's evidence, two before 2025 Q4, the rest in it.
OPENED = {
    "Noise, threats and damage, Capstan Court": dt.date(2025, 10, 14),
    "Drug use and visitors, Gannet Walk flats": dt.date(2025, 9, 2),
    "Young people gathering, Harbourside precinct": dt.date(2025, 11, 20),
    "Domestic abuse, Fieldfare Close household": dt.date(2025, 12, 3),
    "Child criminal exploitation concerns": dt.date(2025, 11, 5),
    "Missing overnight": dt.date(2025, 12, 12),
    "Burglary hot spot, Saltings estate": dt.date(2025, 10, 27),
    "Night-time economy violence, Old Quay": dt.date(2025, 8, 15),
}


def seed_casework(today: dt.date | None = None) -> int:
    """The demo's casework (nothing when it is there already). Returns rows created."""
    today = today or timezone.localdate()
    if Case.objects.exists():
        return 0
    User = get_user_model()
    users = {u.username: u for u in User.objects.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    agreement = _agreement(today)
    places = _places(agencies, users)
    people = _people(places, agencies, users)
    created = 1 + len(places) + len(people)
    for title, code, lead, owner, state, parties, shared, risk, notes in CASES:
        kind = case_types()[code]
        case = Case(
            reference=f"new-{title[:16]}",
            case_type=code,
            title=title,
            state=state,
            lead_agency=agencies[lead],
            owner=users[owner],
            restricted=kind.restricted,
            created_by=users[owner],
        )
        case.save()
        case.reference = f"{kind.prefix}-{case.pk:06d}"
        case.save(update_fields=["reference"])
        opened = dt.datetime.combine(OPENED[title], dt.time(10), timezone.get_current_timezone())
        Case.objects.filter(pk=case.pk).update(opened_at=opened)  # auto_now_add otherwise
        case.opened_at = opened
        subjects = [("person", people[k].pk) for _, k in parties if k in people]
        _created(case, subjects)
        for role, key in parties:
            party = CaseParty.objects.create(
                case=case,
                role=role,
                person=people.get(key),
                place=places.get(key) if key not in people else None,
                added_by=users[owner],
            )
            _created(party, [("person", party.person_id)] if party.person_id else [])
        for number, text in enumerate(notes):
            entry = TimelineEntry.objects.create(
                case=case,
                kind="note" if number else "incident",
                text=text,
                occurred_at=opened + dt.timedelta(days=5 * number),
                author=users[owner],
                agency=agencies[lead],
            )
            _created(entry, subjects)
        for code_ in shared:
            share = CaseShare.objects.create(
                case=case,
                agency=agencies[code_],
                agreement=agreement,
                reason=f"{agencies[code_].name} works with the people and places of this case.",
                shared_by=users[owner],
            )
            record(
                Event.DISCLOSE,
                case,
                ctx=system(SYSTEM),
                after=snapshot(share),
                subjects=subjects,
                recipient=agencies[code_].name,
                legal_basis=agreement.legal_basis,
            )
        if risk is not None and kind.risk_tool:
            tool = risk_tools()[kind.risk_tool]
            answers = {q.key: q.key in risk for q in tool.questions}
            score, level = tool.level_of(answers)
            assessment = RiskAssessment.objects.create(
                case=case,
                tool=tool.code,
                answers=answers,
                score=score,
                level=level,
                reasons="Assessed at the first visit (demo).",
                assessed_by=users[owner],
                review_due=today
                + dt.timedelta(days=tool.review_days[level])
                - dt.timedelta(days=10),
            )
            _created(assessment, subjects)
        created += 1 + len(parties) + len(notes) + len(shared) + (risk is not None)
        if code == "asb" and owner == "dave" and state == "investigating":
            created += _diary_sheet(case, users[owner])
    return created


def _diary_sheet(case: Case, author: Any) -> int:
    """A plain-text diary sheet on the case, stored as uploads are (a random name in the
    hub's private documents folder)."""
    from csphub.hub.casework.services.documents import stored

    text = (
        b"ASB diary sheet (demo)\n"
        b"Mon 23:40 shouting and banging on the stairwell door\n"
        b"Wed 01:15 door kicked, threats through the letterbox\n"
    )
    document = stored(
        case, title="Complainant's diary sheet", name="diary-sheet.txt", content=text, by=author
    )
    _created(document)
    return 1
