"""The access sweep: every route of the hub, discovered from ``csphub.hub.urls`` (never
listed by hand), is checked for its access rule, for signed-out visitors and, for object
routes, for users inside and outside the object's scope.

Object routes take ``pk`` and are named ``<model>-<verb>`` with model in group, meeting,
action, decision; routes to objects that belong to no group (``UNSCOPED``, partnership
management) answer by their permission alone, with 404 for a pk that does not exist. What
each user should get is derived from :mod:`csphub.hub.access.scope` for the object, so new
routes are swept without editing this file:

- the route's named permission missing: 403 (the same answer for any ``pk``, so nothing
  is disclosed);
- the object out of the user's scope: 404;
- a page that only shows the object (verb ``detail``): 200;
- a page or POST that changes something: 200 for a GET by a user who may make the change,
  403 for a user who sees the object but may not (``scope.can_update_action`` for an
  action's own changes; ``scope.can_manage_group`` on the owning group with the permission
  the verb names, per ``PERMISSION_OF``, for the rest).

Each object route is checked with users from an agency on the owning group, a partner
agency (on its parent or a related group, not on it) and an unrelated agency, plus every
other demo user; the object is chosen so that all three kinds exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from csphub.hub.access import scope
from csphub.hub.access.models import Agency, Membership
from csphub.hub.access.rules import PUBLIC, rule_of
from csphub.hub.actions.models import Action
from csphub.hub.groups.models import Decision, Group, Meeting

PUBLIC_ROUTES = {"sign-in", "hub-css"}
MODELS = {"group": Group, "meeting": Meeting, "action": Action, "decision": Decision}
#: Verbs that only show an object; any other verb changes something.
READ_VERBS = {"detail"}
#: The permission a change needs, by the first word of the verb that names one (else
#: by the model): ``meeting-decision-new`` needs decision.record in the meeting's group.
PERMISSION_OF = {
    "meeting": "meeting.manage",
    "agenda": "meeting.manage",
    "attendance": "meeting.manage",
    "minutes": "meeting.manage",
    "decision": "decision.record",
    "action": "action.create",
    "group": "partnership.manage",
}
#: Object routes, by name prefix, whose objects belong to no group (partnership
#: management): the route's permission alone decides, any holder may use any object, and
#: a pk that does not exist answers 404 to a holder (403 to anyone else, as for any pk).
UNSCOPED = {"partnership-membership": Membership, "partnership-user": get_user_model()}
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
        if r.model is not None and r.model not in MODELS and r.unscoped is None
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


# Object routes -----------------------------------------------------------------------


def owning_group(model: str, obj: Any) -> Group:
    return {
        "group": lambda: obj,
        "meeting": lambda: obj.group,
        "decision": lambda: obj.meeting.group,
        "action": lambda: obj.group,
    }[model]()


def visible(model: str, obj: Any, user: Any) -> bool:
    if model == "group":
        return scope.visible_groups(user).filter(pk=obj.pk).exists()
    if model == "meeting":
        return scope.visible_meetings(user).filter(pk=obj.pk).exists()
    if model == "decision":
        return scope.visible_meetings(user).filter(pk=obj.meeting_id).exists()
    return scope.visible_actions(user).filter(pk=obj.pk).exists()


def needed_permission(route: Route) -> str:
    for word in route.verb.split("-"):
        if word in PERMISSION_OF:
            return PERMISSION_OF[word]
    return PERMISSION_OF[route.model]


def may_change(route: Route, obj: Any, user: Any) -> bool:
    own_change = route.model == "action" and not any(
        w in PERMISSION_OF for w in route.verb.split("-")
    )
    if own_change:
        return scope.can_update_action(user, obj)
    return scope.can_manage_group(user, owning_group(route.model, obj), needed_permission(route))


def expected(route: Route, obj: Any, user: Any) -> int:
    rule = route.rule
    if rule.permission and not scope.has_permission(user, rule.permission):
        return 403
    if not visible(route.model, obj, user):
        return 404
    if route.verb in READ_VERBS:
        return 200
    return 200 if may_change(route, obj, user) else 403


def kind(obj_group: Group, user: Any, extra_related: set[int]) -> str:
    """same (an agency on the group), partner (on its parent or a related group) or
    unrelated."""
    mine = set(scope.agency_ids(user))
    if mine & set(obj_group.agencies.values_list("pk", flat=True)):
        return "same"
    related = {obj_group.parent_id, *obj_group.subgroups.values_list("pk", flat=True)}
    related |= extra_related
    related.discard(None)
    on_related = Group.objects.filter(pk__in=related, agencies__in=mine).exists()
    return "partner" if on_related else "unrelated"


def related_groups(model: str, obj: Any) -> set[int]:
    if model == "action" and obj.decision_id:
        return {obj.decision.meeting.group_id}
    return set()


@pytest.fixture
def sweep_users(users):
    """The demo users, and an outsider: a coordinator (every permission but the audit)
    in an agency that sits on no group."""
    outsider_agency = Agency.objects.create(
        code="outsider", name="Outsider Agency", kind="other", statutory=False
    )
    outsider = get_user_model().objects.create_user("outsider", password=None)
    Membership.objects.create(user=outsider, agency=outsider_agency, roles=["coordinator"])
    return [*users.values(), outsider]


def choose(route: Route, people: list[Any]) -> tuple[Any, dict[Any, str]]:
    """The object of the route's model with all three kinds of user, and the most varied
    expectations; its users' kinds."""
    best = None
    for obj in MODELS[route.model].objects.order_by("pk")[:50]:
        group = owning_group(route.model, obj)
        kinds = {u: kind(group, u, related_groups(route.model, obj)) for u in people}
        if set(kinds.values()) != {"same", "partner", "unrelated"}:
            continue
        variety = len({expected(route, obj, u) for u in people})
        if best is None or variety > best[0]:
            best = (variety, obj, kinds)
    assert best is not None, f"{route.name}: no {route.model} with all three kinds of user"
    return best[1], best[2]


OBJECT_ROUTES = [r for r in ROUTES if r.model is not None and r.unscoped is None]


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_object_routes_answer_by_scope(route, sweep_users):
    obj, kinds = choose(route, sweep_users)
    path = route.path(pk=obj.pk)
    first = Client()
    first.force_login(sweep_users[0])
    post_only = first.get(path).status_code == 405
    wrong = []
    seen = set()
    for user in sweep_users:
        client = Client()
        client.force_login(user)
        want = expected(route, obj, user)
        seen.add(want)
        attempts = [] if post_only else ["get"]
        if want != 200 and route.verb not in READ_VERBS:
            attempts.append("post")  # refused POSTs change nothing
        for method in attempts:
            got = getattr(client, method)(path).status_code
            if got != want:
                wrong.append(
                    f"{method.upper()} {path} as {user.username} ({kinds[user]}): "
                    f"{got}, expected {want}"
                )
    assert not wrong, "\n".join(wrong)
    assert 404 in seen, f"{route.name}: no user out of scope was tried"
    if route.verb not in READ_VERBS:
        assert 403 in seen, f"{route.name}: no user in scope without the right was tried"


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.unscoped is not None], ids=lambda r: r.name
)
def test_unscoped_object_routes_answer_by_permission(route, sweep_users):
    obj = route.unscoped.objects.order_by("pk").first()
    missing = (route.unscoped.objects.order_by("-pk").first().pk or 0) + 1000
    wrong = []
    seen = set()
    for user in sweep_users:
        client = Client()
        client.force_login(user)
        allowed = scope.has_permission(user, route.rule.permission)
        seen.add(allowed)
        checks = [("get", obj.pk, 200 if allowed else 403)]
        checks.append(("get", missing, 404 if allowed else 403))
        if not allowed:
            checks.append(("post", obj.pk, 403))  # refused POSTs change nothing
        for method, pk, want in checks:
            path = route.path(pk=pk)
            got = getattr(client, method)(path).status_code
            if got != want:
                wrong.append(f"{method.upper()} {path} as {user.username}: {got}, expected {want}")
    assert not wrong, "\n".join(wrong)
    assert seen == {True, False}, f"{route.name}: holders and others were not both tried"


# Other routes, signed in ------------------------------------------------------------


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.model is None and not r.rule.public], ids=lambda r: r.name
)
def test_other_routes_answer_signed_in_users(route, sweep_users):
    for user in sweep_users:
        client = Client()
        client.force_login(user)
        got = client.get(route.path()).status_code
        if route.rule.permission and not scope.has_permission(user, route.rule.permission):
            assert got == 403, (route.name, user.username, got)
        else:
            assert got in (200, 302, 405), (route.name, user.username, got)
