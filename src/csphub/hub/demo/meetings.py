"""A few meetings, decisions and actions for the demo partnership, dated around today:
a board meeting three weeks ago whose decision cascaded an action to the Burglary Working
Group (on the agenda of its next meeting), a TTCG next month, and actions in every state,
one of them overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from csphub.hub.actions.models import Action, ActionNote
from csphub.hub.audit.context import system
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record, snapshot
from csphub.hub.groups.models import AgendaItem, Attendance, Decision, Meeting

SYSTEM = "csphub demo"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _make(model, **fields) -> Any:
    obj = model.objects.create(**fields)
    record(Event.CREATE, obj, ctx=system(SYSTEM), after=snapshot(obj))
    return obj


def seed_meetings(groups, agencies, users, today: dt.date) -> int:
    """Create them; returns how many rows were made."""
    from csphub.hub.audit.models import AuditEvent

    board, burglary, ttcg, asb = (groups[c] for c in ("board", "burglary", "ttcg", "asb"))
    before = AuditEvent.objects.filter(system_run=SYSTEM).count()
    held = _make(
        Meeting,
        group=board,
        title="Partnership Board",
        starts_at=_at(today - dt.timedelta(days=21), 10),
        location="Brackwater Town Hall",
        status="held",
        minutes="The board received the Strategic Assessment and agreed the priorities.",
        created_by=users["sam"],
    )
    item = _make(
        AgendaItem,
        meeting=held,
        order=1,
        title="Strategic Assessment: burglary rising",
        detail="Residential burglary rose significantly over the year.",
    )
    for code in ("council", "police", "fire", "health", "housing"):
        _make(Attendance, meeting=held, agency=agencies[code], status="present")
    _make(Attendance, meeting=held, agency=agencies["probation"], status="apologies")
    decision = _make(
        Decision,
        meeting=held,
        agenda_item=item,
        recorded_by=users["sam"],
        text="The Burglary Working Group to lead a target-hardening campaign "
        "in the three hot spot LSOAs.",
    )
    nxt = _make(
        Meeting,
        group=burglary,
        title="Burglary Working Group",
        starts_at=_at(today + dt.timedelta(days=14), 14),
        location="Police HQ",
        created_by=users["inspector"],
    )
    cascaded = _make(
        Action,
        group=burglary,
        decision=decision,
        owner_agency=agencies["police"],
        owner=users["inspector"],
        due=today + dt.timedelta(days=45),
        title="Plan target hardening in the burglary hot spots",
        created_by=users["sam"],
    )
    _make(
        AgendaItem,
        meeting=nxt,
        order=100,
        title=f"Cascaded action: {cascaded.title}",
        detail=f"Cascaded from {board.name}.",
        source="cascade",
        action=cascaded,
    )
    own = _make(
        Action,
        group=board,
        decision=decision,
        owner_agency=agencies["council"],
        owner=users["sam"],
        due=today - dt.timedelta(days=3),
        state="in_progress",
        title="Report burglary prevention funding options to the board",
        created_by=users["sam"],
    )
    _make(
        ActionNote,
        action=own,
        author=users["sam"],
        text="Two funding bids identified.",
        state_from="open",
        state_to="in_progress",
    )
    _make(
        Action,
        group=asb,
        decision=decision,
        owner_agency=agencies["housing"],
        owner=users["dave"],
        due=today + dt.timedelta(days=10),
        state="open",
        title="Share repeat ASB addresses with the burglary group",
        created_by=users["sam"],
    )
    _make(
        Meeting,
        group=ttcg,
        title="TTCG",
        starts_at=_at(today + dt.timedelta(days=30), 10),
        location="Police HQ",
        created_by=users["inspector"],
    )
    _make(
        Meeting,
        group=asb,
        title="ASB Working Group",
        starts_at=_at(today + dt.timedelta(days=40), 13),
        location="Brackwater Homes",
        created_by=users["sam"],
    )
    return AuditEvent.objects.filter(system_run=SYSTEM).count() - before
