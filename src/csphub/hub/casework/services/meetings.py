"""A case at a group's meeting: put on the agenda (as exempt information, naming the case
by reference only, since the group's members may not see the case), and the actions a
decision there raises on the case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from csphub.hub.access.models import Agency
from csphub.hub.access.policy import policy
from csphub.hub.actions import services as actions
from csphub.hub.actions.models import Action
from csphub.hub.audit.context import AuditContext
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record, snapshot
from csphub.hub.casework.models import Case, CaseAgendaItem, CaseTask
from csphub.hub.casework.services.cases import _entry, subjects_of
from csphub.hub.groups.models import AgendaItem, Decision, Meeting


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


@transaction.atomic
def raise_task(
    ctx: AuditContext,
    case: Case,
    decision: Decision,
    *,
    title: str,
    owner_agency: Agency,
    due: dt.date,
    owner: Any = None,
    detail: str = "",
) -> Action:
    """An action raised by a decision on the case's agenda item, linked to the case."""
    policy("case").require(ctx.actor, "case.update", case)
    if not CaseAgendaItem.objects.filter(case=case, agenda_item=decision.agenda_item_id).exists():
        raise ValueError("the decision must be on this case's agenda item")
    action = actions.raise_action(
        ctx,
        decision,
        group=decision.meeting.group,
        title=title,
        owner_agency=owner_agency,
        due=due,
        owner=owner,
        detail=detail,
        exempt=True,
    )
    CaseTask.objects.create(case=case, action=action)
    _entry(ctx, case, "step", f"Action raised at {decision.meeting}: {action.title}.")
    return action
