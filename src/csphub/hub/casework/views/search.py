"""The search page: one box for people, places and cases; what was asked is recorded."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from csphub.hub.access.rules import access, permission
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record
from csphub.hub.casework.forms import SearchForm
from csphub.hub.casework.search import search


@access(permission("case.profile"))
@require_safe
def search_page(request):
    form = SearchForm(request.GET or None)
    results = None
    if request.GET and form.is_valid():
        results = search(request.user, form.cleaned_data["q"])
        record(
            Event.SEARCH,
            ctx=audit_context(request),
            object_type="casework.search",
            object_repr=f"search ({results.kind}): {results.count} results",
            justification=f"searched for: {results.query}"[:500],
            subjects=results.subjects(),
        )
    return render(request, "hub/casework/search.html", {"form": form, "results": results})
