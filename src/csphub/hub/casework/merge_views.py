"""Pages of the merge-review queue: the pairs waiting (side by side, with the score and
reasons), a pair to compare and decide (merge with a reason, or not the same person), and
the merge history with undo. Only for ``person.merge`` (the coordinator). Thin: every
change goes through :mod:`.services.merge`, every page that shows people writes a view
row naming them."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from csphub.hub.access import reasons
from csphub.hub.access.policy import policy
from csphub.hub.access.rules import access, permission
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record
from csphub.hub.casework.models import DuplicateCandidate, Person, PersonMerge
from csphub.hub.casework.services.merge import (
    MergeRefused,
    mark_distinct,
    merge_people,
    undo_merge,
)
from csphub.hub.forms import GovukForm, too_long

MERGE = permission("person.merge")
PER_PAGE = 25


class MergeForm(GovukForm):
    keep = forms.ChoiceField(
        label="Which record should be kept?",
        choices=[("first", "The first record"), ("second", "The second record")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the record to keep"},
    )
    reason = forms.CharField(
        label="Why are these the same person?",
        help_text="For example: the same date of birth and police nominal id.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why these are the same person", **too_long("Reason", 500)},
    )


@dataclass(frozen=True)
class Row:
    label: str
    first: str
    second: str

    @property
    def same(self) -> bool:
        return self.first == self.second and self.first != "None"


def _listed(items) -> str:
    return "; ".join(str(i) for i in items) or "None"


def _facts(person: Person) -> dict[str, str]:
    addresses = person.addresses.select_related("place")
    return {
        "Name": str(person),
        "Born": person.born,
        "Gender": person.get_gender_display() or "Not recorded",
        "Aliases": _listed(person.aliases.all()),
        "Identifiers": _listed(person.identifiers.all()),
        "Addresses": _listed(a.place for a in addresses),
        "Contact details": _listed(
            f"{c.get_kind_display()} {c.value}" for c in person.contacts.all()
        ),
        "Cases": str(person.parties.count()),
        "Recorded by": f"{person.created_agency.name}, {person.created_at:%-d %B %Y}",
        "Sensitivity": person.get_sensitivity_display(),
    }


def compare_rows(first: Person, second: Person) -> list[Row]:
    """The two records field by field (a presenter for the pair page)."""
    a, b = _facts(first), _facts(second)
    return [Row(label, a[label], b[label]) for label in a]


def _viewed(request, what: str, people, justification: str = "") -> None:
    record(
        Event.VIEW,
        ctx=audit_context(request),
        object_type="casework.person",
        object_repr=what,
        subjects=[("person", p.pk) for p in people],
        justification=justification,
    )


@access(MERGE)
@require_safe
def duplicate_list(request):
    pending = DuplicateCandidate.objects.filter(
        status="pending", first__merged_into__isnull=True, second__merged_into__isnull=True
    ).select_related("first", "second")
    page = Paginator(pending, PER_PAGE).get_page(request.GET.get("page"))
    candidates = list(page)
    people = [p for c in candidates for p in (c.first, c.second)]
    if people:
        _viewed(request, f"merge-review queue, page {page.number}", people)
    context = {"page": page, "candidates": candidates}
    return render(request, "hub/casework/merge_queue.html", context)


def _pair_page(request, candidate, form, status=200):
    rows = compare_rows(candidate.first, candidate.second)
    context = {"candidate": candidate, "rows": rows, "form": form}
    return render(request, "hub/casework/merge_pair.html", context, status=status)


def _decide(request, candidate):
    ctx = audit_context(request)
    if request.POST.get("decision") == "distinct":
        try:
            mark_distinct(ctx, candidate)
        except MergeRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Recorded as not the same person.")
        return redirect("duplicate-list")
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _pair_page(request, candidate, form, status=400)
    keep_first = form.cleaned_data["keep"] == "first"
    survivor, merged = (
        (candidate.first, candidate.second) if keep_first else (candidate.second, candidate.first)
    )
    try:
        merge_people(ctx, survivor, merged, reason=form.cleaned_data["reason"], candidate=candidate)
    except MergeRefused as exc:
        form.add_error(None, str(exc))
        return _pair_page(request, candidate, form, status=409)
    messages.success(request, f"{merged} (record {merged.pk}) merged into {survivor}.")
    return redirect("merge-list")


@access(MERGE)
@require_http_methods(["GET", "HEAD", "POST"])
def duplicate_detail(request, pk):
    candidate = get_object_or_404(
        DuplicateCandidate.objects.select_related(
            "first__created_agency", "second__created_agency", "decided_by"
        ),
        pk=pk,
    )
    # A restricted person's record opens only with a reason, here as on their own page.
    given = []
    for person in (candidate.first, candidate.second):
        reason = reasons.reason_for(request, policy("person"), person)
        if reason is None:
            return reasons.ask(request, policy("person"), person)
        given.append(reason)
    if request.method == "POST":
        return _decide(request, candidate)
    why = "; ".join(r for r in given if r)
    _viewed(request, f"possible duplicate {candidate.pk}", [candidate.first, candidate.second], why)
    form = MergeForm() if candidate.status == "pending" else None
    return _pair_page(request, candidate, form)


@access(MERGE)
@require_safe
def merge_list(request):
    merges = PersonMerge.objects.select_related("survivor", "merged", "merged_by", "undone_by")
    page = Paginator(merges, PER_PAGE).get_page(request.GET.get("page"))
    items = list(page)
    people = [p for m in items for p in (m.survivor, m.merged)]
    _viewed(request, f"merge history, page {page.number}: {len(items)} merges", people)
    return render(request, "hub/casework/merge_history.html", {"page": page, "merges": items})


@access(MERGE)
@require_POST
def merge_undo(request, pk):
    merge = get_object_or_404(PersonMerge.objects.select_related("survivor", "merged"), pk=pk)
    try:
        undo_merge(audit_context(request), merge)
    except MergeRefused as exc:
        messages.error(request, f"The merge was not undone: {exc}.")
    else:
        messages.success(
            request, f"Merge undone: {merge.merged} (record {merge.merged_id}) is back."
        )
    return redirect("merge-list")
