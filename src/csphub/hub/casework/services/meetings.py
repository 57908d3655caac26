"""A case at a group's meeting: put on the agenda (as exempt information, naming the case
by reference only, since the group's members may not see the case), and the actions a
decision there raises, which become the case's tasks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from csphub.hub.access.policy import policy
from csphub.hub.actions.models import Action
from csphub.hub.audit.context import AuditContext
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record, snapshot
from csphub.hub.casework.models import Case, CaseAgendaItem, CaseTask
from csphub.hub.casework.services.cases import _entry, subjects_of
from csphub.hub.groups.models import AgendaItem, Meeting


def meetings_for(ctx: AuditContext, case: Case):
    """Coming meetings of groups the case's lead agency sits on that the user can see."""
    from django.utils import timezone

    groups = policy("group").visible(ctx.actor).filter(agencies=case.lead_agency_id)
    return (
        Meeting.objects.filter(group__in=groups, status="scheduled", starts_at__gte=timezone.now())
        .select_related("group")
        .order_by("starts_at")
    )


@transaction.atomic
def put_on_agenda(ctx: AuditContext, case: Case, meeting: Meeting) -> CaseAgendaItem:
    policy("case").require(ctx.actor, "case.manage", case)
    if not meetings_for(ctx, case).filter(pk=meeting.pk).exists():
        raise PermissionDenied("the case can go to a coming meeting of a group its agency sits on")
    if CaseAgendaItem.objects.filter(case=case, agenda_item__meeting=meeting).exists():
        raise ValueError(f"{case.reference} is already on the agenda of {meeting}")
    item = AgendaItem(
        meeting=meeting,
        order=meeting.agenda.count() + 1,
        title=f"Case {case.reference} ({case.type.name.lower()})",
        detail=f"Led by {case.lead_agency.name}. Open the case in csphub for its details.",
        source="manual",
        exempt=True,  # about individuals: LGA 1972 Sch 12A paras 1-2
    )
    item.full_clean()
    item.save()
    link = CaseAgendaItem.objects.create(case=case, agenda_item=item, added_by=ctx.actor)
    _entry(ctx, case, "meeting", f"Put on the agenda of {meeting}.")
    record(Event.CREATE, item, ctx=ctx, after=snapshot(item), subjects=subjects_of(case))
    return link


def on_action_raised(sender: Any, *, action: Action, ctx: AuditContext, **_: Any) -> None:
    """Receiver of :data:`csphub.hub.actions.signals.action_raised`: an action raised by a
    decision on a case's agenda item is a task of that case (same transaction)."""
    decision = action.decision
    if decision is None or decision.agenda_item_id is None:
        return
    link = CaseAgendaItem.objects.filter(agenda_item_id=decision.agenda_item_id).first()
    if link is None:
        return
    CaseTask.objects.create(case=link.case, action=action)
    _entry(ctx, link.case, "step", f"Action raised at {decision.meeting}: {action.title}.")
