"""Case pages: the lists (mine, my agency's, shared with my agency), a new case, the case
page (or its locked-down profile) and what is done on it. Thin: forms validate, services
change and audit, the policies decide."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from csphub.hub.access import reasons
from csphub.hub.access.acting import acting
from csphub.hub.access.policy import policy
from csphub.hub.access.rules import SCOPED, access, permission
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record
from csphub.hub.casework.forms import (
    AgendaForm,
    CaseForm,
    EntryForm,
    MoveForm,
    OwnerForm,
    RiskForm,
    ShareForm,
)
from csphub.hub.casework.models import (
    Case,
    CaseAgendaItem,
    CaseParty,
    CaseTask,
    RiskAssessment,
    TimelineEntry,
)
from csphub.hub.casework.services import cases as services
from csphub.hub.casework.services import meetings
from csphub.hub.casework.services.cases import WRITTEN, subjects_of
from csphub.hub.groups.models import Meeting
from csphub.hub.spreadsheet import safe_cell
from csphub.hub.workflow import TransitionError

GET_POST = ["GET", "POST"]
TABS = [
    ("mine", "My cases"),
    ("agency", "My agency's cases"),
    ("shared", "Shared with my agency"),
]
#: Cases a list page shows (newest first); the next are a page further on.
PAGE = 25
EXPORT_COLUMNS = ("reference", "type", "title", "state", "lead_agency", "owner", "opened", "closed")


def _listing(request):
    user = request.user
    show = request.GET.get("show", "mine")
    if show not in dict(TABS):
        show = "mine"
    who = acting(user)
    visible = policy("case").visible(user).select_related("lead_agency", "owner")
    if show == "mine":
        cases = visible.filter(owner=user)
    elif show == "agency":
        cases = visible.filter(lead_agency_id=who.agency_id)
    else:
        cases = visible.filter(
            shares__agency_id=who.agency_id, shares__ended_at__isnull=True
        ).exclude(lead_agency_id=who.agency_id)
    state = request.GET.get("state", "open")
    if state == "open":
        cases = cases.filter(closed_at__isnull=True)
    if show == "shared":
        cases = cases.distinct()  # a join on shares
    latest = RiskAssessment.objects.filter(case=OuterRef("pk")).order_by("-assessed_at", "-id")
    cases = cases.annotate(review_due=Subquery(latest.values("review_due")[:1]))
    return show, state, cases.order_by("-opened_at", "-id")


@access(permission("case.view"))
@require_safe
def case_list(request):
    show, state, cases = _listing(request)
    number = request.GET.get("page", "1")
    number = int(number) if number.isdigit() and 0 < int(number) < 100_000 else 1
    rows = list(cases[(number - 1) * PAGE : number * PAGE + 1])  # one past: is there more?
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    label = dict(TABS)[show]
    record(
        Event.VIEW,
        ctx=audit_context(request),
        object_type="casework.case",
        object_repr=f"case list: {label}, {state}, page {number}, {len(rows)} cases",
    )
    context = {
        "tabs": TABS,
        "show": show,
        "state": state,
        "label": label,
        "cases": rows,
        "more": more,
        "page": number,
        "today": timezone.localdate(),
        "can_create": acting(request.user).has("case.create"),
        "can_export": acting(request.user).has("case.export"),
    }
    return render(request, "hub/casework/case_list.html", context)


@access(permission("case.export"))
@require_safe
def case_export(request):
    show, state, cases = _listing(request)
    cases = cases.filter(pk__in=policy("case").where(request.user, "case.export").values("pk"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["reference", "type", "title", "state", "lead_agency", "owner", "opened", "closed"]
    )
    count = 0
    for c in cases.iterator():
        owner = c.owner.get_full_name() or c.owner.username if c.owner else ""
        closed = timezone.localtime(c.closed_at).date().isoformat() if c.closed_at else ""
        row = [
            c.reference,
            c.type.name,
            c.title,
            c.state_label,
            c.lead_agency.name,
            owner,
            timezone.localtime(c.opened_at).date().isoformat(),
            closed,
        ]
        writer.writerow([safe_cell(v) for v in row])
        count += 1
    record(
        Event.EXPORT,
        ctx=audit_context(request),
        object_type="casework.case",
        object_repr=f"cases CSV: {dict(TABS)[show]}, {state}, {count} cases",
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"cases-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@access(permission("case.create"))
@require_http_methods(GET_POST)
def case_new(request):
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = services.open_case(
            audit_context(request),
            case_type_code=data["case_type"],
            title=data["title"],
            summary=data["summary"],
        )
        messages.success(request, f"Case {case.reference} opened. Add the people and places.")
        return redirect("case-detail", pk=case.pk)
    return render(request, "hub/casework/case_new.html", {"form": form})


def _case(request, pk, verb: str = "view") -> Case:
    cases = Case.objects.select_related("lead_agency", "owner")
    return policy("case").get(request.user, pk, verb, queryset=cases)


def _opened(request, case: Case, parties: list[CaseParty] | None = None):
    """A restricted case asks why first; a GET writes the view row naming its people
    (``parties``, when the page has them already)."""
    reason = reasons.reason_for(request, policy("case"), case)
    if reason is None:
        return reasons.ask(request, policy("case"), case)
    if request.method == "GET":
        subjects = (
            subjects_of(case)
            if parties is None
            else [("person", p.person_id) for p in parties if p.person_id]
        )
        record(
            Event.VIEW,
            case,
            ctx=audit_context(request),
            justification=reason,
            subjects=subjects,
        )
    return None


def _profile(request, pk):
    """The locked-down profile of a case the user may not open (404 when their role does
    not even know it exists)."""
    case = (
        policy("case")
        .profiles(request.user)
        .select_related("lead_agency", "owner")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("not found")
    record(
        Event.VIEW,
        case,
        ctx=audit_context(request),
        object_repr=f"locked-down profile of {case.reference}",
    )
    return render(request, "hub/casework/case_profile.html", {"case": case})


def _parties(case: Case) -> list[CaseParty]:
    return list(case.parties.select_related("person", "place"))


def _context(request, case: Case, parties: list[CaseParty] | None = None, **forms) -> dict:
    user = request.user
    granted = policy("case").allowed(user, ("case.update", "case.manage"), case)
    can_update, can_manage = "case.update" in granted, "case.manage" in granted
    parties = _parties(case) if parties is None else parties
    visible_people = set(
        policy("person")
        .visible(user)
        .filter(pk__in=[p.person_id for p in parties if p.person_id])
        .values_list("pk", flat=True)
    )
    entries = list(case.timeline.select_related("author", "agency", "corrects"))
    corrected = {e.corrects_id for e in entries if e.corrects_id}
    tasks = CaseTask.objects.filter(case=case).select_related("action__owner_agency")
    agenda = CaseAgendaItem.objects.filter(case=case).select_related("agenda_item__meeting__group")
    risk = list(case.risk_assessments.select_related("assessed_by", "person"))
    today = timezone.localdate()
    context = {
        "case": case,
        "parties": parties,
        "visible_people": visible_people,
        "shares": case.shares.select_related("agency", "agreement", "shared_by"),
        "risk": risk,
        "risk_overdue": bool(risk) and case.open and risk[0].review_due < today,
        "timeline": entries,
        "corrected": corrected,
        "documents": case.documents.all(),
        "tasks": [t.action for t in tasks],
        "agenda": [a.agenda_item for a in agenda],
        "can_update": can_update,
        "can_manage": can_manage,
        "has_risk_tool": bool(case.type.risk_tool),
        "move_form": forms.get("move_form")
        or (MoveForm(case=case) if can_manage and case.open else None),
        "entry_form": forms.get("entry_form") or (EntryForm() if can_update else None),
        "written": WRITTEN,
        "correcting": forms.get("correcting"),
    }
    return context


@access(SCOPED)
@require_safe
def case_detail(request, pk):
    try:
        case = _case(request, pk)
    except Http404:
        return _profile(request, pk)
    parties = _parties(case)
    if (asked := _opened(request, case, parties)) is not None:
        return asked
    extra = {"parties": parties}
    correct = request.GET.get("correct", "")
    if correct.isdigit() and policy("case").can(request.user, "case.update", case):
        entry = case.timeline.filter(pk=int(correct), kind__in=WRITTEN).first()
        if entry is not None:  # the form starts from the entry it corrects
            initial = {"kind": entry.kind, "text": entry.text, "corrects": entry.pk}
            extra |= {"entry_form": EntryForm(initial=initial), "correcting": entry}
    return render(request, "hub/casework/case_detail.html", _context(request, case, **extra))


@access(SCOPED)
@require_http_methods(GET_POST)
def case_owner(request, pk):
    """Its own page, as sharing is: the case page does not build the list of the lead
    agency's staff on every view for the few who change owners."""
    case = _case(request, pk, "case.manage")
    if not case.open:
        raise PermissionDenied("a closed case keeps its owner")
    if (asked := _opened(request, case)) is not None:
        return asked
    form = OwnerForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(
                audit_context(request),
                case,
                version=form.cleaned_data["version"],
                owner=form.cleaned_data["owner"],
            )
        except (services.EditConflict, ValueError) as problem:
            form.add_error("owner", str(problem))
        else:
            messages.success(request, "Case owner changed.")
            return redirect("case-detail", pk=case.pk)
    return render(request, "hub/casework/case_owner.html", {"case": case, "form": form})


@access(SCOPED)
@require_POST
def case_move(request, pk):
    case = _case(request, pk, "case.manage")
    form = MoveForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.move(
                audit_context(request),
                case,
                data["event"],
                version=data["version"],
                note=data["note"],
                closure_reason=data["closure_reason"],
                outcome=data["outcome"],
            )
        except (TransitionError, services.EditConflict) as problem:
            form.add_error("event", str(problem))
        else:
            case.refresh_from_db()
            messages.success(request, f"The case is now {case.state_label.lower()}.")
            return redirect("case-detail", pk=case.pk)
    return render(request, "hub/casework/case_detail.html", _context(request, case, move_form=form))


@access(SCOPED)
@require_POST
def case_entry(request, pk):
    case = _case(request, pk, "case.update")
    form = EntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        corrects = None
        if data.get("corrects"):
            corrects = TimelineEntry.objects.filter(case=case, pk=data["corrects"]).first()
        on = data.get("occurred_on")
        when = None
        if on and on != timezone.localdate():
            when = timezone.make_aware(timezone.datetime(on.year, on.month, on.day, 12))
        try:
            services.add_entry(
                audit_context(request),
                case,
                kind=data["kind"],
                text=data["text"],
                occurred_at=when,
                corrects=corrects,
            )
        except ValueError as problem:
            form.add_error("text", str(problem))
        else:
            messages.success(request, "Added to the timeline.")
            return redirect("case-detail", pk=case.pk)
    return render(
        request, "hub/casework/case_detail.html", _context(request, case, entry_form=form)
    )


@access(SCOPED)
@require_http_methods(GET_POST)
def case_share(request, pk):
    case = _case(request, pk, "case.manage")
    if (asked := _opened(request, case)) is not None:
        return asked
    form = ShareForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.share(
                audit_context(request),
                case,
                agency=data["agency"],
                agreement=data["agreement"],
                reason=data["reason"],
            )
        except ValueError as problem:
            form.add_error("agreement", str(problem))
        else:
            messages.success(request, f"Shared with {data['agency'].name}.")
            return redirect("case-detail", pk=case.pk)
    return render(request, "hub/casework/case_share.html", {"case": case, "form": form})


@access(SCOPED)
@require_POST
def case_share_end(request, pk, share_pk):
    case = _case(request, pk, "case.manage")
    row = case.shares.filter(pk=share_pk, ended_at__isnull=True).first()
    if row is None:
        raise Http404("no such share")
    services.end_share(audit_context(request), row)
    messages.success(request, f"Sharing with {row.agency.name} ended.")
    return redirect("case-detail", pk=case.pk)


@access(SCOPED)
@require_http_methods(GET_POST)
def case_risk(request, pk):
    case = _case(request, pk, "case.update")
    if not case.type.risk_tool:
        raise Http404("this type of case has no risk tool")
    if (asked := _opened(request, case)) is not None:
        return asked
    form = RiskForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        if data.get("person"):
            person = case.parties.filter(person_id=data["person"]).first()
            person = person.person if person else None
        try:
            row = services.assess_risk(
                audit_context(request),
                case,
                answers=form.answers(),
                reasons=data["reasons"],
                person=person,
                level=data.get("level") or None,
            )
        except ValueError as problem:
            form.add_error("level", str(problem))
        else:
            messages.success(
                request, f"Risk recorded: {row.get_level_display().lower()} (score {row.score})."
            )
            return redirect("case-detail", pk=case.pk)
    context = {"case": case, "form": form, "tool": form.tool}
    return render(request, "hub/casework/case_risk.html", context)


@access(SCOPED)
@require_http_methods(GET_POST)
def case_agenda(request, pk):
    case = _case(request, pk, "case.manage")
    if (asked := _opened(request, case)) is not None:
        return asked
    ctx = audit_context(request)
    coming = meetings.meetings_for(ctx, case)
    form = AgendaForm(request.POST or None, meetings=coming)
    if request.method == "POST" and form.is_valid():
        meeting = Meeting.objects.get(pk=form.cleaned_data["meeting"])
        try:
            meetings.put_on_agenda(ctx, case, meeting)
        except (ValueError, PermissionDenied, ValidationError) as problem:
            form.add_error("meeting", str(problem))
        else:
            messages.success(request, f"{case.reference} is on the agenda of {meeting}.")
            return redirect("case-detail", pk=case.pk)
    context = {"case": case, "form": form, "none": not coming.exists()}
    return render(request, "hub/casework/case_agenda.html", context)
