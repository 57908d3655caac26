"""The action pages: the cascade from the board to a working group and back, progress
with the lifecycle, need to know (404 out of scope, 403 not yours to change), the list's
views and the CSV export; each change writes exactly its audit rows, a refusal none."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone

from csphub.hub.access.policy import policy
from csphub.hub.actions.models import Action
from csphub.hub.audit.context import for_user
from csphub.hub.audit.models import AuditEvent
from csphub.hub.groups.models import AgendaItem, Decision, Group, Meeting


def mark() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def rows_after(since: int) -> list[AuditEvent]:
    """The audit rows since ``since``, but for refusals (``denied``: recorded on their own,
    see test_trust_kernel.py), so a refused request is seen to write nothing else."""
    return list(AuditEvent.objects.filter(pk__gt=since).exclude(action="denied").order_by("pk"))


@pytest.fixture
def held(partnership):
    return Meeting.objects.get(group__code="board", status="held")


def due(days: int = 30) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_cascade_from_the_board_to_the_burglary_group_and_back(client_for, users, held):
    burglary = Group.objects.get(code="burglary")
    police = burglary.agencies.get(code="police")
    sam = client_for("sam")
    # sam, the board's chair, records a decision ...
    m = mark()
    response = sam.post(f"/meetings/{held.pk}/decisions/new/", {"text": "Review lighting."})
    assert response.status_code == 302
    decision = Decision.objects.get(text="Review lighting.")
    [row] = rows_after(m)
    assert (row.object_type, row.action, row.actor) == ("groups.decision", "create", users["sam"])
    # ... and raises an action from it for the burglary group (a cascade)
    url = f"/decisions/{decision.pk}/actions/new/"
    form = sam.get(url).content.decode()
    assert "– Burglary Working Group" in form  # the groups below the board are offered
    m = mark()
    data = {
        "title": "Audit street lighting in the hot spots",
        "group": burglary.pk,
        "owner_agency": police.pk,
        "owner": users["inspector"].pk,
        "due": due(),
    }
    response = sam.post(url, data)
    action = Action.objects.get(title=data["title"])
    assert response.status_code == 302 and response.url == f"/actions/{action.pk}/"
    created, item_row = rows_after(m)
    assert (created.object_type, created.action, created.actor) == (
        "actions.action",
        "create",
        users["sam"],
    )
    assert created.after["group_id"] == burglary.pk and created.after["state"] == "open"
    assert created.after["decision_id"] == decision.pk
    assert (item_row.object_type, item_row.action) == ("groups.agendaitem", "create")
    assert "on the agenda of Burglary Working Group" in sam.get(response.url).content.decode()
    # it is on the burglary group's next meeting's agenda
    nxt = burglary.next_meeting()
    item = AgendaItem.objects.get(meeting=nxt, action=action)
    assert item.source == "cascade" and str(item.pk) == item_row.object_id
    inspector = client_for("inspector")
    agenda = inspector.get(f"/meetings/{nxt.pk}/").content.decode()
    assert f'<a class="govuk-link" href="/actions/{action.pk}/">{data["title"]}</a>' in agenda
    # the inspector completes it with a note
    detail = inspector.get(f"/actions/{action.pk}/").content.decode()
    assert "Record progress" in detail
    m = mark()
    response = inspector.post(
        f"/actions/{action.pk}/progress/", {"note": "Lighting audited.", "state": "done"}
    )
    assert response.status_code == 302
    [row] = rows_after(m)
    assert (row.object_type, row.action, row.actor, row.object_id) == (
        "actions.action",
        "update",
        users["inspector"],
        str(action.pk),
    )
    assert row.before["state"] == "open" and set(row.before) == {"state", "updated_at"}
    assert row.after["state"] == "done" and row.after["note"] == "Lighting audited."
    action.refresh_from_db()
    assert action.state == "done"
    page = inspector.get(f"/actions/{action.pk}/").content.decode()
    assert "Progress recorded. It is now done." in page
    assert "Open to Done" in page and "Lighting audited." in page
    assert "which is final" in page  # no further move is offered
    # jo (youth service): neither on the board nor the burglary group
    jo = client_for("jo")
    m = mark()
    assert jo.get(f"/actions/{action.pk}/").status_code == 404
    assert jo.post(f"/actions/{action.pk}/progress/", {"note": "x"}).status_code == 404
    assert jo.get(f"/meetings/{nxt.pk}/").status_code == 404
    assert jo.get(f"/meetings/{held.pk}/").status_code == 404
    assert jo.get(url).status_code == 404
    # fiona (fire, on the board): sees the board-raised action, cannot change it
    fiona = client_for("fiona")
    assert rows_after(m) == []
    assert fiona.get(f"/actions/{action.pk}/").status_code == 200
    m = mark()
    assert fiona.post(f"/actions/{action.pk}/progress/", {"note": "x"}).status_code == 403
    assert fiona.get(url).status_code == 403
    assert fiona.post(url, {**data, "title": "Another"}).status_code == 403
    assert rows_after(m) == []
    assert action.notes.count() == 1 and not Action.objects.filter(title="Another").exists()


def test_raising_an_invalid_action_writes_nothing(client_for, users, held):
    decision = held.decisions.get()
    burglary = Group.objects.get(code="burglary")
    agencies = {a.code: a for a in held.group.agencies.all()}
    url = f"/decisions/{decision.pk}/actions/new/"
    good = {
        "title": "Something",
        "group": burglary.pk,
        "owner_agency": agencies["police"].pk,
        "due": due(),
    }
    count = Action.objects.count()
    m = mark()
    cases = [
        ({"owner_agency": agencies["fire"].pk}, "owner_agency", "does not sit on"),
        ({"owner": users["dave"].pk}, "owner", "is not a member of"),
        ({"due": due(-1)}, "due", "today or in the future"),
        ({"title": ""}, "title", "This field is required"),
        ({"group": 999999}, "group", "Select a valid choice"),
    ]
    for change, field, message in cases:
        response = client_for("sam").post(url, {**good, **change})
        assert response.status_code == 200, change
        page = response.content.decode()
        assert f'href="#id_{field}"' in page and message in page
        assert "<title>Error: " in page
    assert rows_after(m) == [] and Action.objects.count() == count


def test_a_group_outside_the_decisions_tree_is_not_offered(client_for, users):
    # a decision of the ASB group can cascade to the youth ASB group, never to burglary
    asb = Meeting.objects.create(
        group=Group.objects.get(code="asb"), title="ASB", starts_at=timezone.now()
    )
    decision = Decision.objects.create(meeting=asb, text="Act on youth ASB")
    police = Group.objects.get(code="burglary").agencies.get(code="police")
    url = f"/decisions/{decision.pk}/actions/new/"
    page = client_for("sam").get(url).content.decode()
    assert "Youth ASB Working Group" in page and "Burglary Working Group" not in page
    m = mark()
    data = {"title": "x", "owner_agency": police.pk, "due": due()}
    bad = client_for("sam").post(url, {**data, "group": Group.objects.get(code="burglary").pk})
    assert bad.status_code == 200 and 'href="#id_group"' in bad.content.decode()
    assert rows_after(m) == []
    youth = Group.objects.get(code="youth-asb")
    assert client_for("sam").post(url, {**data, "group": youth.pk}).status_code == 302
    assert [r.object_type for r in rows_after(m)] == ["actions.action"]  # no next meeting yet


def test_progress_follows_the_lifecycle(client_for, users):
    own = Action.objects.get(title__startswith="Report burglary prevention funding")
    url = f"/actions/{own.pk}/progress/"
    page = client_for("sam").get(f"/actions/{own.pk}/").content.decode()
    options = re.findall(
        r'<option value="([^"]*)"', page.split('name="state"')[1].split("</select>")[0]
    )
    assert options == ["", "blocked", "cancelled", "done"]  # from in progress; never back to open
    m = mark()
    for data in ({"state": "open", "note": "back"}, {"note": "  "}, {"state": "nonsense"}):
        response = client_for("sam").post(url, data)
        assert response.status_code == 200, data
        assert "There is a problem" in response.content.decode()
    assert client_for("sam").get(url).status_code == 405
    assert rows_after(m) == []
    own.refresh_from_db()
    assert own.state == "in_progress" and own.notes.count() == 1
    # a note alone keeps the state and is recorded
    assert client_for("sam").post(url, {"note": "Bid submitted."}).status_code == 302
    [row] = rows_after(m)
    assert row.before == {} and row.after == {"note": "Bid submitted."}  # state unchanged
    own.refresh_from_db()
    assert own.state == "in_progress" and own.notes.last().state_to == ""


def test_action_detail_is_audited_and_shows_its_history(client_for, users):
    own = Action.objects.get(title__startswith="Report burglary prevention funding")
    m = mark()
    response = client_for("fiona").get(f"/actions/{own.pk}/")
    assert response.status_code == 200
    [row] = rows_after(m)
    assert (row.object_type, row.action, row.actor, row.object_id) == (
        "actions.action",
        "view",
        users["fiona"],
        str(own.pk),
    )
    page = response.content.decode()
    assert len(re.findall(r"<h1", page)) == 1
    assert "Overdue</strong>" in page and "In progress</strong>" in page
    assert "Brackwater Council" in page and "Sam Okafor" in page
    assert "Two funding bids identified." in page and "Open to In progress" in page
    assert "target-hardening campaign" in page  # the decision it came from
    assert "Record progress" not in page  # fiona may not update it


def test_action_list_views(client_for, users):
    inspector = client_for("inspector").get("/actions/").content.decode()  # mine by default
    assert "Plan target hardening in the burglary hot spots" in inspector
    assert "Report burglary prevention funding" not in inspector
    sam = client_for("sam")
    overdue = sam.get("/actions/?show=overdue").content.decode()
    table = overdue.split("Overdue by agency</h2>")[0]
    assert "Report burglary prevention funding" in table and "Overdue</strong>" in table
    assert "Plan target hardening" not in table
    summary = overdue.split("Overdue by agency</h2>")[1]
    assert re.search(r"Brackwater Council</th><td[^>]*>1</td>", summary)
    everything = sam.get("/actions/?show=all").content.decode()
    for action in policy("action").visible(users["sam"]):
        assert f'href="/actions/{action.pk}/"' in everything
    dave = client_for("dave").get("/actions/?show=agency").content.decode()
    assert "Share repeat ASB addresses" in dave and "Report burglary prevention" not in dave
    jo = client_for("jo").get("/actions/?show=all").content.decode()
    assert "No actions." in jo
    assert 'aria-current="page"><strong>All I can see' in jo


def test_export_has_a_row_per_visible_action_and_is_audited(client_for, users):
    m = mark()
    response = client_for("inspector").get("/actions/export.csv?show=all")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    visible = policy("action").visible(users["inspector"])
    assert sorted(int(r["id"]) for r in rows) == sorted(a.pk for a in visible)
    assert len(rows) == visible.count() >= 2
    [row] = rows_after(m)
    assert (row.action, row.object_type, row.actor) == (
        "export",
        "actions.action",
        users["inspector"],
    )
    assert f"{len(rows)} actions" in row.object_repr
    m = mark()
    assert client_for("dave").get("/actions/export.csv").status_code == 403  # no action.export
    assert rows_after(m) == []
    assert "Download these actions" not in client_for("dave").get("/actions/").content.decode()


def test_the_service_refuses_an_owner_outside_the_group(users, held):
    from csphub.hub.actions.services import raise_action

    decision = held.decisions.get()
    burglary = Group.objects.get(code="burglary")
    fire = held.group.agencies.get(code="fire")
    police = burglary.agencies.get(code="police")
    m = mark()
    with pytest.raises(ValueError, match="does not sit on"):
        raise_action(
            for_user(users["sam"]),
            decision,
            group=burglary,
            title="x",
            owner_agency=fire,
            due=dt.date.today(),
        )
    with pytest.raises(ValueError, match="is not a member of"):
        raise_action(
            for_user(users["sam"]),
            decision,
            group=burglary,
            title="x",
            owner_agency=police,
            owner=users["dave"],
            due=dt.date.today(),
        )
    assert rows_after(m) == []
