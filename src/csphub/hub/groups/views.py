"""Pages of groups and meetings: the group tree, a group, its meetings, the agenda,
attendance, minutes and decisions. Thin: forms validate, services change and audit."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from csphub.hub.access import reasons
from csphub.hub.access.policy import policy
from csphub.hub.access.rules import SCOPED, access, permission
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record
from csphub.hub.groups import services
from csphub.hub.groups.forms import (
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    MeetingEditForm,
    MeetingForm,
)
from csphub.hub.groups.models import Group, Meeting

GET_POST = ["GET", "POST"]
#: How many past meetings the meeting list and a group page show.
RECENT = 20


def _tree(groups: list[Group]) -> list[tuple[Group, list]]:
    """Visible groups as a tree: roots are those whose parent the user cannot see."""
    ids = {g.pk for g in groups}
    children: dict[int | None, list[Group]] = {}
    for g in groups:
        children.setdefault(g.parent_id if g.parent_id in ids else None, []).append(g)

    def build(parent_id):
        return [(g, build(g.pk)) for g in children.get(parent_id, [])]

    return build(None)


SEE_GROUPS = permission("group.view")


def _meeting(request, pk, verb: str = "view") -> Meeting:
    """The meeting: 404 out of sight, 403 when seen but not the user's to ``verb``."""
    meetings = Meeting.objects.select_related("group", "group__chair")
    return policy("meeting").get(request.user, pk, verb, queryset=meetings)


def _opened(request, meeting: Meeting):
    """A page that shows the meeting: a restricted one asks why first (the redirect to
    the reason page is returned); a GET is a view in the audit trail, with the reason."""
    reason = reasons.reason_for(request, policy("meeting"), meeting)
    if reason is None:
        return reasons.ask(request, policy("meeting"), meeting)
    if request.method == "GET":
        record(Event.VIEW, meeting, ctx=audit_context(request), justification=reason)
    return None


def _listed(request, object_type: str, what: str) -> None:
    """A list shows protected content: record what was asked."""
    record(Event.VIEW, ctx=audit_context(request), object_type=object_type, object_repr=what)


def _can(request, verb: str, group: Group) -> bool:
    return policy("group").can(request.user, verb, group)


@access(SEE_GROUPS)
@require_safe
def group_list(request):
    groups = list(policy("group").visible(request.user).select_related("chair").order_by("name"))
    order = {"board": 0, "ttcg": 1, "working": 2, "daily": 3}
    groups.sort(key=lambda g: (order.get(g.kind, 9), g.name))
    _listed(request, "groups.group", f"group list: {len(groups)} groups")
    return render(request, "hub/groups/group_list.html", {"tree": _tree(groups)})


@access(SCOPED)
@require_safe
def group_detail(request, pk):
    user = request.user
    groups = policy("group")
    group = groups.get(user, pk, queryset=Group.objects.select_related("chair", "parent"))
    record(Event.VIEW, group, ctx=audit_context(request))
    now = timezone.now()
    visible = groups.visible(user)
    context = {
        "group": group,
        "parent_visible": group.parent_id and visible.filter(pk=group.parent_id).exists(),
        "agencies": group.agencies.order_by("name"),
        "subgroups": group.subgroups.filter(pk__in=visible).order_by("name"),
        "upcoming": group.meetings.filter(starts_at__gte=now).order_by("starts_at"),
        "past": group.meetings.filter(starts_at__lt=now).order_by("-starts_at")[:RECENT],
        "actions": policy("action")
        .live(user)
        .filter(group=group)
        .select_related("owner_agency", "owner"),
        "can_schedule": _can(request, "meeting.manage", group),
    }
    return render(request, "hub/groups/group_detail.html", context)


@access(SCOPED)
@require_http_methods(GET_POST)
def group_meeting_new(request, pk):
    group = policy("group").get(request.user, pk, "meeting.manage")
    form = MeetingForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        meeting = services.schedule_meeting(
            audit_context(request),
            group,
            title=form.cleaned_data["title"],
            starts_at=form.starts_at(),
            location=form.cleaned_data["location"],
        )
        carried = meeting.agenda.filter(source="cascade").count()
        note = f" {carried} cascaded action(s) added to its agenda." if carried else ""
        messages.success(request, f"Meeting scheduled: {meeting}.{note}")
        return redirect("meeting-detail", pk=meeting.pk)
    return render(request, "hub/groups/meeting_new.html", {"group": group, "form": form})


@access(SEE_GROUPS)
@require_safe
def meeting_list(request):
    now = timezone.now()
    meetings = policy("meeting").visible(request.user).select_related("group")
    _listed(request, "groups.meeting", "meeting list: upcoming and recent")
    context = {
        "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at"),
        "recent": meetings.filter(starts_at__lt=now).order_by("-starts_at")[:RECENT],
    }
    return render(request, "hub/groups/meeting_list.html", context)


@access(SCOPED)
@require_safe
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    if (asked := _opened(request, meeting)) is not None:
        return asked
    group = meeting.group
    attendance = {a.agency_id: a for a in meeting.attendance.all()}
    context = {
        "meeting": meeting,
        "group": group,
        "agenda": meeting.agenda.select_related("priority", "action", "action__owner_agency"),
        "attendance": [(a, attendance.get(a.pk)) for a in group.agencies.order_by("name")],
        "decisions": meeting.decisions.select_related("agenda_item").prefetch_related(
            "actions__owner_agency", "actions__owner", "actions__group"
        ),
        "can_manage": _can(request, "meeting.manage", group),
        "can_decide": _can(request, "decision.record", group),
        "can_raise": _can(request, "action.create", group),
    }
    return render(request, "hub/groups/meeting_detail.html", context)


@access(SCOPED)
@require_http_methods(GET_POST)
def meeting_edit(request, pk):
    meeting = _meeting(request, pk, "meeting.manage")
    if (asked := _opened(request, meeting)) is not None:
        return asked
    initial = {"status": meeting.status, "minutes": meeting.minutes, "version": meeting.version}
    form = MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        before = (meeting.status, meeting.minutes)
        try:
            services.update_meeting(audit_context(request), meeting, **form.cleaned_data)
        except services.EditConflict as conflict:
            form.add_error(None, str(conflict))
        else:
            if before == (meeting.status, meeting.minutes):
                messages.info(request, "Nothing was changed.")
            else:
                messages.success(request, "Meeting updated.")
            return redirect("meeting-detail", pk=meeting.pk)
    return render(request, "hub/groups/meeting_edit.html", {"meeting": meeting, "form": form})


@access(SCOPED)
@require_http_methods(GET_POST)
def meeting_agenda_new(request, pk):
    meeting = _meeting(request, pk, "meeting.manage")
    if (asked := _opened(request, meeting)) is not None:
        return asked
    evidence = None
    if meeting.group.kind == "ttcg":
        from csphub.hub.groups.evidence import ttcg_evidence

        evidence = ttcg_evidence(f"{timezone.localtime(meeting.starts_at):%Y-%m}")
    form = AgendaItemForm(None if "evidence" in request.POST else request.POST or None)
    if request.method == "POST" and "evidence" in request.POST:
        item = evidence.get(request.POST["evidence"]) if evidence else None
        if item is None:
            messages.error(request, "That evidence is no longer in the store; nothing was added.")
        else:
            services.add_agenda_item(
                audit_context(request),
                meeting,
                title=item.title,
                detail=item.detail,
                source="evidence",
            )
            messages.success(request, f"Added to the agenda: {item.title}.")
        return redirect("meeting-agenda-new", pk=meeting.pk)
    if request.method == "POST" and form.is_valid():
        item = services.add_agenda_item(audit_context(request), meeting, **form.cleaned_data)
        messages.success(request, f"Added to the agenda: {item.title}.")
        return redirect("meeting-detail", pk=meeting.pk)
    on_agenda = set(meeting.agenda.values_list("title", flat=True))
    context = {"meeting": meeting, "form": form, "evidence": evidence, "on_agenda": on_agenda}
    return render(request, "hub/groups/agenda_new.html", context)


@access(SCOPED)
@require_http_methods(GET_POST)
def meeting_attendance(request, pk):
    meeting = _meeting(request, pk, "meeting.manage")
    if (asked := _opened(request, meeting)) is not None:
        return asked
    form = AttendanceForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        count = services.record_attendance_sheet(audit_context(request), meeting, form.entries())
        if count:
            messages.success(request, f"Attendance recorded for {count} agency(ies).")
        else:
            messages.info(request, "Nothing was changed.")
        return redirect("meeting-detail", pk=meeting.pk)
    return render(request, "hub/groups/attendance.html", {"meeting": meeting, "form": form})


@access(SCOPED)
@require_http_methods(GET_POST)
def meeting_decision_new(request, pk):
    meeting = _meeting(request, pk, "decision.record")
    if (asked := _opened(request, meeting)) is not None:
        return asked
    form = DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        decision = services.record_decision(audit_context(request), meeting, **form.cleaned_data)
        messages.success(request, "Decision recorded. You can now raise actions from it.")
        return redirect(
            f"{reverse('meeting-detail', kwargs={'pk': meeting.pk})}#decision-{decision.pk}"
        )
    return render(request, "hub/groups/decision_new.html", {"meeting": meeting, "form": form})
