"""The access sweep: every route of the hub, discovered from ``csphub.hub.urls`` (never
listed by hand), is checked for its access rule, for signed-out visitors and, for object
routes, for users inside and outside the object's scope.

Object routes take ``pk`` and are named ``<model>-<verb>`` with model in group, meeting,
action, decision; routes to objects that belong to no group (``UNSCOPED``, partnership
management) answer by their permission alone, with 404 for a pk that does not exist.

What each user should get comes from :mod:`access_table`, a table written by hand from the
roles' reach and the demo partnership's facts, never from the policies under test: who
sees and who manages each group, whose actions each may update, which pages each may open.
Every object of every object route is tried, for the eight demo users, a user with two
memberships acting for each agency in turn, and a chair whose membership was deactivated:

- the object out of the user's sight: 404;
- a page that only shows the object (verb ``detail``): 200;
- a page or POST that changes something: 200 for one who may make the change, 403 for one
  who sees the object but may not;
- a method the route does not take: 405.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from csphub.hub.access.models import Agency, Membership, PendingChange
from csphub.hub.access.rules import PUBLIC, rule_of
from csphub.hub.actions.models import Action
from csphub.hub.audit.models import AuditEvent
from csphub.hub.groups.models import Decision, Group, Meeting

from . import access_table as table

PUBLIC_ROUTES = {"sign-in", "hub-css"}
#: Object routes swept by test_casework_sweep.py (their own table: casework_table.py).
CASEWORK = ("case-", "person-", "place-", "document-", "duplicate-", "merge-")
MODELS = {"group": Group, "meeting": Meeting, "action": Action, "decision": Decision}
#: Verbs that only show an object; any other verb changes something.
READ_VERBS = {"detail"}
#: Object routes, by name prefix, whose objects belong to no group (partnership
#: management): the route's permission alone decides, any holder may use any object, and
#: a pk that does not exist answers 404 to a holder (403 to anyone else, as for any pk).
UNSCOPED = {
    "partnership-membership": Membership,
    "partnership-user": get_user_model(),
    "partnership-change": PendingChange,
}
#: How to find, for each unscoped model, an object that is not the coordinator's own (an
#: administrator never manages their own account or membership).
NOT_SAMS = {
    Membership: {"user__username": "sam"},
    get_user_model(): {"username": "sam"},
    PendingChange: {"proposed_by__username": "sam"},
}
SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x"}
PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    route: str  # e.g. "meetings/<int:pk>/edit/"
    name: str | None
    view: Any

    @property
    def rule(self):
        return rule_of(self.view)

    @property
    def params(self) -> list[str]:
        return [m["name"] for m in PARAM.finditer(self.route)]

    def path(self, **values: Any) -> str:
        def fill(m: re.Match) -> str:
            if m["name"] in values:
                return str(values[m["name"]])
            return SAMPLES.get(m["conv"] or "str", "x")

        return "/" + PARAM.sub(fill, self.route)

    @property
    def model(self) -> str | None:
        if "pk" not in self.params or not self.name:
            return None
        return self.name.split("-", 1)[0]

    @property
    def unscoped(self) -> Any:
        """The model of an object route whose objects belong to no group, else None."""
        if "pk" not in self.params or not self.name:
            return None
        return next((m for p, m in UNSCOPED.items() if self.name.startswith(p + "-")), None)

    @property
    def verb(self) -> str:
        return (self.name or "").split("-", 1)[1] if "-" in (self.name or "") else ""


def walk(patterns, prefix: str = "") -> list[Route]:
    found = []
    for p in patterns:
        assert not hasattr(p.pattern, "regex") or hasattr(p.pattern, "_route"), (
            f"{prefix}{p.pattern}: use path(), not re_path(), so the sweep can fill it in"
        )
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            found += walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            found.append(Route(route, p.name, p.callback))
    return found


ROUTES = walk(get_resolver("csphub.hub.urls").url_patterns)


def test_the_sweep_finds_the_routes():
    names = {r.name for r in ROUTES}
    assert {"sign-in", "sign-out", "two-factor", "two-factor-setup", "audit-list"} <= names
    assert "hub-css" in names


def test_every_route_declares_an_access_rule_and_only_sign_in_is_public():
    missing = [f"/{r.route} ({r.name})" for r in ROUTES if r.rule is None]
    assert not missing, f"views without an access rule: {missing}"
    public = {r.name for r in ROUTES if r.rule.public}
    assert public == PUBLIC_ROUTES
    assert all(r.rule is PUBLIC for r in ROUTES if r.name in PUBLIC_ROUTES)


def test_every_route_needs_a_name_and_object_routes_a_known_model():
    assert all(r.name for r in ROUTES), [r.route for r in ROUTES if not r.name]
    unknown = [
        r.name
        for r in ROUTES
        if r.model is not None
        and r.model not in MODELS
        and r.unscoped is None
        and not r.name.startswith(CASEWORK)
    ]
    assert not unknown, f"object routes for models the sweep does not know: {unknown}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name or r.route)
def test_signed_out_every_route_goes_to_sign_in(db, route):
    path = route.path()
    for method in ("get", "post"):
        response = getattr(Client(), method)(path)
        if route.rule.public:
            assert response.status_code != 302 or not response["Location"].startswith("/sign-in/")
            continue
        assert response.status_code == 302, (method, path, response.status_code)
        assert response["Location"] == f"/sign-in/?next={quote(path)}"


# Signed in: every user of the table, every object ----------------------------------


class CountingClient(Client):
    """A test client that counts its requests by method and answer, so that a sweep run
    with ``CSPHUB_SWEEP_TALLY=FILE`` can say how many requests it tried (one JSON line per
    test appended to FILE)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tally: dict[str, int] = {}

    def request(self, **request):
        response = super().request(**request)
        key = f"{request.get('REQUEST_METHOD', 'GET')} {response.status_code}"
        self.tally[key] = self.tally.get(key, 0) + 1
        return response


def _signed_in(user) -> CountingClient:
    client = CountingClient()
    client.force_login(user)
    return client


@pytest.fixture
def sweep_clients(users, request):
    """A signed-in client for each user of the table (``access_table.USERS``): the demo
    users, kim (fire chair of the serious violence group, youth member) acting for each
    agency, and lee (a police chair of Aquazure, deactivated)."""
    fire, youth, police = (Agency.objects.get(code=c) for c in ("fire", "youth", "police"))
    User = get_user_model()
    kim = User.objects.create_user("kim", password=None)
    at_fire = Membership.objects.create(user=kim, agency=fire, roles=["chair"])
    at_youth = Membership.objects.create(user=kim, agency=youth, roles=["member"])
    Group.objects.filter(code="serious-violence").update(chair=kim)
    # A change waiting for a second administrator, proposed by another coordinator.
    ann = User.objects.create_user("ann", password=None)
    Membership.objects.create(user=ann, agency=Agency.objects.get(code="council"), roles=[])
    daves = Membership.objects.get(user=users["dave"])
    PendingChange.objects.create(membership=daves, kind="roles", roles=["chair"], proposed_by=ann)
    lee = User.objects.create_user("lee", password=None)
    Membership.objects.create(user=lee, agency=police, roles=["chair"], active=False)
    Group.objects.filter(code="aquazure").update(chair=lee)
    clients = {name: _signed_in(users[name]) for name in table.USERS if name in users}
    for name, user, membership in (("kim@fire", kim, at_fire), ("kim@youth", kim, at_youth)):
        client = _signed_in(user)
        assert client.post("/acting/", {"membership": membership.pk}).status_code == 302
        client.tally.clear()
        clients[name] = client
    clients["lee"] = _signed_in(lee)
    assert set(clients) == set(table.USERS)
    yield clients
    if path := os.environ.get("CSPHUB_SWEEP_TALLY"):
        tally = {name: c.tally for name, c in clients.items()}
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"test": request.node.name, "tally": tally}) + "\n")


#: Pages that show nothing protected, so write no view row: each with why.
SHOW_NOTHING_PROTECTED = {
    "group-meeting-new": "a blank form for a new meeting of a group the user already sees",
    "partnership-agency-new": "a blank form for a new agency",
    "partnership-user-new": "a blank form for a new user (the agencies' names only)",
}


def _last_row() -> int:
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def _viewed_since(before: int, route_name: str) -> bool:
    """Whether the request just made wrote its view (or export) row, as every page that
    shows protected content must (or the route shows nothing protected)."""
    if route_name in SHOW_NOTHING_PROTECTED:
        return True
    rows = AuditEvent.objects.filter(pk__gt=before, action__in=["view", "export"])
    return rows.exists()


def _facts(model: str, obj: Any) -> tuple[str, str | None, str | None]:
    """(group code, group whose decision raised it, owner agency code) of an object."""
    if model == "group":
        return obj.code, None, None
    if model in ("meeting",):
        return obj.group.code, None, None
    if model == "decision":
        return obj.meeting.group.code, None, None
    raised = obj.decision.meeting.group.code if obj.decision_id else None
    return obj.group.code, raised, obj.owner_agency.code


def answer(route: Route, model: str, obj: Any, user: str) -> int:
    """What ``user`` should get from the route for ``obj``, by the table."""
    group, raised_in, owner = _facts(model, obj)
    if model == "action":
        if not table.sees_action(user, group, raised_in, owner):
            return 404
        if route.verb in READ_VERBS:
            return 200
        return 200 if table.updates_action(user, group, owner) else 403
    if group not in table.SEES[user]:
        return 404
    if route.verb in READ_VERBS:
        return 200
    return 200 if group in table.MANAGES.get(user, ()) else 403


OBJECT_ROUTES = [
    r
    for r in ROUTES
    if r.model is not None and r.unscoped is None and not r.name.startswith(CASEWORK)
]


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_object_routes_answer_as_the_table_says(route, sweep_clients):
    model = MODELS[route.model]
    objects = list(model.objects.order_by("pk"))
    assert objects, f"{route.name}: the demo has no {route.model}"
    wrong, seen, tried = [], set(), 0
    for obj in objects:
        path = route.path(pk=obj.pk)
        post_only = sweep_clients["sam"].get(path).status_code == 405
        for user, client in sweep_clients.items():
            want = answer(route, route.model, obj, user)
            seen.add(want)
            # POST-only: an empty POST (the form's errors for those who may, else refused);
            # otherwise GET, and POST too where refused (a refusal changes nothing).
            refused_post = want != 200 and route.verb not in READ_VERBS
            attempts = ["post"] if post_only else ["get"] + (["post"] if refused_post else [])
            for method in attempts:
                before = _last_row()
                got = getattr(client, method)(path).status_code
                tried += 1
                if got != want:
                    wrong.append(f"{method.upper()} {path} as {user}: {got}, expected {want}")
                elif method == "get" and got == 200 and not _viewed_since(before, route.name):
                    wrong.append(f"GET {path} as {user}: shown, but no view row was written")
            if want == 200:
                got = client.generic("PUT", path).status_code
                if got != 405:
                    wrong.append(f"PUT {path} as {user}: {got}, expected 405")
    assert not wrong, f"{len(wrong)} of {tried} requests:\n" + "\n".join(wrong)
    assert {200, 404} <= seen, f"{route.name}: no user both in and out of sight was tried"
    if route.verb not in READ_VERBS:
        assert 403 in seen, f"{route.name}: no user who sees it without the right was tried"


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.unscoped is not None], ids=lambda r: r.name
)
def test_unscoped_object_routes_answer_by_the_table(route, sweep_clients):
    obj = route.unscoped.objects.exclude(**NOT_SAMS[route.unscoped]).order_by("pk").first()
    missing = route.unscoped.objects.order_by("-pk").first().pk + 1000
    allowed = table.PAGES["partnership-home"]
    wrong = []
    for user, client in sweep_clients.items():
        may = user in allowed
        checks = [("get", obj.pk, 200 if may else 403), ("get", missing, 404 if may else 403)]
        if not may:
            checks.append(("post", obj.pk, 403))  # refused POSTs change nothing
        for method, pk, want in checks:
            path = route.path(pk=pk)
            before = _last_row()
            got = getattr(client, method)(path).status_code
            if got != want:
                wrong.append(f"{method.upper()} {path} as {user}: {got}, expected {want}")
            elif got == 200 and not _viewed_since(before, route.name):
                wrong.append(f"GET {path} as {user}: shown, but no view row was written")
    assert not wrong, "\n".join(wrong)


#: Routes that are about the signed-in user themself, open to all: what each does is
#: tested on its own (sign-out, the second factor, switching agency).
OWN_ROUTES = {
    "sign-out",
    "two-factor",
    "two-factor-setup",
    "acting-switch",
    "account-password",
    "access-reason",
}
PAGE_ROUTES = [r for r in ROUTES if r.model is None and not r.rule.public]


def test_every_page_route_is_in_the_table():
    from . import casework_table

    missing = {r.name for r in PAGE_ROUTES} - set(table.PAGES) - set(casework_table.PAGES)
    missing -= OWN_ROUTES
    assert not missing, f"add these routes to access_table.PAGES: {sorted(missing)}"


@pytest.mark.parametrize(
    "route", [r for r in PAGE_ROUTES if r.name in table.PAGES], ids=lambda r: r.name
)
def test_pages_answer_as_the_table_says(route, sweep_clients):
    who = table.PAGES[route.name]
    wrong = []
    for user, client in sweep_clients.items():
        want = 200 if who is None or user in who else 403
        before = _last_row()
        got = client.get(route.path()).status_code
        if got != want:
            wrong.append(f"GET {route.path()} as {user}: {got}, expected {want}")
        elif got == 200 and not _viewed_since(before, route.name):
            wrong.append(f"GET {route.path()} as {user}: shown, but no view row was written")
        if want == 200 and client.generic("PUT", route.path()).status_code != 405:
            wrong.append(f"PUT {route.path()} as {user}: not 405")
    assert not wrong, "\n".join(wrong)


def test_the_full_committee_report_as_the_table_says(sweep_clients):
    wrong = []
    for user, client in sweep_clients.items():
        if user == "lee":
            continue  # no report at all (above)
        want = 200 if user in table.FULL_REPORT else 403
        got = client.get("/committee-report/?version=full").status_code
        if got != want:
            wrong.append(f"full report as {user}: {got}, expected {want}")
    assert not wrong, "\n".join(wrong)
