"""Changes to groups and meetings. Each checks the user's right, validates the row
(``full_clean``: lengths, choices; a :class:`~django.core.exceptions.ValidationError`),
makes the change and writes its audit row in one transaction; a refused change raises
before writing anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from csphub.hub.access.models import Agency
from csphub.hub.access.policy import policy
from csphub.hub.audit.context import AuditContext
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import changed, record, snapshot
from csphub.hub.groups.models import AgendaItem, Attendance, Decision, Group, Meeting
from csphub.hub.groups.signals import meeting_scheduled


class EditConflict(ValueError):
    """An edit made from a version of the record that is no longer the latest."""


@transaction.atomic
def schedule_meeting(
    ctx: AuditContext,
    group: Group,
    *,
    title: str,
    starts_at: dt.datetime,
    location: str = "",
) -> Meeting:
    """A new meeting of ``group``. It is announced (:data:`meeting_scheduled`) in the same
    transaction, so the actions app puts the live actions cascaded to the group on its
    agenda without this app knowing about actions."""
    user = ctx.actor
    policy("group").require(user, "meeting.manage", group)
    meeting = Meeting(
        group=group, title=title, starts_at=starts_at, location=location, created_by=user
    )
    meeting.full_clean()
    meeting.save()
    record(Event.CREATE, meeting, ctx=ctx, after=snapshot(meeting))
    meeting_scheduled.send(Meeting, meeting=meeting, ctx=ctx)
    return meeting


@transaction.atomic
def update_meeting(
    ctx: AuditContext, meeting: Meeting, *, version: int | None = None, **fields: Any
) -> Meeting:
    """Change title, time, location, status or minutes. ``version``: the version the
    change was made from; when the meeting has moved on since, :class:`EditConflict` and
    nothing is written (the row is locked while checking)."""
    user = ctx.actor
    policy("group").require(user, "meeting.manage", meeting.group)
    allowed = {"title", "starts_at", "location", "status", "minutes"}
    if unknown := set(fields) - allowed:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    current = Meeting.objects.select_for_update().only("version").get(pk=meeting.pk)
    if version is not None and current.version != version:
        raise EditConflict(
            "Someone else changed this meeting after you opened it, so your changes were not "
            "saved. Reload the page to see theirs, then make yours again."
        )
    before = snapshot(meeting)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    if changed(before, snapshot(meeting))[1]:
        meeting.version = current.version + 1
    meeting.save()
    old, new = changed(before, snapshot(meeting))
    if new:
        record(Event.UPDATE, meeting, ctx=ctx, before=old, after=new)
    return meeting


@transaction.atomic
def add_agenda_item(
    ctx: AuditContext,
    meeting: Meeting,
    *,
    title: str,
    detail: str = "",
    priority: Any = None,
    source: str = "manual",
    exempt: bool = False,
) -> AgendaItem:
    user = ctx.actor
    policy("group").require(user, "meeting.manage", meeting.group)
    order = meeting.agenda.count() + 1
    item = AgendaItem(
        meeting=meeting,
        order=order,
        title=title,
        detail=detail,
        priority=priority,
        source=source,
        exempt=exempt,
    )
    item.full_clean()
    item.save()
    record(Event.CREATE, item, ctx=ctx, after=snapshot(item))
    return item


@transaction.atomic
def record_attendance(
    ctx: AuditContext,
    meeting: Meeting,
    agency: Agency,
    *,
    status: str,
    names: str = "",
) -> Attendance:
    user = ctx.actor
    policy("group").require(user, "meeting.manage", meeting.group)
    if status not in dict(Attendance.STATUSES):
        raise ValueError(f"attendance status {status!r}: present, apologies or absent")
    # The row's fields checked (names' length); whether it exists is update_or_create's.
    Attendance(meeting=meeting, agency=agency, status=status, names=names).full_clean(
        validate_unique=False, validate_constraints=False
    )
    existing = Attendance.objects.filter(meeting=meeting, agency=agency).first()
    before = snapshot(existing) if existing else None
    row, _ = Attendance.objects.update_or_create(
        meeting=meeting, agency=agency, defaults={"status": status, "names": names}
    )
    record(
        Event.UPDATE if before else Event.CREATE,
        row,
        ctx=ctx,
        before=before,
        after=snapshot(row),
    )
    return row


@transaction.atomic
def record_decision(
    ctx: AuditContext,
    meeting: Meeting,
    *,
    text: str,
    agenda_item: AgendaItem | None = None,
    exempt: bool = False,
) -> Decision:
    user = ctx.actor
    policy("group").require(user, "decision.record", meeting.group)
    if not text.strip():
        raise ValueError("a decision needs its text")
    decision = Decision(
        meeting=meeting,
        agenda_item=agenda_item,
        text=text.strip(),
        exempt=exempt or bool(agenda_item and agenda_item.exempt),  # the item's exemption
        recorded_by=user,
    )
    decision.full_clean()
    decision.save()
    record(Event.CREATE, decision, ctx=ctx, after=snapshot(decision))
    return decision


@transaction.atomic
def record_attendance_sheet(
    ctx: AuditContext,
    meeting: Meeting,
    entries: dict[Agency, tuple[str, str]],
) -> int:
    """Attendance of several agencies at once (``agency: (status, names)``; an empty status
    leaves that agency as it is). Only rows that change are written and audited. Returns
    how many changed."""
    user = ctx.actor
    policy("group").require(user, "meeting.manage", meeting.group)
    current = {a.agency_id: a for a in Attendance.objects.filter(meeting=meeting)}
    count = 0
    for agency, (status, names) in entries.items():
        if not status:
            continue
        row = current.get(agency.pk)
        if row is not None and row.status == status and row.names == names.strip():
            continue
        record_attendance(ctx, meeting, agency, status=status, names=names.strip())
        count += 1
    return count
