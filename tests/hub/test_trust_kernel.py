"""The trust kernel's findings, each as the probe found it: roles that mean what they say,
rights that end with the membership, no pooling across agencies, decision text and
exemption that do not leak, exports that honour filters and neutralise formulas, reads
that are audited. Expectations are written here from the roles' reach in words (see
``access_table``), not read from the policies."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from csphub.hub.access.models import Agency, Membership
from csphub.hub.actions.models import Action
from csphub.hub.audit.context import for_user
from csphub.hub.audit.models import AuditEvent
from csphub.hub.groups.models import AgendaItem, Decision, Group, Meeting

from .factories import ActionFactory, MembershipFactory


def _last() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def _board_meeting() -> Meeting:
    return Meeting.objects.filter(group__code="board", status="held").first()


def _cascaded() -> Action:
    """The demo's action cascaded from the board to the burglary group."""
    return Action.objects.get(group__code="burglary", decision__meeting__group__code="board")


# Roles that mean what they say ---------------------------------------------------------


@pytest.mark.parametrize("name", ["ahmed", "morgan"])
def test_viewer_and_auditor_see_no_group_meeting_or_action(client_for, name):
    client = client_for(name)
    for path in ("/groups/", "/meetings/", "/actions/"):
        assert client.get(path).status_code == 403, path
    for group in Group.objects.all():
        assert client.get(f"/groups/{group.pk}/").status_code == 404, group.code
    for meeting in Meeting.objects.all():
        assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    for action in Action.objects.all():
        assert client.get(f"/actions/{action.pk}/").status_code == 404
    home = client.get("/").content.decode()
    assert 'href="/groups/"' not in home and 'href="/actions/"' not in home


def test_the_public_report_says_withheld_where_an_exempt_item_stands(client_for):
    item = AgendaItem.objects.filter(meeting=_board_meeting()).first()
    AgendaItem.objects.filter(pk=item.pk).update(exempt=True)
    page = client_for("ahmed").get("/committee-report/").content.decode()
    assert "Exempt item withheld" in page
    assert item.title not in page
    assert client_for("ahmed").get("/committee-report/?version=full").status_code == 403


def test_a_chair_manages_only_the_groups_he_chairs(client_for):
    inspector = client_for("inspector")
    board = _board_meeting()  # police sits on the board; sam chairs it
    assert inspector.get(f"/meetings/{board.pk}/").status_code == 200
    response = inspector.post(f"/meetings/{board.pk}/edit/", {"status": "held", "minutes": "x"})
    assert response.status_code == 403
    board.refresh_from_db()
    assert board.minutes != "x"
    ttcg = Meeting.objects.filter(group__code="ttcg").first()  # his own
    assert inspector.get(f"/meetings/{ttcg.pk}/edit/").status_code == 200


# Leavers ----------------------------------------------------------------------------


def test_a_deactivated_chair_can_no_longer_rewrite_minutes(client_for, users):
    client = client_for("inspector")
    ttcg = Meeting.objects.filter(group__code="ttcg").first()
    assert client.get(f"/meetings/{ttcg.pk}/edit/").status_code == 200
    Membership.objects.filter(user=users["inspector"]).update(active=False)
    response = client.post(f"/meetings/{ttcg.pk}/edit/", {"status": "held", "minutes": "x"})
    assert response.status_code == 404  # out of sight altogether now
    ttcg.refresh_from_db()
    assert ttcg.minutes != "x"


def test_a_deactivated_owner_can_no_longer_add_progress(client_for, users):
    own = Action.objects.filter(owner=users["dave"], state__in=["open", "in_progress"]).first()
    client = client_for("dave")
    assert client.get(f"/actions/{own.pk}/").status_code == 200
    Membership.objects.filter(user=users["dave"]).update(active=False)
    start = _last()
    response = client.post(f"/actions/{own.pk}/progress/", {"note": "still here"})
    assert response.status_code == 404
    assert not own.notes.filter(text="still here").exists()
    assert not AuditEvent.objects.filter(pk__gt=start, action="create").exists()


# Acting for one agency at a time ------------------------------------------------------


@pytest.fixture
def kim(partnership):
    """A fire chair who is also a youth-service member."""
    fire, youth = Agency.objects.get(code="fire"), Agency.objects.get(code="youth")
    user = get_user_model().objects.create_user("kim", password=None)
    at_fire = Membership.objects.create(user=user, agency=fire, roles=["chair"])
    at_youth = Membership.objects.create(user=user, agency=youth, roles=["member"])
    return user, at_fire, at_youth


def test_permissions_are_not_pooled_across_agencies(kim):
    user, _, at_youth = kim
    client = Client()
    client.force_login(user)
    exploitation = Meeting.objects.create(
        group=Group.objects.get(code="exploitation"),
        title="Daily meeting",
        starts_at=timezone.now(),
    )
    edit = f"/meetings/{exploitation.pk}/edit/"
    # Acting for the fire service (first membership): fire does not sit on the group.
    page = client.get("/").content.decode()
    assert "acting for Demoshire Fire and Rescue Service" in page
    assert "Switch agency" in page
    assert client.get(edit).status_code == 404
    assert client.get("/committee-report/?version=full").status_code == 200  # a chair's
    # Acting for the youth service: the group is seen, but a member changes no minutes,
    # and the chair's right to the full report stays with the fire membership.
    assert client.post("/acting/", {"membership": at_youth.pk}).status_code == 302
    assert "acting for Brackwater Youth Service" in client.get("/").content.decode()
    opened = client.get(f"/meetings/{exploitation.pk}/")  # seen: a restricted group asks why
    assert opened.status_code == 302 and opened["Location"].startswith("/reason/")
    assert client.post(edit, {"status": "held", "minutes": "x"}).status_code == 403
    assert client.get("/committee-report/?version=full").status_code == 403
    switched = AuditEvent.objects.filter(actor=user, object_type="access.membership")
    assert switched.filter(object_id=str(at_youth.pk)).exists()


def test_nobody_acts_for_an_agency_through_another_users_membership(kim, users):
    user, _, _ = kim
    client = Client()
    client.force_login(user)
    daves = Membership.objects.get(user=users["dave"])
    client.post("/acting/", {"membership": daves.pk})
    assert "acting for Brackwater Homes" not in client.get("/").content.decode()


# Decision text and exemption ----------------------------------------------------------


def test_an_action_does_not_print_a_decision_from_a_meeting_the_user_cannot_see(client_for, users):
    cascaded = _cascaded()
    text = cascaded.decision.text
    housing = client_for("dave")  # housing sits on burglary, and on the board
    assert text in housing.get(f"/actions/{cascaded.pk}/").content.decode()
    # A youth member who owns an action cascaded from the board to youth ASB.
    youth_asb = Group.objects.get(code="youth-asb")
    action = ActionFactory(
        group=youth_asb,
        decision=cascaded.decision,
        owner_agency=Agency.objects.get(code="youth"),
        owner=users["jo"],
    )
    page = client_for("jo").get(f"/actions/{action.pk}/").content.decode()
    assert text not in page
    assert "a meeting of another group, not shown to you" in page


def test_the_export_leaves_out_unseen_decisions_honours_the_filter_and_neutralises_formulas(
    users,
):
    cascaded = _cascaded()
    youth = Agency.objects.get(code="youth")
    analyst = MembershipFactory(agency=youth, roles=["analyst"], user__username="yan").user
    youth_asb = Group.objects.get(code="youth-asb")
    ActionFactory(group=youth_asb, decision=cascaded.decision, owner_agency=youth, title="=1+2")
    ActionFactory(group=youth_asb, owner_agency=youth, title="@SUM(A1)", owner=analyst)
    client = Client()
    client.force_login(analyst)
    text = client.get("/actions/export.csv?show=all").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 2  # the header, the two actions and the youth service's others
    assert cascaded.decision.text not in text
    assert "'=1+2" in text and "'@SUM(A1)" in text
    assert ",=1+2" not in text
    mine = client.get("/actions/export.csv?show=mine").content.decode()
    assert "@SUM(A1)" in mine and "=1+2" not in mine  # the filter is honoured


def test_a_decision_on_an_exempt_item_is_exempt_and_so_is_what_it_cascades(client_for):
    meeting = Meeting.objects.filter(group__code="board").order_by("-starts_at").first()
    item = AgendaItem.objects.create(meeting=meeting, title="Named suspects", exempt=True)
    sam = client_for("sam")
    response = sam.post(
        f"/meetings/{meeting.pk}/decisions/new/",
        {"text": "Refer the named suspects to the daily meeting", "agenda_item": item.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = Decision.objects.get(text="Refer the named suspects to the daily meeting")
    assert decision.exempt
    public = client_for("ahmed").get("/committee-report/").content.decode()
    assert "Refer the named suspects" not in public


# Reads are audited --------------------------------------------------------------------


def test_pages_that_show_protected_content_write_a_view_row(client_for, users):
    sam = client_for("sam")
    meeting = _board_meeting()
    group = meeting.group
    for path, object_type in (
        (f"/groups/{group.pk}/", "groups.group"),
        (f"/meetings/{meeting.pk}/edit/", "groups.meeting"),
        (f"/meetings/{meeting.pk}/attendance/", "groups.meeting"),
        (f"/meetings/{meeting.pk}/decisions/new/", "groups.meeting"),
        ("/groups/", "groups.group"),
        ("/meetings/", "groups.meeting"),
        ("/actions/?show=all", "actions.action"),
    ):
        start = _last()
        assert sam.get(path).status_code == 200, path
        rows = AuditEvent.objects.filter(pk__gt=start, action="view", actor=users["sam"])
        assert rows.filter(object_type=object_type).exists(), path


def test_a_stale_second_writer_gets_a_conflict_not_an_overwrite(client_for, users):
    own = Action.objects.filter(owner=users["dave"], state="open").first()
    if own is None:
        own = ActionFactory(
            group=Group.objects.get(code="asb"),
            owner_agency=Agency.objects.get(code="housing"),
            owner=users["dave"],
            due=timezone.localdate() + dt.timedelta(days=3),
        )
    from csphub.hub.actions import services
    from csphub.hub.actions.lifecycle import TransitionError

    stale = Action.objects.get(pk=own.pk)  # read before the first writer moved it
    services.progress(for_user(users["dave"]), own, note="started", state="in_progress")
    with pytest.raises(TransitionError, match="changed meanwhile"):
        services.progress(for_user(users["dave"]), stale, note="also started", state="in_progress")
    assert not own.notes.filter(text="also started").exists()


# Refusals are recorded, within a rate ----------------------------------------------------


def test_refused_object_requests_are_recorded_as_denied_and_rate_limited(client_for, users):
    jo = client_for("jo")  # youth: not on the board
    board = _board_meeting()
    start = _last()
    assert jo.get(f"/meetings/{board.pk}/").status_code == 404
    assert jo.get("/audit/").status_code == 403
    rows = AuditEvent.objects.filter(pk__gt=start, action="denied", actor=users["jo"])
    assert [(r.object_type, r.object_id) for r in rows.order_by("pk")] == [
        ("meeting-detail", str(board.pk)),
        ("audit-list", ""),
    ]
    # 30 more refusals in the same minute: 20 in all are recorded, then one summary row.
    for _ in range(30):
        jo.get(f"/meetings/{board.pk}/edit/")
    rows = AuditEvent.objects.filter(pk__gt=start, action="denied", actor=users["jo"])
    assert rows.count() == 21
    assert "further refusals in this minute are not recorded" in rows.order_by("-pk")[0].object_repr


def test_a_cascaded_agenda_item_does_not_quote_the_decision(client_for, users):
    """Raised at the board and cascaded to youth ASB, the action joins that group's next
    agenda, which the youth service sees; the board's decision text does not go with it."""
    from csphub.hub.actions import services

    decision = _cascaded().decision
    youth_asb = Group.objects.get(code="youth-asb")
    nxt = Meeting.objects.create(
        group=youth_asb, title="Youth ASB", starts_at=timezone.now() + dt.timedelta(days=7)
    )
    services.raise_action(
        for_user(users["sam"]),
        decision,
        group=youth_asb,
        title="Diversion sessions near the hot spots",
        owner_agency=Agency.objects.get(code="youth"),
        due=timezone.localdate() + dt.timedelta(days=30),
    )
    page = client_for("jo").get(f"/meetings/{nxt.pk}/").content.decode()
    assert "Cascaded action: Diversion sessions near the hot spots" in page
    assert decision.text not in page


# Restricted records and concurrent edits ------------------------------------------------


def test_a_restricted_groups_meeting_opens_only_with_a_reason_which_the_trail_keeps(
    client_for, users
):
    aquazure = Group.objects.get(code="aquazure")  # the rape working group: restricted
    meeting = Meeting.objects.create(group=aquazure, title="Aquazure", starts_at=timezone.now())
    sam = client_for("sam")
    path = f"/meetings/{meeting.pk}/"
    asked = sam.get(path)
    assert asked.status_code == 302
    reason_page = asked["Location"]
    assert reason_page.startswith("/reason/") and f"meeting%3A{meeting.pk}" in reason_page
    start = _last()
    short = sam.post(reason_page, {"reason": "need it"})
    assert short.status_code == 200 and "govuk-error-summary" in short.content.decode()
    assert sam.get(path).status_code == 302  # still no reason given
    given = sam.post(reason_page, {"reason": "Preparing the case review for Thursday"})
    assert given.status_code == 302 and given["Location"] == path
    assert sam.get(path).status_code == 200
    row = AuditEvent.objects.filter(pk__gt=start, action="view", object_id=str(meeting.pk)).get()
    assert row.justification == "Preparing the case review for Thursday"
    assert row.actor == users["sam"]
    # Asked again in another session; an unrestricted group's meeting never asks.
    assert client_for("sam").get(path).status_code == 302
    assert sam.get(f"/meetings/{_board_meeting().pk}/").status_code == 200


def test_a_stale_edit_of_the_minutes_is_a_conflict_not_an_overwrite(client_for):
    ttcg = Meeting.objects.filter(group__code="ttcg").first()
    path = f"/meetings/{ttcg.pk}/edit/"
    first, second = client_for("inspector"), client_for("sam")  # both may manage the TTCG
    for client in (first, second):
        assert 'name="version" value="1"' in client.get(path).content.decode()
    saved = first.post(path, {"version": 1, "status": "held", "minutes": "First notes"})
    assert saved.status_code == 302
    stale = second.post(path, {"version": 1, "status": "held", "minutes": "Second notes"})
    assert stale.status_code == 200
    assert "Someone else changed this meeting" in stale.content.decode()
    ttcg.refresh_from_db()
    assert ttcg.minutes == "First notes" and ttcg.version == 2


def test_every_resource_of_the_hub_has_one_policy(users):
    from csphub.hub.access.policy import policies

    found = policies()
    assert set(found) == {
        "group",
        "meeting",
        "agenda item",
        "attendance",
        "decision",
        "action",
        "agency",
        "membership",
        "audit row",
        "report",
        # casework
        "case",
        "person",
        "place",
        "document",
    }
    # The partnership's own records: administrators see them, never change their own.
    sams = Membership.objects.get(user=users["sam"])
    assert found["membership"].can(users["sam"], "view", sams)
    assert not found["membership"].can(users["sam"], "partnership.manage", sams)
    assert found["membership"].can(
        users["sam"], "partnership.manage", Membership.objects.get(user=users["dave"])
    )
    assert not found["agency"].visible(users["dave"]).exists()
    assert found["audit row"].visible(users["morgan"]).exists()
    # The committee report: by the roles' words, a viewer the public version only, the
    # auditor and the coordinator both, a leaver's nothing.
    assert found["report"].versions(users["ahmed"]) == ("public",)
    assert found["report"].versions(users["morgan"]) == ("public", "full")
    assert found["report"].versions(users["sam"]) == ("public", "full")
    assert found["report"].versions(users["dave"]) == ("public",)
    assert not found["audit row"].visible(users["sam"]).exists()
