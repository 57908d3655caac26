"""The committee overview report: ``/committee-report/`` as a page (``?version=public``,
the default, or ``?version=full`` with report.exempt) and ``&format=pdf``. The data are
gathered here and the report is built by :mod:`.report`; the PDF is kept per version of
the data and fresh ones are limited per user (:mod:`.pdf`). Viewing and every PDF served
are recorded in the audit trail with the version; a refused render records nothing."""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from csphub.hub.access.models import Agency
from csphub.hub.access.policy import policy
from csphub.hub.access.rules import access, permission
from csphub.hub.actions.lifecycle import is_overdue
from csphub.hub.actions.models import Action
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record
from csphub.hub.committee import pdf
from csphub.hub.committee.report import (
    EXEMPT_MARK,
    VERSIONS,
    ActionRow,
    AgencyRow,
    GroupRow,
    Item,
    MeetingRow,
    Overview,
    PriorityRow,
    build_report,
)
from csphub.hub.groups.models import Group, Meeting
from csphub.hub.plan.queries import current_plan
from csphub.reports.document import PdfError, Section

#: The report covers the meetings held in this many days up to today.
PERIOD_DAYS = 365
GROUP_ORDER = {"board": 0, "ttcg": 1, "working": 2, "daily": 3}


def gather(today: dt.date) -> Overview:
    """Everything the report says, read from the database (partnership-wide: the report
    is about the partnership, not one user's groups)."""
    start = today - dt.timedelta(days=PERIOD_DAYS)
    agencies = tuple(
        AgencyRow(a.name, a.get_kind_display(), a.statutory) for a in Agency.objects.all()
    )
    plan = current_plan(today)
    priorities = ()
    if plan is not None:
        priorities = tuple(
            PriorityRow(p.order, p.title, p.lead_group.name if p.lead_group else "", p.coverage)
            for p in plan.priorities.select_related("lead_group").order_by("order")
        )
    held: dict[int, list[MeetingRow]] = {}
    meetings = (
        Meeting.objects.filter(
            status="held", starts_at__date__gte=start, starts_at__date__lte=today
        )
        .prefetch_related("agenda", "decisions__agenda_item")
        .order_by("starts_at", "id")
    )
    for m in meetings:
        held.setdefault(m.group_id, []).append(
            MeetingRow(
                m.title,
                timezone.localtime(m.starts_at).date(),
                agenda=tuple(Item(a.title, a.exempt) for a in m.agenda.all()),
                decisions=tuple(Item(d.text, _exempt_decision(d)) for d in m.decisions.all()),
            )
        )
    groups = sorted(
        Group.objects.select_related("parent", "chair").prefetch_related("agencies"),
        key=lambda g: (GROUP_ORDER.get(g.kind, 9), g.name),
    )
    group_rows = tuple(
        GroupRow(
            name=g.name,
            kind=g.get_kind_display(),
            cadence=g.get_cadence_display(),
            purpose=g.purpose,
            parent=g.parent.name if g.parent else "",
            chair=(g.chair.get_full_name() or g.chair.username) if g.chair else "",
            agencies=tuple(a.name for a in g.agencies.all()),
            meetings=tuple(held.get(g.pk, ())),
        )
        for g in groups
    )
    actions = tuple(
        ActionRow(
            title=title,
            group=group,
            owner_agency=agency,
            due=due,
            state=state,
            overdue=is_overdue(state, due, today),
            exempt=exempt,
        )
        for title, group, agency, due, state, exempt in Action.objects.annotate(
            inherited=ExpressionWrapper(
                Q(exempt=True) | Q(decision__exempt=True) | Q(decision__agenda_item__exempt=True),
                output_field=BooleanField(),
            )
        )
        .values_list("title", "group__name", "owner_agency__name", "due", "state", "inherited")
        .order_by("id")
    )
    return Overview(
        partnership=_partnership_name(groups),
        generated=today,
        period_start=start,
        period_end=today,
        plan_name=plan.name if plan else "",
        plan_period=f"{plan.starts:%B %Y} to {plan.ends:%B %Y}" if plan else "",
        agencies=agencies,
        priorities=priorities,
        groups=group_rows,
        actions=actions,
    )


def _exempt_decision(decision) -> bool:
    """A decision is exempt when marked, or when the agenda item it decides is."""
    return decision.exempt or bool(decision.agenda_item and decision.agenda_item.exempt)


def _partnership_name(groups: list[Group]) -> str:
    board = next((g for g in groups if g.kind == "board"), None)
    return board.name if board else "The Community Safety Partnership"


def _cells(table) -> list[list[tuple[str, bool, bool]]]:
    """Each row's cells as (text, exempt, numeric) for the page's template."""
    out = []
    for row in table.rows:
        cells = []
        for c in table.columns:
            v = row.get(c)
            text = "" if v is None else (f"{v:,}" if isinstance(v, int) else str(v))
            exempt = text.startswith(EXEMPT_MARK)
            if exempt:
                text = text[len(EXEMPT_MARK) :].lstrip(": ")
            cells.append((text, exempt, isinstance(v, int)))
        out.append(cells)
    return out


def _page_section(section: Section) -> dict:
    return {
        "id": section.id,
        "title": section.title,
        "paragraphs": section.paragraphs,
        "unavailable": section.unavailable,
        "tables": [
            {"id": t.id, "caption": t.caption, "columns": t.columns, "rows": _cells(t)}
            for t in section.tables
        ],
        "subsections": [_page_section(s) for s in section.subsections],
    }


def _too_many(request, version: str, until: dt.datetime):
    """429: this user's fresh PDFs are spent for the window; say until when."""
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    context = {
        "version": version,
        "limit": settings.COMMITTEE_PDF_RENDER_LIMIT,
        "window_seconds": settings.COMMITTEE_PDF_RENDER_WINDOW_SECONDS,
        "until": timezone.localtime(until),
        "seconds": seconds,
    }
    response = render(request, "hub/committee/too_many.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


@access(permission("report.view"))
@require_GET
def committee_report(request):
    version = request.GET.get("version", "public")
    fmt = request.GET.get("format", "html")
    if version not in VERSIONS:
        return HttpResponseBadRequest("version: choose public or full")
    if fmt not in ("html", "pdf"):
        return HttpResponseBadRequest("format: choose html or pdf")
    reports = policy("report")
    reports.require(request.user, "view", version)
    report = build_report(gather(timezone.localdate()), version)
    details = {"version": version, "format": fmt}
    repr_ = f"Committee report ({version} version)"
    if fmt == "pdf":
        try:
            data = pdf.pdf_for(report, request.user)
        except pdf.TooMany as exc:
            return _too_many(request, version, exc.until)
        except PdfError as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        record(
            Event.EXPORT,
            ctx=audit_context(request),
            object_type="committee.report",
            object_id=version,
            object_repr=repr_,
            after=details,
        )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.slug}.pdf"'
        return response
    record(
        Event.VIEW,
        ctx=audit_context(request),
        object_type="committee.report",
        object_id=version,
        object_repr=repr_,
        after=details,
    )
    context = {
        "report": report,
        "sections": [_page_section(s) for s in report.sections],
        "version": version,
        "can_exempt": "full" in reports.versions(request.user),
        "exempt_mark": EXEMPT_MARK,
    }
    return render(request, "hub/committee/report.html", context)
