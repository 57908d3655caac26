"""Partnership management pages, for holders of ``partnership.manage``: agencies, users
and memberships. Thin: forms validate, :mod:`csphub.hub.access.services` changes and
audits. Memberships belong to no group, so any holder may edit any membership; a pk that
does not exist answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from csphub.hub.access import services
from csphub.hub.access.forms import AgencyForm, MembershipForm, UserForm
from csphub.hub.access.models import Agency, Membership, PendingChange, role_table
from csphub.hub.access.policy import policy
from csphub.hub.access.rules import access, permission
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record

GET_POST = ["GET", "POST"]
MANAGE = permission("partnership.manage")
MANAGE_OBJECTS = permission("partnership.manage", objects=True)


def _role_names(roles: list[str]) -> str:
    table = role_table()
    return ", ".join(table[r][0] if r in table else r for r in roles) or "No roles"


@access(MANAGE)
@require_safe
def partnership_home(request):
    agencies = Agency.objects.annotate(
        active_members=Count("memberships", filter=Q(memberships__active=True))
    ).order_by("name")
    users = get_user_model().objects.order_by("last_name", "first_name", "username")
    users = users.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("agency").order_by("agency__name"),
        )
    )
    rows = [(u, [(m, _role_names(m.roles)) for m in u.memberships.all()]) for u in users]
    pending = PendingChange.objects.filter(state="pending").select_related(
        "membership__user", "membership__agency", "proposed_by"
    )
    context = {
        "agencies": agencies,
        "rows": rows,
        "pending": [(c, _role_names(c.roles)) for c in pending],
    }
    record(
        Event.VIEW,
        ctx=audit_context(request),
        object_type="access.membership",
        object_repr=f"partnership page: {len(rows)} users",
    )
    return render(request, "hub/access/partnership.html", context)


@access(MANAGE)
@require_http_methods(GET_POST)
def partnership_agency_new(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency = services.create_agency(audit_context(request), **form.cleaned_data)
        messages.success(request, f"Agency added: {agency.name}.")
        return redirect("partnership-home")
    return render(request, "hub/access/agency_new.html", {"form": form})


@access(MANAGE)
@require_http_methods(GET_POST)
def partnership_user_new(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new, membership = services.create_user(audit_context(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"User added: {new.username}, in {membership.agency.name}. Give them their "
                "initial password by a separate, secure route.",
            )
            return redirect("partnership-home")
    return render(request, "hub/access/user_new.html", {"form": form})


@access(MANAGE_OBJECTS)
@require_http_methods(GET_POST)
def partnership_membership_edit(request, pk):
    memberships = policy("membership")
    queryset = Membership.objects.select_related("user", "agency")
    membership = memberships.get(request.user, pk, queryset=queryset)
    own = not memberships.can(request.user, "partnership.manage", membership)
    if request.method == "GET":
        record(
            Event.VIEW,
            membership,
            ctx=audit_context(request),
            subjects=[("user", membership.user_id)],
        )
    if request.method == "POST" and own:
        raise PermissionDenied("nobody changes their own access: ask another administrator")
    status = request.POST.get("status") if request.method == "POST" else None
    if status in ("deactivate", "reactivate"):
        waiting = len(services.pending_for(membership))
        services.update_membership(
            audit_context(request),
            membership,
            active=status == "reactivate",
        )
        _say_done(
            request, membership, waiting, "reactivated" if membership.active else "deactivated"
        )
        return redirect("partnership-home")
    initial = {"roles": membership.roles, "job_title": membership.job_title}
    form = MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        waiting = len(services.pending_for(membership))
        services.update_membership(audit_context(request), membership, **form.cleaned_data)
        _say_done(request, membership, waiting, "changed")
        return redirect("partnership-home")
    context = {
        "form": form,
        "membership": membership,
        "own": own,
        "pending": services.pending_for(membership),
    }
    return render(request, "hub/access/membership_edit.html", context)


def _say_done(request, membership: Membership, waiting_before: int, done: str) -> None:
    if len(services.pending_for(membership)) > waiting_before:
        messages.info(
            request,
            f"The change to {membership} needs a second administrator: it is waiting for "
            "another administrator to approve it.",
        )
    else:
        messages.success(request, f"Membership {done}: {membership}.")


@access(MANAGE_OBJECTS)
@require_http_methods(GET_POST)
def partnership_change_decide(request, pk):
    """A change waiting for a second administrator: approve or reject it."""
    try:
        change = PendingChange.objects.select_related(
            "membership__user", "membership__agency", "proposed_by", "decided_by"
        ).get(pk=pk)
    except (PendingChange.DoesNotExist, ValueError, TypeError):
        raise Http404("not found") from None
    user = request.user
    may_decide = change.state == "pending" and user.pk not in (
        change.proposed_by_id,
        change.membership.user_id,
    )
    decision = request.POST.get("decision") if request.method == "POST" else None
    if decision in ("approve", "reject"):
        if not may_decide:
            raise PermissionDenied("a second administrator, not the person it is about, decides")
        services.decide_change(audit_context(request), change, approve=decision == "approve")
        messages.success(
            request, f"{change}: {'approved' if decision == 'approve' else 'rejected'}."
        )
        return redirect("partnership-home")
    record(
        Event.VIEW,
        change,
        ctx=audit_context(request),
        subjects=[("user", change.membership.user_id)],
    )
    context = {"change": change, "roles": _role_names(change.roles), "may_decide": may_decide}
    return render(request, "hub/access/change_decide.html", context)
