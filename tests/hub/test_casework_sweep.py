"""The access sweep for casework: every casework route (found from the URL table, never
listed by hand) for every sweep user and every demo case, person, place and document, with
the answer taken from :mod:`casework_table` (written by hand, not from the policies).

Answers: out of sight 404; a page that only shows 200 (a restricted case first sends
whoever may open it to the reason page: 302 there); a change 200 (the form again, with
its errors, for an empty POST) or a redirect (302) for one who may, 403 for one who sees
the object but may not; a method the route does not take 405. A 200 GET must have written
its view row, naming the people it showed."""

from __future__ import annotations

from typing import Any

import pytest

from csphub.hub.audit.models import AuditEvent
from csphub.hub.casework.models import Case, CaseShare, Document, Person, Place

from . import casework_table as table
from .test_access_sweep import ROUTES, Route, sweep_clients  # noqa: F401 (a fixture)

CASE_ROUTES = [r for r in ROUTES if (r.name or "").startswith("case-") and "pk" in r.params]
OTHER_OBJECT_ROUTES = {
    "person-detail": Person,
    "place-detail": Place,
    "document-download": Document,
}
#: Case routes that only show (a GET page); the rest change something.
SHOWS = {"case-detail"}
#: What each change route needs: "update" (work the case) or "manage" (the lead's).
NEEDS = {
    "case-entry": "update",
    "case-person-add": "update",
    "case-person-link": "update",
    "case-place-add": "update",
    "case-risk": "update",
    "case-document-add": "update",
    "case-move": "manage",
    "case-owner": "manage",
    "case-share": "manage",
    "case-share-end": "manage",
    "case-agenda": "manage",
}


#: Pages that show nothing protected when opened bare, so write no view row, with why.
BLANK_FORMS = {
    "case-new": "a blank form for a new case",
    "agreement-new": "a blank form for a new agreement (the agencies' names only)",
    "search": "the search box before anything is asked (a search writes its search row)",
}


def test_every_casework_object_route_is_in_the_table():
    names = {r.name for r in CASE_ROUTES}
    assert names == SHOWS | set(NEEDS), names ^ (SHOWS | set(NEEDS))


def _last() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _viewed(before: int) -> bool:
    return AuditEvent.objects.filter(pk__gt=before, action__in=["view", "export"]).exists()


def _want(route: Route, case: Case, user: str) -> set[int]:
    title = case.title
    kind, _, _ = table.CASES[title]
    restricted = kind in table.RESTRICTED_TYPES
    if route.name in SHOWS:
        if table.opens(user, title):
            return {302} if restricted else {200}
        return {200} if table.knows(user) else {404}
    if not table.opens(user, title):
        return {404}
    may = (
        table.updates(user, title) if NEEDS[route.name] == "update" else table.manages(user, title)
    )
    if not may:
        return {403}
    if route.name == "case-risk" and kind not in table.WITH_RISK_TOOL:
        return {404}
    if route.name == "case-move" and case.state == "closed":
        return {200, 302}
    return {200, 302}


def _path(route: Route, case: Case) -> str:
    if route.name == "case-share-end":
        share = CaseShare.objects.filter(case=case, ended_at__isnull=True).first()
        return route.path(pk=case.pk, share_pk=share.pk if share else 999999)
    return route.path(pk=case.pk)


@pytest.mark.parametrize("route", CASE_ROUTES, ids=lambda r: r.name)
def test_case_routes_answer_as_the_table_says(route, sweep_clients):  # noqa: F811
    cases = list(Case.objects.order_by("pk"))
    assert {c.title for c in cases} == set(table.CASES), "the demo's cases changed"
    wrong, seen, tried = [], set(), 0
    for case in cases:
        path = _path(route, case)
        post_only = sweep_clients["sam"].get(path).status_code == 405
        for user, client in sweep_clients.items():
            want = _want(route, case, user)
            seen |= want
            if route.name == "case-share-end" and want & {200, 302}:
                continue  # ending a share is tried on its own, below
            methods = ["post"] if post_only else ["get"]
            if not post_only and want & {403, 404} and route.name not in SHOWS:
                methods.append("post")  # a refused POST changes nothing
            for method in methods:
                before = _last()
                got = getattr(client, method)(path).status_code
                tried += 1
                if got not in want:
                    wrong.append(f"{method.upper()} {path} as {user}: {got}, expected {want}")
                elif method == "get" and got == 200 and not _viewed(before):
                    wrong.append(f"GET {path} as {user}: shown, but no view row was written")
            if want & {200, 302} and client.generic("PUT", path).status_code != 405:
                wrong.append(f"PUT {path} as {user}: not 405")
    assert not wrong, f"{len(wrong)} of {tried} requests:\n" + "\n".join(wrong)
    assert 404 in seen and (200 in seen or 302 in seen), route.name
    if route.name not in SHOWS:
        assert 403 in seen, f"{route.name}: nobody who sees a case without the right was tried"


def test_ending_a_share_is_the_lead_agencys(sweep_clients):  # noqa: F811
    case = Case.objects.get(title="Drug use and visitors, Gannet Walk flats")
    share = CaseShare.objects.get(case=case, ended_at__isnull=True)
    path = f"/cases/{case.pk}/shares/{share.pk}/end/"
    assert sweep_clients["sam"].post(path).status_code == 403  # shared with, not the lead
    assert sweep_clients["priya"].post(path).status_code == 404  # police: not shared
    assert sweep_clients["dave"].post(path).status_code == 302
    share.refresh_from_db()
    assert share.ended_at is not None
    assert sweep_clients["sam"].get(f"/cases/{case.pk}/").status_code == 200  # profile only
    assert (
        "not shared with your agency"
        in sweep_clients["sam"].get(f"/cases/{case.pk}/").content.decode()
    )


def _person_name(person: Person) -> str:
    return f"{person.given_name} {person.family_name}"


def _object_want(name: str, obj: Any, user: str) -> int:
    if name == "person-detail":
        return 200 if table.sees_person(user, _person_name(obj)) else 404
    if name == "place-detail":
        return 200 if table.knows(user) else 404
    return 200 if table.opens(user, obj.case.title) else 404  # a document, with its case


@pytest.mark.parametrize("name", sorted(OTHER_OBJECT_ROUTES))
def test_people_places_and_documents_answer_as_the_table_says(name, sweep_clients):  # noqa: F811
    route = next(r for r in ROUTES if r.name == name)
    objects = list(OTHER_OBJECT_ROUTES[name].objects.order_by("pk"))
    assert objects, f"the demo has no {name}"
    wrong, seen = [], set()
    for obj in objects:
        path = route.path(pk=obj.pk)
        for user, client in sweep_clients.items():
            want = _object_want(name, obj, user)
            seen.add(want)
            before = _last()
            got = client.get(path).status_code
            if got != want:
                wrong.append(f"GET {path} as {user}: {got}, expected {want}")
            elif got == 200 and not _viewed(before):
                wrong.append(f"GET {path} as {user}: shown, but no view row was written")
            if client.post(path).status_code != 405:
                wrong.append(f"POST {path} as {user}: not 405")
    assert not wrong, "\n".join(wrong)
    assert seen == {200, 404}, (name, seen)


def test_a_persons_view_row_names_them(sweep_clients):  # noqa: F811
    kyle = Person.objects.get(given_name="Kyle", family_name="Marsden")
    sweep_clients["dave"].get(f"/people/{kyle.pk}/")
    row = AuditEvent.objects.filter(actor_name="dave", action="view").latest("seq")
    assert row.subjects == [f"person:{kyle.pk}"]


@pytest.mark.parametrize("name", sorted(table.PAGES))
def test_casework_pages_answer_as_the_table_says(name, sweep_clients):  # noqa: F811
    route = next(r for r in ROUTES if r.name == name)
    wrong = []
    for user, client in sweep_clients.items():
        want = 200 if user in table.PAGES[name] else 403
        before = _last()
        got = client.get(route.path()).status_code
        if got != want:
            wrong.append(f"GET {route.path()} as {user}: {got}, expected {want}")
        elif got == 200 and name not in BLANK_FORMS and not _viewed(before):
            wrong.append(f"GET {route.path()} as {user}: shown, but no view row was written")
    assert not wrong, "\n".join(wrong)


def test_the_merge_review_queue_is_the_coordinators(sweep_clients):  # noqa: F811
    from csphub.hub.casework.models import DuplicateCandidate

    candidate = DuplicateCandidate.objects.get()  # the demo's Kyle Marsden / Kai Marsdon
    wrong = []
    for user, client in sweep_clients.items():
        may = user in table.PAGES["duplicate-list"]
        checks = [
            ("get", f"/casework/duplicates/{candidate.pk}/", 200 if may else 403),
            ("get", f"/casework/duplicates/{candidate.pk + 1000}/", 404 if may else 403),
            ("post", "/casework/merges/999999/undo/", 404 if may else 403),
            ("get", "/casework/merges/999999/undo/", 405 if may else 403),
        ]
        for method, path, want in checks:
            before = _last()
            got = getattr(client, method)(path).status_code
            if got != want:
                wrong.append(f"{method.upper()} {path} as {user}: {got}, expected {want}")
            elif method == "get" and got == 200 and not _viewed(before):
                wrong.append(f"GET {path} as {user}: shown, but no view row was written")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", ["person-address", "person-contact"])
def test_a_persons_details_are_added_as_the_table_says(name, sweep_clients):  # noqa: F811
    route = next(r for r in ROUTES if r.name == name)
    wrong, seen = [], set()
    for person in Person.objects.order_by("pk"):
        path = route.path(pk=person.pk)
        full = _person_name(person)
        for user, client in sweep_clients.items():
            if not table.sees_person(user, full):
                want = 404
            else:
                want = 200 if table.updates_person(user, full) else 403
            seen.add(want)
            before = _last()
            got = client.get(path).status_code
            if got != want:
                wrong.append(f"GET {path} as {user}: {got}, expected {want}")
            elif got == 200 and not _viewed(before):
                wrong.append(f"GET {path} as {user}: shown, but no view row was written")
            if want != 200 and client.post(path).status_code != want:
                wrong.append(f"POST {path} as {user}: not refused with {want}")
    assert not wrong, "\n".join(wrong)
    assert seen == {200, 403, 404}, seen


def test_a_case_page_offers_the_changes_the_table_allows(sweep_clients):  # noqa: F811
    """The case page asks once which changes a user may make; what it offers must still
    be what the table allows (a note: work the case; the next step and the link to change
    the owner: the lead's)."""
    from django.urls import reverse

    wrong, tried = [], 0
    for case in Case.objects.order_by("pk"):
        if table.CASES[case.title][0] in table.RESTRICTED_TYPES or not case.open:
            continue  # restricted ones ask a reason first: the route sweep covers them
        forms = {
            "entry": (f'action="{reverse("case-entry", args=[case.pk])}"', table.updates),
            "move": (f'action="{reverse("case-move", args=[case.pk])}"', table.manages),
            "owner": (f'href="{reverse("case-owner", args=[case.pk])}"', table.manages),
        }
        for user, client in sweep_clients.items():
            if not table.opens(user, case.title):
                continue
            page = client.get(f"/cases/{case.pk}/").content.decode()
            tried += 1
            for form, (action, rule) in forms.items():
                if (action in page) != rule(user, case.title):
                    wrong.append(f"{case.title} as {user}: {form} form shown is wrong")
    assert tried >= 10 and not wrong, "\n".join(wrong)
