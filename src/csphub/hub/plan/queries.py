"""Reading the plan, for the pages of other apps (dashboard, committee report)."""

from __future__ import annotations

import datetime as dt

from csphub.hub.plan.models import PlanPeriod


def current_plan(today: dt.date) -> PlanPeriod | None:
    """The plan period running today, else the latest one (None without a plan)."""
    plans = PlanPeriod.objects.order_by("-starts")
    return plans.filter(starts__lte=today, ends__gte=today).first() or plans.first()
