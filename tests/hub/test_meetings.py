"""The group and meeting pages: each renders for an entitled user, each change through the
web writes exactly its audit rows, and a refused or invalid request writes none."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from csphub.hub.audit.models import AuditEvent
from csphub.hub.groups.models import AgendaItem, Attendance, Decision, Group, Meeting
from csphub.hub.plan.models import Priority


def rows_after(mark: int) -> list[AuditEvent]:
    """The audit rows since ``mark``, but for refusals (``denied``: recorded on their own,
    see test_trust_kernel.py), so a refused request is seen to write nothing else."""
    return list(AuditEvent.objects.filter(pk__gt=mark).exclude(action="denied").order_by("pk"))


def mark() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def h1s(response) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), flags=re.S)


@pytest.fixture
def board(partnership):
    return Group.objects.get(code="board")


@pytest.fixture
def held(board):
    return Meeting.objects.get(group=board, status="held")


class Depths(HTMLParser):
    """Each group link's text and how many lists it sits in."""

    def __init__(self):
        super().__init__()
        self.depth, self.found, self._link = 0, {}, False

    def handle_starttag(self, tag, attrs):
        if tag == "ul":
            self.depth += 1
        self._link = tag == "a" and dict(attrs).get("href", "").startswith("/groups/")

    def handle_endtag(self, tag):
        self.depth -= tag == "ul"
        self._link = False

    def handle_data(self, data):
        if self._link and data.strip():
            self.found[data.strip()] = self.depth


def tree_depths(page: str) -> dict[str, int]:
    main = page.split('id="main-content"')[1]
    parser = Depths()
    parser.feed(main)
    return parser.found


def test_group_list_is_a_tree_of_visible_groups(client_for):
    sam = tree_depths(client_for("sam").get("/groups/").content.decode())
    assert sam["Safer Brackwater Partnership Board"] == 1
    assert sam["Burglary Working Group"] == 2 and sam["ASB Working Group"] == 2
    assert sam["Youth ASB Working Group"] == 3  # below the ASB group
    # jo sees only the groups the youth service sits on, each a root when its parent is not
    jo = tree_depths(client_for("jo").get("/groups/").content.decode())
    assert jo == {
        "Tactical Tasking and Coordination Group": 1,
        "Daily Exploitation and Missing Meeting": 1,
        "Youth ASB Working Group": 1,
    }


def test_group_detail(client_for, users):
    burglary = Group.objects.get(code="burglary")
    response = client_for("inspector").get(f"/groups/{burglary.pk}/")
    assert response.status_code == 200
    assert h1s(response) == ["Burglary Working Group"]
    page = response.content.decode()
    assert "Victim, Offender, Location" in page  # purpose
    assert "Chris Walsh" in page  # chair
    assert "Brackwater Homes" in page  # a member agency
    assert "Plan target hardening in the burglary hot spots" in page  # live action
    assert "Schedule a meeting" in page
    upcoming = page.split(">Upcoming meetings</h2>")[1].split(">Past meetings</h2>")[0]
    assert "Police HQ" in upcoming
    # dave's housing sits on the group: he sees it, but cannot schedule
    dave = client_for("dave").get(f"/groups/{burglary.pk}/").content.decode()
    assert "Schedule a meeting" not in dave
    # fire does not sit on the burglary group: its existence is not disclosed
    assert client_for("fiona").get(f"/groups/{burglary.pk}/").status_code == 404
    assert client_for("sam").get("/groups/999999/").status_code == 404


def test_schedule_meeting_writes_one_audit_row(client_for, users, board):
    day = timezone.localdate() + dt.timedelta(days=60)
    m = mark()
    data = {"title": "Board", "date": day.isoformat(), "time": "10:30", "location": "Town Hall"}
    sam = client_for("sam")
    response = sam.post(f"/groups/{board.pk}/meetings/new/", data)
    meeting = Meeting.objects.get(group=board, title="Board")
    assert response.status_code == 302 and response.url == f"/meetings/{meeting.pk}/"
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == f"{day} 10:30"
    [row] = rows_after(m)
    assert (row.object_type, row.action, row.actor, row.object_id) == (
        "groups.meeting",
        "create",
        users["sam"],
        str(meeting.pk),
    )
    assert row.before is None and row.after["location"] == "Town Hall"
    page = sam.get(response.url).content.decode()
    assert "Meeting scheduled: Board" in page


def test_schedule_meeting_refused_or_invalid_writes_nothing(client_for, board):
    url = f"/groups/{board.pk}/meetings/new/"
    day = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    data = {"title": "Board", "date": day, "time": "10:00", "location": ""}
    count = Meeting.objects.count()
    m = mark()
    # fiona's fire service sits on the board but she holds no meeting.manage
    assert client_for("fiona").get(url).status_code == 403
    assert client_for("fiona").post(url, data).status_code == 403
    assert client_for("jo").post(url, data).status_code == 404  # youth: not on the board
    bad = client_for("sam").post(url, {**data, "title": "", "date": "31/02/2026"})
    assert bad.status_code == 200
    page = bad.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_title"' in page and 'href="#id_date"' in page
    assert 'aria-invalid="true"' in page
    assert h1s(bad) == ["Schedule a meeting"]
    assert rows_after(m) == [] and Meeting.objects.count() == count


def test_meeting_list(client_for):
    page = client_for("inspector").get("/meetings/").content.decode()
    upcoming, recent = page.split('<h2 class="govuk-heading-l">Recent</h2>')
    assert "Burglary Working Group" in upcoming and "TTCG" in upcoming
    assert "Partnership Board" in recent
    jo = client_for("jo").get("/meetings/").content.decode()
    assert "TTCG" in jo and "Burglary Working Group" not in jo


def test_meeting_detail_shows_everything_and_audits_the_view(client_for, users, held):
    m = mark()
    response = client_for("sam").get(f"/meetings/{held.pk}/")
    assert response.status_code == 200
    [row] = rows_after(m)
    assert (row.object_type, row.action, row.actor, row.object_id) == (
        "groups.meeting",
        "view",
        users["sam"],
        str(held.pk),
    )
    page = response.content.decode()
    assert len(h1s(response)) == 1
    assert "Strategic Assessment: burglary rising" in page and "Added by the group" in page
    assert re.search(r"Probation Service, Brackwater</th><td[^>]*>Apologies", page)
    assert re.search(r"Brackwater Youth Service", page) is None  # not a board member
    assert "The board received the Strategic Assessment" in page  # minutes
    assert "target-hardening campaign" in page  # the decision
    cascaded = held.decisions.get().actions.get(group__code="burglary")
    assert f'href="/actions/{cascaded.pk}/"' in page  # actions raised, linked
    for button in ("Record a decision", "Raise an action", "Add an agenda item", "Edit status"):
        assert button in page
    fiona = client_for("fiona").get(f"/meetings/{held.pk}/").content.decode()
    for button in ("Record a decision", "Raise an action", "Add an agenda item", "Edit status"):
        assert button not in fiona
    assert client_for("jo").get(f"/meetings/{held.pk}/").status_code == 404


def test_next_agenda_shows_the_cascaded_action(client_for):
    nxt = Meeting.objects.get(group__code="burglary")
    page = client_for("inspector").get(f"/meetings/{nxt.pk}/").content.decode()
    assert "Action cascaded to this group" in page
    action = AgendaItem.objects.get(meeting=nxt, source="cascade").action
    assert f'href="/actions/{action.pk}/"' in page


def test_edit_meeting_audits_only_what_changed(client_for, users, held):
    url = f"/meetings/{held.pk}/edit/"
    assert client_for("sam").get(url).status_code == 200
    m = mark()
    version = held.version  # the page's hidden field: the version the edit was made from
    response = client_for("sam").post(
        url, {"version": version, "status": "held", "minutes": "New minutes."}
    )
    assert response.status_code == 302
    [row] = rows_after(m)
    assert (row.object_type, row.action, row.actor) == ("groups.meeting", "update", users["sam"])
    assert row.before == {"minutes": held.minutes, "version": version}
    assert row.after == {"minutes": "New minutes.", "version": version + 1}
    m = mark()
    again = {"version": version + 1, "status": "held", "minutes": "New minutes."}
    assert client_for("sam").post(url, again).status_code == 302
    assert rows_after(m) == []  # nothing changed, nothing written
    assert client_for("sam").post(url, {"status": "postponed"}).status_code == 200
    assert client_for("fiona").post(url, {"status": "cancelled"}).status_code == 403
    assert client_for("jo").post(url, {"status": "cancelled"}).status_code == 404
    assert rows_after(m) == []
    held.refresh_from_db()
    assert held.status == "held" and held.minutes == "New minutes."


def test_add_agenda_item(client_for, users, held):
    url = f"/meetings/{held.pk}/agenda/new/"
    priority = Priority.objects.get(code="burglary")
    page = client_for("sam").get(url).content.decode()
    assert "Priority from the plan" in page
    assert "evidence store" not in page  # only a TTCG is offered evidence
    m = mark()
    data = {"title": "Funding", "detail": "Bids", "priority": priority.pk, "exempt": "on"}
    assert client_for("sam").post(url, data).status_code == 302
    item = AgendaItem.objects.get(meeting=held, title="Funding")
    [row] = rows_after(m)
    assert (row.object_type, row.action, row.actor) == ("groups.agendaitem", "create", users["sam"])
    assert row.after["priority_id"] == priority.pk and row.after["exempt"] is True
    assert row.after["source"] == "manual" and item.order == 2
    m = mark()
    bad = client_for("sam").post(url, {"title": "", "priority": 99999})
    assert bad.status_code == 200 and 'href="#id_priority"' in bad.content.decode()
    assert client_for("fiona").post(url, data).status_code == 403
    assert rows_after(m) == []


def test_attendance_writes_a_row_per_changed_agency(client_for, users, held):
    url = f"/meetings/{held.pk}/attendance/"
    form = client_for("sam").get(url)
    assert form.status_code == 200
    page = form.content.decode()
    assert page.count("<fieldset") == held.group.agencies.count()
    data = {}
    for a in Attendance.objects.filter(meeting=held).select_related("agency"):
        data[f"status_{a.agency_id}"] = a.status
        data[f"names_{a.agency_id}"] = a.names
    probation = held.group.agencies.get(code="probation")
    pcc = held.group.agencies.get(code="pcc")
    data[f"status_{probation.pk}"] = "present"
    data[f"names_{probation.pk}"] = "A. Officer"
    data[f"status_{pcc.pk}"] = "absent"
    m = mark()
    assert client_for("sam").post(url, data).status_code == 302
    rows = rows_after(m)
    assert {(r.object_type, r.actor) for r in rows} == {("groups.attendance", users["sam"])}
    by_agency = {r.after["agency_id"]: r for r in rows}
    assert sorted(by_agency) == sorted([probation.pk, pcc.pk])  # unchanged rows: none
    changed, new = by_agency[probation.pk], by_agency[pcc.pk]
    assert changed.action == "update" and changed.before["status"] == "apologies"
    assert changed.after["status"] == "present" and changed.after["names"] == "A. Officer"
    assert new.action == "create" and new.before is None and new.after["status"] == "absent"
    m = mark()
    assert client_for("sam").post(url, {f"status_{pcc.pk}": "asleep"}).status_code == 200
    assert client_for("fiona").post(url, data).status_code == 403
    assert rows_after(m) == []
    assert Attendance.objects.get(meeting=held, agency=pcc).status == "absent"


def test_record_decision(client_for, users, held):
    url = f"/meetings/{held.pk}/decisions/new/"
    item = held.agenda.get()
    assert client_for("sam").get(url).status_code == 200
    m = mark()
    data = {"text": "Fund the bids.", "agenda_item": item.pk}
    response = client_for("sam").post(url, data)
    decision = Decision.objects.get(text="Fund the bids.")
    assert response.status_code == 302
    assert response.url == f"/meetings/{held.pk}/#decision-{decision.pk}"
    [row] = rows_after(m)
    assert (row.object_type, row.action, row.actor) == ("groups.decision", "create", users["sam"])
    assert row.after["agenda_item_id"] == item.pk and row.after["text"] == "Fund the bids."
    m = mark()
    assert client_for("sam").post(url, {"text": "  "}).status_code == 200
    assert client_for("fiona").post(url, data).status_code == 403
    assert client_for("jo").post(url, data).status_code == 404
    # an agenda item of another meeting is not a choice
    other = AgendaItem.objects.get(source="cascade")
    assert client_for("sam").post(url, {"text": "x", "agenda_item": other.pk}).status_code == 200
    assert rows_after(m) == []


# The TTCG's agenda: items from the evidence store -------------------------------------

DEMO_AREA = "E06999001"


@pytest.fixture(scope="module")
def demo_store(demo_run):
    """The demo store (``csphub demo``), shared by the run: read only."""
    return demo_run.store


@pytest.mark.slow
def test_ttcg_agenda_offers_exceedances_and_hotspots(client_for, users, settings, demo_store):
    settings.CSPHUB_STORE = str(demo_store)
    settings.CSPHUB_AREA = DEMO_AREA
    ttcg = Meeting.objects.get(group__code="ttcg")
    url = f"/meetings/{ttcg.pk}/agenda/new/"
    page = client_for("inspector").get(url).content.decode()
    assert "From the evidence store" in page
    keys = re.findall(r'name="evidence" value="([^"]+)"', page)
    assert any(k.startswith("exceedance:") for k in keys)
    assert any(k.startswith("hotspot:E01") for k in keys)
    assert "Exceedance:" in page and "Hot spot:" in page
    m = mark()
    response = client_for("inspector").post(url, {"evidence": keys[0]})
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=ttcg, source="evidence")
    [row] = rows_after(m)
    assert (row.object_type, row.action, row.actor) == (
        "groups.agendaitem",
        "create",
        users["inspector"],
    )
    assert row.after["source"] == "evidence" and row.after["title"] == item.title
    again = client_for("inspector").get(url).content.decode()
    assert "On the agenda" in again and keys[0] not in again
    m = mark()
    assert client_for("inspector").post(url, {"evidence": "hotspot:nowhere"}).status_code == 302
    assert client_for("dave").post(url, {"evidence": keys[1]}).status_code == 403
    assert rows_after(m) == []
    # a board meeting is never offered evidence
    board = Meeting.objects.get(group__code="board")
    assert (
        "From the evidence store"
        not in client_for("sam").get(f"/meetings/{board.pk}/agenda/new/").content.decode()
    )


def test_ttcg_agenda_without_store_or_area_says_so(client_for, settings, tmp_path):
    ttcg = Meeting.objects.get(group__code="ttcg")
    url = f"/meetings/{ttcg.pk}/agenda/new/"
    settings.CSPHUB_AREA = ""
    page = client_for("inspector").get(url).content.decode()
    assert "No evidence offered: no area is set (CSPHUB_AREA)." in page
    settings.CSPHUB_AREA = DEMO_AREA
    settings.CSPHUB_STORE = str(tmp_path / "none")
    page = client_for("inspector").get(url).content.decode()
    assert "No evidence offered: there is no evidence store at" in page
    assert 'name="title"' in page  # the ordinary form is still there
