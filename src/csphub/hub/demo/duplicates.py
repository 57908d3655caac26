"""A duplicate for the demo's merge-review queue: the police recorded Kyle Marsden a second
time, as "Kai Marsdon" (his alias, misspelt) with the same date of birth, before the
housing provider's record was shared with them. The pair is queued as the batch finder
would queue it (scored by csphub's own comparison); merging it is the coordinator's call."""

from __future__ import annotations

import datetime as dt

from csphub.hub.access.models import Agency
from csphub.hub.audit.context import system
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record, snapshot
from csphub.hub.casework.matching import compare, record_of
from csphub.hub.casework.models import DuplicateCandidate, Person

SYSTEM = "csphub demo"
BORN = dt.date(1998, 3, 14)


def seed_duplicate() -> int:
    """The second record and its queue entry (nothing when there already). Rows made."""
    original = Person.objects.filter(given_name="Kyle", family_name="Marsden", dob=BORN).first()
    if original is None or Person.objects.filter(family_name="Marsdon", dob=BORN).exists():
        return 0
    police = Agency.objects.get(code="police")
    second = Person.objects.create(
        given_name="Kai", family_name="Marsdon", dob=BORN, gender="male", created_agency=police
    )
    record(
        Event.CREATE,
        second,
        ctx=system(SYSTEM),
        after=snapshot(second),
        subjects=[("person", second.pk)],
    )
    score, reasons = compare(record_of(original), record_of(second))
    first, other = sorted((original, second), key=lambda p: p.pk)
    candidate = DuplicateCandidate.objects.create(
        first=first, second=other, score=round(score, 3), method="batch", reasons=reasons
    )
    record(
        Event.CREATE,
        candidate,
        ctx=system(SYSTEM),
        after=snapshot(candidate),
        subjects=[("person", original.pk), ("person", second.pk)],
    )
    return 2
