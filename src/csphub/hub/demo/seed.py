"""Create the demo partnership from ``partnership.json`` (idempotent: a second run changes
nothing). Every row is written through the models and recorded in the audit trail as the
system run ``csphub demo``."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from csphub.hub.access.models import Agency, Membership
from csphub.hub.audit.context import system
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record, snapshot
from csphub.hub.groups.models import Group
from csphub.hub.plan.models import PlanPeriod, Priority
from csphub.reports.assess.config import load_priorities

SYSTEM = "csphub demo"


def spec() -> dict[str, Any]:
    return json.loads(files("csphub.hub.demo").joinpath("partnership.json").read_text("utf-8"))


@dataclass(frozen=True)
class Seeded:
    created: int
    password: str
    users: tuple[tuple[str, str, str, str], ...]  # username, name, agency, roles


def _created(obj) -> None:
    record(Event.CREATE, obj, ctx=system(SYSTEM), after=snapshot(obj))


@transaction.atomic
def seed_partnership(
    *, with_meetings: bool = True, with_casework: bool = True, today: dt.date | None = None
) -> Seeded:
    """Agencies, users, groups, the plan, (``with_meetings``) meetings and actions, and
    (``with_casework``) people, places and cases."""
    data = spec()
    created = 0
    agencies = {}
    for a in data["agencies"]:
        obj, new = Agency.objects.get_or_create(
            code=a["code"],
            defaults={"name": a["name"], "kind": a["kind"], "statutory": a["statutory"]},
        )
        agencies[a["code"]] = obj
        if new:
            _created(obj)
            created += 1
    User = get_user_model()
    users = {}
    for u in data["users"]:
        first, _, last = u["name"].rpartition(" ")
        user, new = User.objects.get_or_create(
            username=u["username"], defaults={"first_name": first, "last_name": last}
        )
        if new:
            user.set_password(data["password"])
            user.save()
            _created(user)
            created += 1
        membership, new = Membership.objects.get_or_create(
            user=user,
            agency=agencies[u["agency"]],
            defaults={"roles": u["roles"], "job_title": u["job"]},
        )
        if new:
            _created(membership)
            created += 1
        users[u["username"]] = user
    groups: dict[str, Group] = {}
    for g in data["groups"]:
        group, new = Group.objects.get_or_create(
            code=g["code"],
            defaults={
                "name": g["name"],
                "kind": g["kind"],
                "cadence": g["cadence"],
                "purpose": g["purpose"],
                "parent": groups.get(g["parent"]),
                "chair": users.get(g["chair"]) if g["chair"] else None,
                "restricted": g.get("restricted", False),
            },
        )
        if new:
            group.agencies.set([agencies[c] for c in g["agencies"]])
            _created(group)
            created += 1
        groups[g["code"]] = group
    p = data["plan"]
    plan, new = PlanPeriod.objects.get_or_create(
        name=p["name"],
        defaults={
            "starts": dt.date.fromisoformat(p["starts"]),
            "ends": dt.date.fromisoformat(p["ends"]),
        },
    )
    if new:
        _created(plan)
        created += 1
        for item in load_priorities().items:
            lead = data["priority_leads"].get(item.id)
            priority = Priority.objects.create(
                plan=plan,
                order=item.order,
                code=item.id,
                title=item.title,
                crime_types=list(item.policeuk_types),
                coverage=item.coverage_note,
                lead_group=groups.get(lead) if lead else None,
            )
            _created(priority)
            created += 1
    if with_meetings and created:
        from csphub.hub.demo.meetings import seed_meetings

        created += seed_meetings(groups, agencies, users, today or timezone.localdate())
    if with_casework:
        from csphub.hub.demo.casework import seed_casework
        from csphub.hub.demo.duplicates import seed_duplicate

        created += seed_casework(today)
        created += seed_duplicate()
    listed = tuple(
        (u["username"], u["name"], agencies[u["agency"]].name, ", ".join(u["roles"]))
        for u in data["users"]
    )
    return Seeded(created, data["password"], listed)
