"""The committee overview report: the public version leaves out every exempt item and says
how many were withheld; the full version needs report.exempt and marks them; the PDF is
the same report; viewing and exporting are audited with the version."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from csphub.hub.access.models import Agency
from csphub.hub.actions.models import Action
from csphub.hub.audit.models import AuditEvent
from csphub.hub.committee.report import (
    EXEMPT_MARK,
    ActionRow,
    GroupRow,
    Item,
    MeetingRow,
    Overview,
    build_report,
    withheld,
)
from csphub.hub.groups.models import AgendaItem, Decision, Group, Meeting

SECRET_DECISION = "Covert tactic agreed for the burglary hot spot (exempt)"
SECRET_ITEM = "Named individual of concern (exempt item)"
SECRET_ACTION = "Share the informant report with housing (exempt)"
OPEN_DECISION = "Publish the burglary prevention leaflet"


@pytest.fixture
def exempt_items(partnership, users):
    held = Meeting.objects.get(group__code="board", status="held")
    item = AgendaItem.objects.create(meeting=held, order=2, title=SECRET_ITEM, exempt=True)
    decision = Decision.objects.create(
        meeting=held, agenda_item=item, text=SECRET_DECISION, exempt=True
    )
    Decision.objects.create(meeting=held, text=OPEN_DECISION)
    Action.objects.create(
        group=Group.objects.get(code="burglary"),
        decision=decision,
        owner_agency=Agency.objects.get(code="police"),
        due=timezone.localdate() - dt.timedelta(days=1),  # overdue: listed in the full version
        title=SECRET_ACTION,
        exempt=True,
    )
    # A meeting held before the period: not in the report at all.
    Meeting.objects.create(
        group=Group.objects.get(code="board"),
        title="An old board meeting",
        starts_at=timezone.now() - dt.timedelta(days=800),
        status="held",
    )


def test_public_version_leaves_out_every_exempt_item_and_counts_them(client_for, exempt_items):
    response = client_for("ahmed").get("/committee-report/")
    assert response.status_code == 200
    page = response.content.decode()
    for secret in (SECRET_DECISION, SECRET_ITEM, SECRET_ACTION):
        assert secret not in page
    assert EXEMPT_MARK not in page
    assert OPEN_DECISION in page
    assert "exempt information has been withheld from this version: 3 items" in page
    assert "(1 decision, 1 agenda item, 1 action)" in page
    # The seed document's parts: purpose, membership, priorities with leads, groups, actions.
    for heading in (
        "Purpose of the report", "Membership", "Priorities", "The groups and their work",
        "Progress on actions", "Exempt information",
    ):  # fmt: skip
        assert f">{heading}</h2>" in page
    assert "Statutory member" in page and "Opted in" in page
    assert "Serious Violence Working Group" in page  # lead group of a priority
    assert "An old board meeting" not in page  # held before the period
    assert f"Date: {timezone.localdate().day} " in page
    # Counts leave the exempt action out: the demo's three actions only.
    state_table = page.split('id="table-actions-by-state"')[1].split("</table>")[0]
    all_row = state_table.split(">All</th>")[1].split("</tr>")[0]
    assert ">3<" in all_row


def test_full_version_needs_report_exempt(client_for, users, exempt_items):
    for name in ("ahmed", "dave", "priya", "fiona"):  # report.view without report.exempt
        assert client_for(name).get("/committee-report/?version=full").status_code == 403
        assert client_for(name).get("/committee-report/?version=full&format=pdf").status_code == (
            403
        )
    assert not AuditEvent.objects.filter(object_type="committee.report").exists()
    outsider = get_user_model().objects.create_user("visitor", password="x" * 16)
    client = Client()
    client.force_login(outsider)
    assert client.get("/committee-report/").status_code == 403  # no report.view
    for name in ("sam", "inspector", "morgan"):
        assert client_for(name).get("/committee-report/?version=full").status_code == 200


def test_full_version_marks_each_exempt_item(client_for, exempt_items):
    page = client_for("morgan").get("/committee-report/?version=full").content.decode()
    for secret in (SECRET_DECISION, SECRET_ITEM, SECRET_ACTION):
        assert secret in page
        row = next(r for r in page.split("<tr") if secret in r)
        assert EXEMPT_MARK in row  # marked where it appears
    assert OPEN_DECISION in page
    open_row = next(r for r in page.split("<tr") if OPEN_DECISION in r)
    assert EXEMPT_MARK not in open_row
    assert "This version includes 3 exempt items" in page
    assert "must not be published" in page


def test_viewing_is_audited_with_the_version(client_for, users, exempt_items):
    client_for("ahmed").get("/committee-report/")
    client_for("sam").get("/committee-report/?version=full")
    rows = AuditEvent.objects.filter(object_type="committee.report").order_by("id")
    assert [(r.actor_name, r.action, r.object_id) for r in rows] == [
        ("ahmed", "view", "public"),
        ("sam", "view", "full"),
    ]
    assert rows[1].after == {"version": "full", "format": "html"}


def test_pdf_is_the_report_and_its_export_is_audited(client_for, exempt_items):
    response = client_for("sam").get("/committee-report/?version=full&format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "committee-report-full-" in response["Content-Disposition"]
    public = client_for("ahmed").get("/committee-report/?format=pdf")
    assert public.content.startswith(b"%PDF")
    exports = AuditEvent.objects.filter(object_type="committee.report", action="export")
    assert sorted((e.actor_name, e.object_id) for e in exports) == [
        ("ahmed", "public"),
        ("sam", "full"),
    ]
    assert all(e.after["format"] == "pdf" for e in exports)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF's text")
    texts = {}
    for name, data in (("full", response.content), ("public", public.content)):
        done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
        texts[name] = " ".join(done.stdout.decode().split())
    assert "Exempt information: not for publication" in texts["full"]
    assert "Covert tactic agreed" in texts["full"]
    assert "Covert tactic agreed" not in texts["public"]
    assert "has been withheld from this version: 3 items" in texts["public"]


def test_unknown_version_or_format_is_refused(client_for, partnership):
    assert client_for("sam").get("/committee-report/?version=draft").status_code == 400
    assert client_for("sam").get("/committee-report/?format=docx").status_code == 400


# The builder on its own -----------------------------------------------------------------


def overview(**changes) -> Overview:
    today = dt.date(2026, 7, 5)
    meeting = MeetingRow(
        "Board",
        dt.date(2026, 6, 1),
        agenda=(Item("Open item"), Item("Closed item", exempt=True)),
        decisions=(Item("Open decision"), Item("Closed decision", exempt=True)),
    )
    base = {
        "partnership": "Safer Town Partnership Board",
        "generated": today,
        "period_start": dt.date(2025, 7, 5),
        "period_end": today,
        "groups": (GroupRow("Board", "Partnership board", "Quarterly", "", meetings=(meeting,)),),
        "actions": (
            ActionRow("Open action", "Board", "Council", dt.date(2026, 8, 1), "open", False),
            ActionRow(
                "Closed action",
                "Board",
                "Police",
                dt.date(2026, 6, 1),
                "blocked",
                True,
                exempt=True,
            ),
        ),
    }
    return Overview(**{**base, **changes})


def texts(report) -> str:
    parts = []

    def walk(section):
        parts.extend([section.unavailable or "", *section.paragraphs])
        parts.extend(str(v) for t in section.tables for r in t.rows for v in r.values())
        for sub in section.subsections:
            walk(sub)

    for s in report.sections:
        walk(s)
    return "\n".join(parts)


def test_builder_public_and_full():
    o = overview()
    assert withheld(o).total == 3
    public = texts(build_report(o, "public"))
    assert "Closed" not in public and "Open decision" in public and "1 action recorded" in public
    assert "3 items (1 decision, 1 agenda item, 1 action)" in public
    full = texts(build_report(o, "full"))
    assert "2 actions recorded: 2 live, 0 done; 1 overdue" in full
    for closed in ("Closed item", "Closed decision", "Closed action"):
        assert f"{EXEMPT_MARK}: {closed}" in full
    assert "Date: 5 July 2026" in public and "Date: 5 July 2026" in full
    nothing = texts(build_report(overview(actions=()), "public"))
    assert "No actions are recorded." in nothing
    with pytest.raises(ValueError, match="public or full"):
        build_report(o, "draft")


def test_builder_says_no_when_nothing_is_exempt():
    o = overview(groups=(), actions=())
    assert "Does the information include any exempt information? No." in texts(build_report(o))
