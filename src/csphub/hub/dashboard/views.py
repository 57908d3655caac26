"""The dashboard: what a signed-in user needs first. Their own live actions and their
agency's (overdue first, tagged), the next meetings of their groups, and the plan's
priorities in figures from the evidence store (:mod:`.figures`, cached)."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from csphub.hub.access.policy import policy
from csphub.hub.access.rules import SIGNED_IN, access
from csphub.hub.access.scope import acting_agency_ids
from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record
from csphub.hub.dashboard.figures import priority_figures
from csphub.hub.plan.queries import current_plan

#: How many of the agency's live actions the dashboard lists (the rest are in the log).
AGENCY_ROWS = 20
#: How many upcoming meetings it lists.
MEETINGS = 5


def _live_overdue_first(actions, today):
    return (
        actions.select_related("group", "owner_agency", "owner")
        .only(
            "pk",
            "title",
            "due",
            "state",
            "exempt",
            "group__name",
            "owner_agency__name",
            "owner__username",
            "owner__first_name",
            "owner__last_name",
        )
        .annotate(
            late=Case(
                When(due__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("late", "due", "id")
    )


@access(SIGNED_IN)
@require_safe
def home(request):
    user = request.user
    today = timezone.localdate()
    # Both lists come from the action policy (seen, and owned by the user or the agency
    # they act for), so nothing here restates a rule.
    actions = policy("action").live(user)
    mine = list(_live_overdue_first(actions.filter(owner=user), today))
    agency_qs = _live_overdue_first(
        actions.filter(owner_agency__in=acting_agency_ids(user)).exclude(owner=user), today
    )
    agency = list(agency_qs[: AGENCY_ROWS + 1])
    agency_more = len(agency) > AGENCY_ROWS
    if agency_more:
        agency = agency[:AGENCY_ROWS]
        totals = agency_qs.order_by().aggregate(
            n=Count("id"), overdue=Count("id", filter=Q(due__lt=today))
        )
        agency_total, agency_overdue = totals["n"], totals["overdue"]
    else:
        agency_total, agency_overdue = len(agency), sum(1 for a in agency if a.late == 0)
    meetings = list(
        policy("meeting")
        .visible(user)
        .filter(status="scheduled", starts_at__gte=timezone.now())
        .select_related("group")
        .only("pk", "title", "starts_at", "location", "group__name")
        .order_by("starts_at", "id")[:MEETINGS]
    )
    plan = current_plan(today)
    figures = None
    if plan is not None:
        priorities = plan.priorities.order_by("order").values_list("title", "crime_types")
        figures = priority_figures([(t, types) for t, types in priorities])
    context = {
        "mine": mine,
        "mine_overdue": sum(1 for a in mine if a.late == 0),
        "agency": agency,
        "agency_more": agency_more,
        "agency_total": agency_total,
        "agency_overdue": agency_overdue,
        "meetings": meetings,
        "plan": plan,
        "figures": figures,
    }
    record(
        Event.VIEW,
        ctx=audit_context(request),
        object_type="actions.action",
        object_repr=f"dashboard: {len(mine)} own and {len(agency)} agency actions shown",
    )
    return render(request, "hub/dashboard/home.html", context)
