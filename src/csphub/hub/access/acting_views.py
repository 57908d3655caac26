"""Switching the agency a user acts for (a user with several memberships)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from csphub.hub.access.acting import switch
from csphub.hub.access.rules import SIGNED_IN, access
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record


@access(SIGNED_IN)
@require_POST
def acting_switch(request):
    """Act for the agency of another active membership of the user's; recorded."""
    try:
        chosen = int(request.POST.get("membership", ""))
    except ValueError:
        chosen = -1
    now = switch(request, chosen)
    if now is None:
        messages.error(request, "You cannot act for that agency.")
    else:
        record(
            Event.UPDATE,
            ctx=audit_context(request),
            object_type="access.membership",
            object_id=str(now.membership_id),
            object_repr=f"{request.user.username} now acting for {now.agency_name}",
        )
        messages.success(request, f"You are now acting for {now.agency_name}.")
    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return redirect(back)
