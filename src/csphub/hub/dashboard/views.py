"""The dashboard: what a signed-in user needs first. Their own live actions and their
agency's (overdue first, tagged), the next meetings of their groups, and the plan's
priorities in figures from the evidence store (:mod:`.figures`, cached)."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import render
from django.utils import timezone

from csphub.hub.access import scope
from csphub.hub.access.rules import SIGNED_IN, access
from csphub.hub.actions.lifecycle import LIVE
from csphub.hub.actions.models import Action
from csphub.hub.dashboard.figures import priority_figures
from csphub.hub.plan.models import PlanPeriod

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


def current_plan(today):
    """The plan period running today, else the latest one (None without a plan)."""
    plans = PlanPeriod.objects.order_by("-starts")
    return plans.filter(starts__lte=today, ends__gte=today).first() or plans.first()


@access(SIGNED_IN)
def home(request):
    user = request.user
    today = timezone.localdate()
    # Both lists are inside the user's scope by its definition (scope.visible_actions: the
    # actions they own and those their agencies own), so they are read directly rather
    # than through that DISTINCT over groups and decisions: the dashboard is the busiest
    # page. tests/hub/test_dashboard.py checks every linked action is in scope.
    actions = Action.objects.filter(state__in=LIVE)
    mine = list(_live_overdue_first(actions.filter(owner=user), today))
    agency_qs = _live_overdue_first(
        actions.filter(owner_agency__in=scope.agency_ids(user)).exclude(owner=user), today
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
        scope.visible_meetings(user)
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
    return render(request, "hub/dashboard/home.html", context)
