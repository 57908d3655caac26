"""Raising, cascading and progressing actions; the action log export. Each checks the
user's right, validates the rows (``full_clean``: lengths, choices; a
:class:`~django.core.exceptions.ValidationError`), changes, and writes its audit row in one
transaction."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone

from csphub.hub.access.models import Agency
from csphub.hub.access.policy import policy
from csphub.hub.access.scope import require
from csphub.hub.actions.lifecycle import LABELS, LIFECYCLE, LIVE, ProgressGuards, TransitionError
from csphub.hub.actions.models import Action, ActionNote
from csphub.hub.actions.signals import action_raised
from csphub.hub.audit.context import AuditContext
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import changed, record, snapshot
from csphub.hub.groups.models import AgendaItem, Decision, Group, Meeting
from csphub.hub.spreadsheet import safe_cell


@transaction.atomic
def raise_action(
    ctx: AuditContext,
    decision: Decision,
    *,
    group: Group,
    title: str,
    owner_agency: Agency,
    due: dt.date,
    detail: str = "",
    owner: Any = None,
    exempt: bool = False,
) -> Action:
    """An action from a decision, for the decision's own group or cascaded to a subgroup
    (any group below it). A cascaded action joins the subgroup's next agenda."""
    user = ctx.actor
    source = decision.meeting.group
    policy("group").require(user, "action.create", source)
    if group != source and not _is_below(group, source):
        raise PermissionDenied(f"{group} is not a subgroup of {source}")
    if not title.strip():
        raise ValueError("an action needs a title")
    if not group.agencies.filter(pk=owner_agency.pk).exists():
        raise ValueError(f"{owner_agency} does not sit on {group}")
    if (
        owner is not None
        and not owner.memberships.filter(agency=owner_agency, active=True).exists()
    ):
        raise ValueError(f"{owner} is not a member of {owner_agency}")
    action = Action(
        group=group,
        decision=decision,
        title=title.strip(),
        detail=detail,
        owner_agency=owner_agency,
        owner=owner,
        due=due,
        exempt=exempt or decision.exempt,
        created_by=user,
    )
    action.full_clean()
    action.save()
    record(Event.CREATE, action, ctx=ctx, after=snapshot(action))
    action_raised.send(Action, action=action, ctx=ctx)
    if group != source and (meeting := group.next_meeting()) is not None:
        item = _cascaded_item(
            meeting,
            action,
            order=100 + meeting.agenda.count(),
            # Not the decision's text: the subgroup may not see the meeting that made it.
            detail=f"Cascaded from {source.name}.",
        )
        record(Event.CREATE, item, ctx=ctx, after=snapshot(item))
    return action


def _fit(text: str, field: str) -> str:
    """``text`` cut to the length AgendaItem's ``field`` takes, ending "…" when cut."""
    limit = next(
        v.limit_value
        for v in AgendaItem._meta.get_field(field).validators
        if isinstance(v, MaxLengthValidator)
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cascaded_item(meeting: Meeting, action: Action, *, order: int, detail: str) -> AgendaItem:
    """The agenda item that carries a cascaded action to ``meeting`` (its title and detail
    quote the action's and the decision's text, so they are cut to fit)."""
    item = AgendaItem(
        meeting=meeting,
        order=order,
        title=_fit(f"Cascaded action: {action.title}", "title"),
        detail=_fit(detail, "detail"),
        source="cascade",
        action=action,
        exempt=action.exempt,
    )
    item.full_clean()
    item.save()
    return item


def _is_below(group: Group, ancestor: Group) -> bool:
    seen = set()
    node = group.parent
    while node is not None and node.pk not in seen:
        if node.pk == ancestor.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


@transaction.atomic
def progress(
    ctx: AuditContext, action: Action, *, note: str = "", state: str | None = None
) -> Action:
    """A progress note and, optionally, a move to a new state (checked by the lifecycle)."""
    user = ctx.actor
    policy("action").require(user, "action.update", action)
    # Lock the row and read its state afresh: a second writer waits, then sees the move.
    current = Action.objects.select_for_update().only("state").get(pk=action.pk)
    if current.state != action.state:
        raise TransitionError(
            f"this action was changed meanwhile (now {LABELS[current.state].lower()}); "
            "reload the page and try again"
        )
    if not note.strip() and (state is None or state == action.state):
        raise ValueError("write a progress note or choose a new state")
    entry = ActionNote(action=action, author=user, text=note.strip())
    entry.full_clean()  # before anything changes
    before = snapshot(action)
    old_state = action.state
    if state is not None and state != action.state:
        move = LIFECYCLE.move_to(action.state, state)
        LIFECYCLE.fire(action, move.event, guards=ProgressGuards(note))
        action.save(update_fields=["state", "updated_at"])
    if action.state != old_state:
        entry.state_from, entry.state_to = old_state, action.state
    entry.save()
    old, new = changed(before, snapshot(action))
    new["note"] = entry.text
    record(Event.UPDATE, action, ctx=ctx, before=old, after=new)
    return action


EXPORT_COLUMNS = (
    "id",
    "title",
    "group",
    "raised_at_meeting",
    "decision",
    "owner_agency",
    "owner",
    "due",
    "state",
    "overdue",
    "exempt",
    "created_at",
    "last_note",
)


def export_log(ctx: AuditContext, actions: Any, *, readable: set[int]) -> str:
    """The action log of ``actions`` (already scoped to the user) as CSV, with the
    raising decision's meeting and text only where its id is in ``readable``, formulas
    neutralised; audited."""
    user = ctx.actor
    require(user, "action.export")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    today = timezone.localdate()
    rows = actions.select_related("group", "owner_agency", "owner", "decision__meeting")
    count = 0
    for a in rows:
        last = a.notes.order_by("-at", "-id").first()
        shown = a.decision if a.decision_id in readable else None
        row = [
            a.pk,
            a.title,
            a.group.name,
            str(shown.meeting) if shown else "",
            shown.text if shown else "",
            a.owner_agency.name,
            a.owner.get_full_name() or a.owner.username if a.owner else "",
            a.due.isoformat(),
            LABELS[a.state],
            "yes" if a.overdue else "no",
            "yes" if a.exempt else "no",
            timezone.localtime(a.created_at).isoformat(),
            last.text if last else "",
        ]
        writer.writerow([safe_cell(v) for v in row])
        count += 1
    record(
        Event.EXPORT,
        ctx=ctx,
        object_type="actions.action",
        object_repr=f"action log, {count} actions, {today.isoformat()}",
    )
    return buffer.getvalue()


def carry_cascaded_actions(meeting: Meeting, *, ctx: AuditContext) -> int:
    """Put every live action cascaded to the meeting's group, not already on a coming
    agenda, on this meeting's agenda. Returns how many were added."""
    pending = Action.objects.filter(
        group=meeting.group, state__in=LIVE, decision__isnull=False
    ).exclude(decision__meeting__group=meeting.group)
    pending = pending.exclude(
        agenda_items__meeting__status="scheduled",
        agenda_items__meeting__starts_at__gte=min(meeting.starts_at, timezone.now()),
    )
    added = 0
    for action in pending:
        item = _cascaded_item(
            meeting,
            action,
            order=100 + added,
            # Not the decision's text: the subgroup may not see the meeting that made it.
            detail=f"Cascaded from {action.decision.meeting.group.name}.",
        )
        record(Event.CREATE, item, ctx=ctx, after=snapshot(item))
        added += 1
    return added


def on_meeting_scheduled(sender: Any, *, meeting: Meeting, ctx: AuditContext, **_: Any) -> None:
    """Receiver of :data:`csphub.hub.groups.signals.meeting_scheduled`."""
    carry_cascaded_actions(meeting, ctx=ctx)
