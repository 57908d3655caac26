"""The audit trail, searchable by person, action, record and date, and its CSV export.
Looking at the trail and exporting it are themselves recorded."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from csphub.hub.access.policy import policy
from csphub.hub.access.rules import access, permission
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.models import AuditEvent, AuditSubject
from csphub.hub.audit.service import record
from csphub.hub.forms import GovukForm
from csphub.hub.spreadsheet import safe_cell

PAGE_SIZE = 50
AUDIT_TYPE = "audit.auditevent"


class AuditFilter(GovukForm):
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=150,
        help_text="A user name, for example sam: what they did and what was done to their account.",
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *AuditEvent.ACTIONS]
    )
    object_type = forms.CharField(
        label="Record type",
        required=False,
        max_length=100,
        help_text="For example actions.action, groups.meeting or auth.user.",
    )
    object_id = forms.CharField(label="Record number", required=False, max_length=64)
    subject = forms.RegexField(
        label="Data subject",
        required=False,
        max_length=120,
        regex=r"^[a-z_.]+:[^:\s]+$",
        help_text="Every row about one person or record, for example user:12 or person:40.",
        error_messages={"invalid": "Enter a data subject as type:number, for example user:12."},
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The 'To' date must be the same as or after the 'From' date.")
        return data


def _criteria(form: AuditFilter) -> dict[str, Any]:
    """The filter's valid, non-empty values (an invalid field is left out, and shown)."""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return {k: v for k, v in data.items() if v not in (None, "") and k not in form.errors}


def filtered(user: Any, criteria: dict[str, Any]) -> QuerySet:
    events = policy("audit row").visible(user)  # newest first (the model's ordering)
    if person := criteria.get("person"):
        person = person.strip()
        events = events.filter(
            Q(actor_name__iexact=person) | Q(object_type="auth.user", object_repr__iexact=person)
        )
    if action := criteria.get("action"):
        events = events.filter(action=action)
    if object_type := criteria.get("object_type"):
        events = events.filter(object_type__iexact=object_type.strip())
    if object_id := criteria.get("object_id"):
        events = events.filter(object_id=object_id.strip())
    if subject := criteria.get("subject"):
        kind, _, key = subject.partition(":")
        events = events.filter(
            pk__in=AuditSubject.objects.filter(subject_type=kind, subject_id=key).values("event")
        )
    if start := criteria.get("date_from"):
        events = events.filter(at__date__gte=start)
    if end := criteria.get("date_to"):
        events = events.filter(at__date__lte=end)
    return events


def describe(criteria: dict[str, Any]) -> str:
    """The filter in words, for the audit row of the view itself."""
    if not criteria:
        return "all audit events"
    return "; ".join(
        f"{k}={v.isoformat() if hasattr(v, 'isoformat') else v}" for k, v in criteria.items()
    )[:300]


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def changes(event: AuditEvent) -> list[tuple[str, str | None, str | None]]:
    """(field, before, after) as text for each field in either snapshot; ``None`` where a
    snapshot does not have the field (nothing before a create, nothing after a delete)."""
    before, after = event.before or {}, event.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("value", _shown(event.before), _shown(event.after))]
    keys = list(dict.fromkeys([*before, *after]))
    return [
        (
            k,
            _shown(before[k]) if k in before else None,
            _shown(after[k]) if k in after else None,
        )
        for k in keys
    ]


@access(permission("audit.view"))
@require_GET
def audit_list(request):
    form = AuditFilter(request.GET or None)
    criteria = _criteria(form) if request.GET else {}
    page = Paginator(filtered(request.user, criteria), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(event, changes(event)) for event in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    record(
        Event.VIEW,
        ctx=audit_context(request),
        object_type=AUDIT_TYPE,
        object_repr=f"{describe(criteria)}; page {page.number}",
    )
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "filtered": bool(criteria),
    }
    return render(request, "hub/audit/list.html", context)


COLUMNS = [
    "seq",
    "at",
    "actor",
    "system_run",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "justification",
    "address",
    "path",
    "acting_agency",
    "request_id",
    "subjects",
    "recipient",
    "legal_basis",
    "form",
    "prev_hash",
    "row_hash",
]


def _rows(events: QuerySet) -> Iterator[list[str]]:
    yield COLUMNS
    for e in events.iterator(chunk_size=2000):
        yield [
            safe_cell(v)
            for v in (
                e.seq,
                timezone.localtime(e.at).isoformat(),
                e.actor_name,
                e.system_run,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                "" if e.before is None else json.dumps(e.before, sort_keys=True),
                "" if e.after is None else json.dumps(e.after, sort_keys=True),
                e.justification,
                e.address,
                e.path,
                e.acting_agency,
                e.request_id,
                " ".join(e.subjects or []),
                e.recipient,
                e.legal_basis,
                e.form,
                e.prev_hash,
                e.row_hash,
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


@access(permission("audit.view"))
@require_GET
def audit_export(request):
    form = AuditFilter(request.GET or None)
    criteria = _criteria(form) if request.GET else {}
    record(
        Event.EXPORT,
        ctx=audit_context(request),
        object_type=AUDIT_TYPE,
        object_repr=describe(criteria),
    )
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _rows(filtered(request.user, criteria))),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
