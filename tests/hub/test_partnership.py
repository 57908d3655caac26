"""Partnership management pages: agencies, users and memberships, for holders of
partnership.manage (the demo's coordinator, sam)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from csphub.hub.access.models import Agency, Membership
from csphub.hub.access.policy import policy
from csphub.hub.audit.models import AuditEvent

PASSWORD = "violet-harbour-lantern-42"
PAGES = [
    "/partnership/",
    "/partnership/agencies/new/",
    "/partnership/users/new/",
]


def _last_event() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def _user_post(agency: Agency, **changes) -> dict:
    data = {
        "username": "newbie",
        "first_name": "Nia",
        "last_name": "Newton",
        "email": "",
        "agency": str(agency.pk),
        "roles": ["member", "analyst"],
        "job_title": "Outreach worker",
        "password": PASSWORD,
    }
    data.update(changes)
    return data


def test_sam_creates_an_agency_and_a_user_who_can_sign_in(client_for):
    sam = client_for("sam")
    start = _last_event()
    page = sam.get("/partnership/")
    assert page.status_code == 200
    assert b"Add an agency" in page.content and b"dave" in page.content
    assert b'href="/partnership/"' in sam.get("/").content  # in the navigation

    response = sam.post(
        "/partnership/agencies/new/",
        {
            "name": "Northshire Mind",
            "code": "northshire-mind",
            "kind": "voluntary",
            "requires_two_factor": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    agency = Agency.objects.get(code="northshire-mind")
    assert agency.statutory is False and agency.requires_two_factor is False
    row = AuditEvent.objects.filter(pk__gt=start).get(action="create", object_type="access.agency")
    assert row.actor_name == "sam" and row.after["name"] == "Northshire Mind"

    response = sam.post("/partnership/users/new/", _user_post(agency))
    assert response.status_code == 302, response.content.decode()
    new = get_user_model().objects.get(username="newbie")
    membership = Membership.objects.get(user=new)
    assert membership.agency == agency and membership.roles == ["member", "analyst"]
    assert membership.job_title == "Outreach worker" and membership.active

    user_row = AuditEvent.objects.filter(pk__gt=start).get(action="create", object_type="auth.user")
    assert user_row.object_id == str(new.pk) and user_row.actor_name == "sam"
    assert user_row.after["password"] == "***"
    assert user_row.after["username"] == "newbie"
    member_row = AuditEvent.objects.filter(pk__gt=start).get(
        action="create", object_type="access.membership"
    )
    assert member_row.after["roles"] == ["member", "analyst"]
    for event in AuditEvent.objects.filter(pk__gt=start):
        assert PASSWORD not in str(event.before) + str(event.after) + event.path
    listing = sam.get("/partnership/")
    assert b"Northshire Mind" in listing.content and b"newbie" in listing.content
    assert PASSWORD.encode() not in listing.content

    visitor = Client()
    signed_in = visitor.post("/sign-in/", {"username": "newbie", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    assert visitor.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="sign-in", actor_name="newbie").exists()


def test_dave_gets_403_everywhere_and_writes_nothing(client_for, users):
    dave = client_for("dave")
    housing = Membership.objects.filter(user=users["dave"]).first()
    # Refusals write their own rows, and the dashboard its view row: nothing else.
    before = AuditEvent.objects.exclude(action__in=["denied", "view"]).count()
    agencies, people = Agency.objects.count(), get_user_model().objects.count()
    for path in [*PAGES, f"/partnership/memberships/{housing.pk}/"]:
        assert dave.get(path).status_code == 403, path
    assert dave.post("/partnership/agencies/new/", {"name": "X", "code": "x"}).status_code == 403
    agency = Agency.objects.first()
    assert dave.post("/partnership/users/new/", _user_post(agency)).status_code == 403
    response = dave.post(f"/partnership/memberships/{housing.pk}/", {"status": "deactivate"})
    assert response.status_code == 403
    assert b'href="/partnership/"' not in dave.get("/").content
    assert AuditEvent.objects.exclude(action__in=["denied", "view"]).count() == before
    assert (Agency.objects.count(), get_user_model().objects.count()) == (agencies, people)
    assert Membership.objects.get(pk=housing.pk).active


@pytest.mark.parametrize("weak", ["short1", "password1234", "123456789012"])
def test_a_weak_password_is_refused_and_nothing_is_created(client_for, weak):
    sam = client_for("sam")
    agency = Agency.objects.first()
    before = AuditEvent.objects.count()
    people, memberships = get_user_model().objects.count(), Membership.objects.count()
    response = sam.post("/partnership/users/new/", _user_post(agency, password=weak))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert 'href="#id_password"' in page
    assert weak not in page  # the password is never shown back
    assert get_user_model().objects.count() == people
    assert Membership.objects.count() == memberships
    assert AuditEvent.objects.count() == before


def test_missing_roles_and_taken_user_name_are_refused(client_for):
    sam = client_for("sam")
    agency = Agency.objects.first()
    response = sam.post("/partnership/users/new/", _user_post(agency, roles=[], username="Dave"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select at least one role." in page and 'href="#id_roles"' in page
    assert "A user with this user name already exists." in page
    assert not get_user_model().objects.filter(username="Newbie").exists()


def test_membership_edit_404_for_a_missing_pk(client_for):
    missing = (Membership.objects.order_by("-pk").first().pk) + 1000
    assert client_for("sam").get(f"/partnership/memberships/{missing}/").status_code == 404


def test_changing_roles_and_job_title_is_audited(client_for, users):
    sam = client_for("sam")
    membership = Membership.objects.filter(user=users["dave"]).first()
    start = _last_event()
    page = sam.get(f"/partnership/memberships/{membership.pk}/")
    assert page.status_code == 200 and b"Deactivate the membership" in page.content
    response = sam.post(
        f"/partnership/memberships/{membership.pk}/",
        {"roles": ["member", "analyst"], "job_title": "Tenancy lead"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.roles == ["member", "analyst"] and membership.job_title == "Tenancy lead"
    row = AuditEvent.objects.filter(pk__gt=start).get(
        action="update", object_type="access.membership"
    )
    assert row.after == {"roles": ["member", "analyst"], "job_title": "Tenancy lead"}
    assert row.before["job_title"] != "Tenancy lead"


def test_deactivating_a_membership_removes_its_groups_from_scope(client_for, users):
    sam = client_for("sam")
    dave = users["dave"]
    membership = Membership.objects.get(user=dave, active=True)
    groups = set(membership.agency.partnership_groups.values_list("pk", flat=True))
    groups -= set(
        membership.agency.partnership_groups.filter(chair=dave).values_list("pk", flat=True)
    )
    assert groups, "dave's agency sits on groups"
    fresh = get_user_model().objects.get(pk=dave.pk)
    assert groups <= set(policy("group").visible(fresh).values_list("pk", flat=True))

    start = _last_event()
    response = sam.post(f"/partnership/memberships/{membership.pk}/", {"status": "deactivate"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.active is False
    row = AuditEvent.objects.filter(pk__gt=start).get(
        action="update", object_type="access.membership"
    )
    assert row.before == {"active": True} and row.after == {"active": False}

    fresh = get_user_model().objects.get(pk=dave.pk)
    now_visible = set(policy("group").visible(fresh).values_list("pk", flat=True))
    assert not (groups & now_visible)
    group = next(iter(groups))
    assert client_for("dave").get(f"/groups/{group}/").status_code == 404

    response = sam.post(f"/partnership/memberships/{membership.pk}/", {"status": "reactivate"})
    assert response.status_code == 302
    fresh = get_user_model().objects.get(pk=dave.pk)
    assert groups <= set(policy("group").visible(fresh).values_list("pk", flat=True))
