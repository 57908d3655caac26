"""Separation of duties: nobody changes their own access; making someone a coordinator,
chair or auditor, removing such a role, or deactivating a membership that holds one takes
a second administrator, who is neither the proposer nor the person it is about. The
probe's findings: a coordinator granted himself the auditor role, deactivated the
information governance auditor and created a police chair account, alone."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client

from csphub.hub.access import services
from csphub.hub.access.models import Agency, Membership, PendingChange
from csphub.hub.audit.context import for_user
from csphub.hub.audit.models import AuditEvent

from .factories import MembershipFactory


def _last() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


@pytest.fixture
def ann(partnership):
    """A second administrator: another coordinator at the council."""
    council = Agency.objects.get(code="council")
    return MembershipFactory(user__username="ann", agency=council, roles=["coordinator"]).user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _membership(users, name: str) -> Membership:
    return Membership.objects.get(user=users[name])


def test_nobody_changes_their_own_membership(client_for, users):
    own = _membership(users, "sam")
    start = _last()
    response = client_for("sam").post(
        f"/partnership/memberships/{own.pk}/", {"roles": ["coordinator", "auditor"]}
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.roles == ["coordinator"]
    assert not AuditEvent.objects.filter(pk__gt=start, action__in=["create", "update"]).exists()
    with pytest.raises(PermissionDenied):
        services.update_membership(for_user(users["sam"]), own, roles=["coordinator", "auditor"])
    with pytest.raises(PermissionDenied):  # nor a new membership for themself
        services.create_membership(
            for_user(users["sam"]),
            users["sam"],
            Agency.objects.get(code="police"),
            roles=["auditor"],
        )
    page = client_for("sam").get(f"/partnership/memberships/{own.pk}/").content.decode()
    assert "another administrator changes it" in page and "Save changes" not in page


def test_granting_the_auditor_role_waits_for_a_second_administrator(client_for, users, ann):
    daves = _membership(users, "dave")
    sam = client_for("sam")
    response = sam.post(f"/partnership/memberships/{daves.pk}/", {"roles": ["member", "auditor"]})
    assert response.status_code == 302
    daves.refresh_from_db()
    assert daves.roles == ["member"]  # not yet
    change = PendingChange.objects.get(membership=daves, state="pending")
    assert change.roles == ["member", "auditor"] and change.proposed_by == users["sam"]
    assert "needs a second administrator" in sam.get("/partnership/").content.decode()
    # The proposer cannot approve it, nor can the person it is about.
    start = _last()
    assert (
        sam.post(f"/partnership/changes/{change.pk}/", {"decision": "approve"}).status_code == 403
    )
    assert (
        not AuditEvent.objects.filter(pk__gt=start).exclude(action__in=["view", "denied"]).exists()
    )
    page = _client(ann).get(f"/partnership/changes/{change.pk}/").content.decode()
    assert "Approve the change" in page
    response = _client(ann).post(f"/partnership/changes/{change.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    daves.refresh_from_db()
    assert daves.roles == ["member", "auditor"]
    rows = AuditEvent.objects.filter(pk__gt=start, actor=ann, action="update")
    assert rows.filter(object_type="access.pendingchange").get().after["state"] == "approved"
    assert rows.filter(object_type="access.membership").get().after == {
        "roles": ["member", "auditor"]
    }


def test_deactivating_the_auditor_waits_and_can_be_rejected(client_for, users, ann):
    morgans = _membership(users, "morgan")
    response = client_for("sam").post(
        f"/partnership/memberships/{morgans.pk}/", {"status": "deactivate"}
    )
    assert response.status_code == 302
    morgans.refresh_from_db()
    assert morgans.active
    change = PendingChange.objects.get(membership=morgans, kind="deactivate")
    response = _client(ann).post(f"/partnership/changes/{change.pk}/", {"decision": "reject"})
    assert response.status_code == 302
    change.refresh_from_db()
    morgans.refresh_from_db()
    assert change.state == "rejected" and change.decided_by == ann and morgans.active
    # Decided once only.
    with pytest.raises(ValueError, match="already been decided"):
        services.decide_change(for_user(users["sam"]), change, approve=True)


def test_the_person_a_change_is_about_cannot_approve_it(users, ann):
    anns = Membership.objects.get(user=ann)
    services.update_membership(for_user(users["sam"]), anns, roles=["coordinator", "auditor"])
    change = PendingChange.objects.get(membership=anns)
    with pytest.raises(PermissionDenied):
        services.decide_change(for_user(ann), change, approve=True)
    anns.refresh_from_db()
    assert anns.roles == ["coordinator"]


def test_a_new_chair_account_starts_without_the_chair_role(client_for, users):
    police = Agency.objects.get(code="police")
    response = client_for("sam").post(
        "/partnership/users/new/",
        {
            "username": "newchair",
            "first_name": "Nat",
            "last_name": "Chair",
            "email": "",
            "agency": str(police.pk),
            "roles": ["chair"],
            "job_title": "Inspector",
            "password": "violet-harbour-lantern-42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    made = Membership.objects.get(user=get_user_model().objects.get(username="newchair"))
    assert made.roles == []
    assert PendingChange.objects.get(membership=made).roles == ["chair"]


def test_ordinary_role_changes_need_no_second_administrator(users):
    daves = _membership(users, "dave")
    services.update_membership(for_user(users["sam"]), daves, roles=["member", "analyst"])
    daves.refresh_from_db()
    assert daves.roles == ["member", "analyst"]
    assert not PendingChange.objects.filter(membership=daves).exists()
