"""The partnership's data-sharing agreements: the list (with each one's parties and
review date, overdue reviews flagged) and a form to record a new one."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from csphub.hub.access.rules import access, permission
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record
from csphub.hub.casework.forms import AgreementForm
from csphub.hub.casework.models import SharingAgreement
from csphub.hub.casework.services.agreements import create_agreement

MANAGE = permission("agreement.manage")


@access(MANAGE)
@require_safe
def agreement_list(request):
    rows = list(SharingAgreement.objects.prefetch_related("parties"))
    record(
        Event.VIEW,
        ctx=audit_context(request),
        object_type="casework.sharingagreement",
        object_repr=f"data-sharing agreements: {len(rows)}",
    )
    context = {"agreements": rows, "today": timezone.localdate()}
    return render(request, "hub/casework/agreement_list.html", context)


@access(MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_new(request):
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = create_agreement(audit_context(request), **form.cleaned_data)
        except ValueError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"Agreement recorded: {row.title}.")
            return redirect("agreement-list")
    return render(request, "hub/casework/agreement_new.html", {"form": form})
