"""The audit trail pages: who may see them, the search, paging, before and after of
changes, the CSV export, and that looking at the trail is itself recorded."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.utils import timezone

from csphub.hub.audit import views
from csphub.hub.audit.context import for_user
from csphub.hub.audit.events import Event
from csphub.hub.audit.models import AuditEvent
from csphub.hub.audit.service import record


def test_only_holders_of_audit_view_see_the_trail(client_for, users):
    assert client_for("dave").get("/audit/").status_code == 403
    assert client_for("sam").get("/audit/.csv").status_code == 404
    assert client_for("sam").get("/audit/export.csv").status_code == 403
    assert client_for("morgan").get("/audit/").status_code == 200
    looked = AuditEvent.objects.filter(action__in=["view", "export"])
    assert [e.actor for e in looked] == [users["morgan"]]  # refusals show nothing


def test_viewing_the_trail_is_audited_with_its_filter(client_for, users):
    response = client_for("morgan").get("/audit/", {"person": "sam", "action": "update"})
    assert response.status_code == 200
    row = AuditEvent.objects.get(action="view", object_type="audit.auditevent")
    assert row.actor == users["morgan"]
    assert row.object_repr == "person=sam; action=update; page 1"
    assert row.path == "/audit/?person=sam&action=update"


def test_search_by_person_action_record_and_date(client_for, users):
    sam, dave = users["sam"], users["dave"]
    record(
        Event.UPDATE,
        sam,
        ctx=for_user(dave),
        before={"first_name": "Sam"},
        after={"first_name": "S"},
    )
    record(
        Event.VIEW,
        ctx=for_user(sam),
        object_type="actions.action",
        object_id="7",
        object_repr="Plan",
    )
    client = client_for("morgan")

    def shown(**query) -> str:
        return client.get("/audit/", query).content.decode()

    by_sam = shown(person="SAM", action="view")
    assert "actions.action #7" in by_sam
    by_record = shown(object_type="actions.action", object_id="7")
    assert "actions.action #7" in by_record and ">dave<" not in by_record
    # A person's search finds what was done to their account too (dave changed sam).
    to_sam = shown(person="sam", action="update")
    assert "<del>Sam</del>" in to_sam and "<ins>S</ins>" in to_sam
    assert "1 event matches the search" in to_sam
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert "No audit events match" in shown(date_from=tomorrow)
    today = timezone.localdate().isoformat()
    assert "actions.action #7" in shown(date_from=today, date_to=today, object_id="7")
    backwards = shown(date_from=tomorrow, date_to=today)
    assert "must be the same as or after" in backwards


def test_newest_first_and_paged(client_for, partnership):
    total = AuditEvent.objects.count()
    page = client_for("morgan").get("/audit/")
    events = [event for event, _ in page.context["rows"]]
    assert len(events) == views.PAGE_SIZE
    assert events == sorted(events, key=lambda e: (e.at, e.id), reverse=True)
    assert f"{total} events" in page.content.decode()
    last = (total + views.PAGE_SIZE - 1) // views.PAGE_SIZE
    tail = client_for("morgan").get("/audit/", {"page": last, "action": "create"})
    assert tail.context["page"].number == last
    assert "action=create&amp;page=" in tail.content.decode()


def test_creates_show_their_values_and_masked_fields_stay_masked(client_for, users):
    page = client_for("morgan").get("/audit/", {"object_type": "auth.user"}).content.decode()
    assert "<strong>username</strong>: sam" in page
    assert "<strong>password</strong>: ***" in page
    assert "argon2" not in page


def test_export_is_csv_of_the_filter_and_is_audited(client_for, users):
    record(Event.VIEW, ctx=for_user(users["sam"]), object_type="x.y", object_repr='=HYPERLINK("e")')
    response = client_for("morgan").get("/audit/export.csv", {"object_type": "x.y"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["actor"], r["action"], r["object_type"]) for r in rows] == [("sam", "view", "x.y")]
    assert rows[0]["object_repr"] == '\'=HYPERLINK("e")'  # no formula in a spreadsheet
    export = AuditEvent.objects.get(action="export")
    assert export.actor == users["morgan"] and export.object_repr == "object_type=x.y"


def test_export_keeps_before_and_after_as_json(client_for, users):
    all_rows = client_for("morgan").get("/audit/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(all_rows.streaming_content).decode())))
    assert len(rows) == AuditEvent.objects.count()  # the export's own row is the first
    assert (rows[0]["actor"], rows[0]["action"]) == ("morgan", "export")
    created = [r for r in rows if r["object_type"] == "auth.user" and r["object_repr"] == "sam"]
    assert '"username": "sam"' in created[0]["after"]


def test_export_carries_each_rows_place_in_the_chain(client_for):
    """seq, prev_hash and row_hash, so an exported trail can be checked outside the hub."""
    response = client_for("morgan").get("/audit/export.csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) > 40  # the demo partnership's rows
    by_seq = {int(r["seq"]): r for r in rows}
    for seq, row in by_seq.items():
        assert len(row["row_hash"]) == 64
        if seq - 1 in by_seq:
            assert row["prev_hash"] == by_seq[seq - 1]["row_hash"]
