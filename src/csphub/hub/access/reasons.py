"""Opening a restricted record asks why first, and the view row keeps the reason.

A policy says which records are restricted (:meth:`~csphub.hub.access.policy.Policy.
needs_reason`). Before such a record opens, the user is sent to the reason page, which
keeps the reason in the session for that record (asked once a session, per record); the
view then records it as the justification of its ``view`` row.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from csphub.hub.access.rules import SIGNED_IN, access
from csphub.hub.forms import GovukForm

SESSION_KEY = "csphub_reasons"
MIN_LENGTH = 10


def _key(policy_name: str, pk: Any) -> str:
    return f"{policy_name}:{pk}"


def reason_for(request: Any, policy: Any, obj: Any) -> str | None:
    """The reason this session gave for opening ``obj``, "" when it needs none, or None
    when it needs one that was not given yet."""
    if not policy.needs_reason(request.user, obj):
        return ""
    return request.session.get(SESSION_KEY, {}).get(_key(policy.name, obj.pk))


def ask(request: Any, policy: Any, obj: Any) -> HttpResponseRedirect:
    """Send the user to the reason page, and back here afterwards."""
    query = urlencode({"record": _key(policy.name, obj.pk), "next": request.get_full_path()})
    return HttpResponseRedirect(f"/reason/?{query}")


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Why are you opening this record?",
        help_text="For example, the case or meeting you are preparing for. It is kept in "
        "the audit trail with your name.",
        min_length=MIN_LENGTH,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@access(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def give_reason(request):
    """The reason page: the reason is kept for the record named by ``record``, then the
    user goes on to ``next`` (a path on this site), where the record's policy still
    decides whether it opens."""
    record = request.GET.get("record", "")
    back = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and ":" in record:
        reasons = dict(request.session.get(SESSION_KEY, {}))
        reasons[record] = form.cleaned_data["reason"].strip()
        request.session[SESSION_KEY] = reasons
        return HttpResponseRedirect(back)
    return render(request, "hub/access/reason.html", {"form": form, "back": back})
