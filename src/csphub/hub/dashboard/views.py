"""The dashboard: what a signed-in user needs first. Their own live actions and their
agency's (overdue first, tagged), the next meetings of their groups, and the plan's
priorities in figures from the evidence store (:mod:`.figures`, cached)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import render
from django.utils import timezone

from csphub.hub.access import scope
from csphub.hub.access.rules import SIGNED_IN, access
from csphub.hub.actions.lifecycle import LIVE
from csphub.hub.dashboard.figures import priority_figures
from csphub.hub.plan.models import PlanPeriod

#: How many of the agency's live actions the dashboard lists (the rest are in the log).
AGENCY_ROWS = 20
#: How many upcoming meetings it lists.
MEETINGS = 5


def _live_overdue_first(actions, today):
    return (
        actions.filter(state__in=LIVE)
        .select_related("group", "owner_agency", "owner")
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
    visible = scope.visible_actions(user)
    mine = list(_live_overdue_first(visible.filter(owner=user), today))
    agency_ids = scope.agency_ids(user)
    agency_qs = _live_overdue_first(
        visible.filter(owner_agency__in=agency_ids).exclude(owner=user), today
    )
    agency = list(agency_qs[: AGENCY_ROWS + 1])
    agency_more = len(agency) > AGENCY_ROWS
    if agency_more:
        agency = agency[:AGENCY_ROWS]
        agency_total = agency_qs.count()
    else:
        agency_total = len(agency)
    meetings = list(
        scope.visible_meetings(user)
        .filter(status="scheduled", starts_at__gte=timezone.now())
        .select_related("group")
        .order_by("starts_at", "id")[:MEETINGS]
    )
    plan = current_plan(today)
    priorities = (
        [(p.title, p.crime_types) for p in plan.priorities.order_by("order")] if plan else []
    )
    figures = priority_figures(priorities) if plan else None
    context = {
        "mine": mine,
        "mine_overdue": sum(1 for a in mine if a.late == 0),
        "agency": agency,
        "agency_more": agency_more,
        "agency_total": agency_total,
        "agency_overdue": agency_qs.filter(late=0).count() if agency else 0,
        "meetings": meetings,
        "plan": plan,
        "figures": figures,
    }
    return render(request, "hub/dashboard/home.html", context)
