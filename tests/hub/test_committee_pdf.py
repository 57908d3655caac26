"""The committee report's PDF is made once per version of the data and kept in the private
hub folder: a second request serves the kept file (same file, same inode, not written
again) and is still audited; any change the report shows (a decision edited or marked
exempt in place, an agency renamed, a meeting held, the next day) gives a new PDF; fresh
renders are limited per user (429, nothing audited), a kept PDF always served; a broken
kept file is made again, and two renders of one version at once leave one whole file."""

from __future__ import annotations

import datetime as dt
import shutil
import stat
import subprocess
import threading
from pathlib import Path

import pytest
from django.utils import timezone

from csphub.hub.access.models import Agency
from csphub.hub.actions.models import Action, ActionNote
from csphub.hub.audit.models import AuditEvent
from csphub.hub.committee import pdf
from csphub.hub.committee.report import build_report
from csphub.hub.committee.views import gather
from csphub.hub.groups.models import AgendaItem, Decision, Group, Meeting
from csphub.hub.plan.models import Priority

DEMO_DECISION = "target-hardening campaign in the three hot spot LSOAs"


@pytest.fixture(autouse=True)
def hub_dir(settings, tmp_path) -> Path:
    """A hub folder of this test's own, so no PDF is kept from another test or run."""
    settings.HUB_DIR = tmp_path / "hub"
    return settings.HUB_DIR


def kept(hub_dir: Path) -> dict[str, Path]:
    folder = hub_dir / "committee-report"
    return {p.name: p for p in folder.iterdir()} if folder.exists() else {}


def exports() -> list[tuple[str, str]]:
    rows = AuditEvent.objects.filter(object_type="committee.report", action="export")
    return list(rows.order_by("pk").values_list("actor_name", "object_id"))


def text_of(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF's text")
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def whole_pdf(data: bytes) -> bool:
    return data[:5] == b"%PDF-" and data.rstrip()[-5:] == b"%%EOF"


def test_a_second_request_serves_the_kept_pdf_and_both_are_audited(client_for, hub_dir):
    first = client_for("sam").get("/committee-report/?version=full&format=pdf")
    assert first.status_code == 200 and whole_pdf(first.content)
    [(name, path)] = kept(hub_dir).items()
    assert name.startswith("full-") and name.endswith(".pdf")
    made = path.stat()
    second = client_for("morgan").get("/committee-report/?version=full&format=pdf")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    again = path.stat()
    assert (again.st_ino, again.st_mtime_ns) == (made.st_ino, made.st_mtime_ns)  # not rewritten
    assert list(kept(hub_dir)) == [name]
    assert exports() == [("sam", "full"), ("morgan", "full")]


def test_the_kept_pdfs_are_private(client_for, hub_dir):
    client_for("sam").get("/committee-report/?format=pdf")
    folder = hub_dir / "committee-report"
    assert stat.S_IMODE(hub_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    [path] = kept(hub_dir).values()
    assert path.name.startswith("public-")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_decision_marked_exempt_in_place_gives_a_new_public_pdf(client_for, hub_dir):
    """The case a fingerprint of counts and latest ids would miss: the same row edited."""
    before = client_for("ahmed").get("/committee-report/?format=pdf")
    assert DEMO_DECISION in text_of(before.content)
    [old] = kept(hub_dir)
    decision = Decision.objects.get(text__contains=DEMO_DECISION)
    decision.exempt = True
    decision.save()
    after = client_for("ahmed").get("/committee-report/?format=pdf")
    assert after.status_code == 200
    text = text_of(after.content)
    assert DEMO_DECISION not in text
    assert "withheld from this version" in text
    [new] = kept(hub_dir)  # the older PDF of the version is gone
    assert new != old and new.startswith("public-")


def report_file(today: dt.date | None = None, version: str = "public") -> str:
    """The name the PDF of the report as the database stands would be kept under."""
    return pdf.kept_path(build_report(gather(today or timezone.localdate()), version)).name


def test_every_change_the_report_shows_names_a_new_pdf_and_others_do_not(partnership):
    today = timezone.localdate()
    names = {report_file()}
    assert report_file() in names  # the same data: the same file
    assert report_file(version="full") not in names
    assert report_file(today + dt.timedelta(days=1)) not in names  # the period moves

    def changes(make_change) -> bool:
        before = report_file()
        make_change()
        return report_file() != before

    decision = Decision.objects.get(text__contains=DEMO_DECISION)
    meeting = Meeting.objects.filter(status="scheduled").order_by("starts_at").first()
    action = Action.objects.get(title__startswith="Report burglary prevention funding")
    shown = {
        "a decision's text": lambda: Decision.objects.filter(pk=decision.pk).update(
            text="The board agreed something else."
        ),
        "an agency's name": lambda: Agency.objects.filter(code="fire").update(
            name="Brackwater Fire and Rescue Authority"
        ),
        "a group's purpose": lambda: Group.objects.filter(code="asb").update(
            purpose="Tackling antisocial behaviour together."
        ),
        "a priority's title": lambda: Priority.objects.filter(order=1).update(title="Burglary"),
        "a meeting held": lambda: Meeting.objects.filter(pk=meeting.pk).update(
            status="held", starts_at=timezone.now() - dt.timedelta(days=1)
        ),
        "an action's state": lambda: Action.objects.filter(pk=action.pk).update(state="done"),
        # Last: it withholds the decision's actions from the public version.
        "an agenda item marked exempt": lambda: AgendaItem.objects.filter(
            pk=decision.agenda_item_id
        ).update(exempt=True),
    }
    for what, change in shown.items():
        assert changes(change), what
    unshown = {
        "a scheduled meeting's location": lambda: Meeting.objects.filter(status="scheduled").update(
            location="Elsewhere"
        ),
        "a progress note": lambda: ActionNote.objects.create(action=action, text="Noted."),
    }
    for what, change in unshown.items():
        assert not changes(change), what


def test_fresh_renders_are_limited_per_user_and_a_kept_pdf_is_always_served(
    client_for, settings, hub_dir
):
    settings.COMMITTEE_PDF_RENDER_LIMIT = 1
    sam = client_for("sam")
    assert sam.get("/committee-report/?version=full&format=pdf").status_code == 200
    refused = sam.get("/committee-report/?version=public&format=pdf")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many new PDFs of the report" in page
    assert "Try again after" in page
    assert 0 < int(refused["Retry-After"]) <= 60
    assert exports() == [("sam", "full")]  # the refusal is not an export
    assert [n.split("-")[0] for n in kept(hub_dir)] == ["full"]  # and made nothing
    # The kept PDF is served to sam still, as often as asked.
    for _ in range(3):
        assert sam.get("/committee-report/?version=full&format=pdf").status_code == 200
    # The limit is sam's: morgan has the public version made, and then sam is served it.
    assert client_for("morgan").get("/committee-report/?format=pdf").status_code == 200
    assert sam.get("/committee-report/?format=pdf").status_code == 200
    assert exports() == [("sam", "full")] * 4 + [("morgan", "public"), ("sam", "public")]
    # Once sam's window has passed (moved here into the past by the window's length, not
    # waited for), sam may have a fresh one made again.
    from django.db.models import F

    from csphub.hub.committee.models import RenderCounter

    window = dt.timedelta(seconds=settings.COMMITTEE_PDF_RENDER_WINDOW_SECONDS + 1)
    RenderCounter.objects.filter(user__username="sam").update(started=F("started") - window)
    Decision.objects.filter(text__contains=DEMO_DECISION).update(text="Agreed anew.")
    assert sam.get("/committee-report/?format=pdf").status_code == 200


def test_a_kept_file_that_is_not_a_whole_pdf_is_made_again(client_for, hub_dir):
    client_for("sam").get("/committee-report/?format=pdf")
    [path] = kept(hub_dir).values()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # as a crash might leave it
    response = client_for("sam").get("/committee-report/?format=pdf")
    assert response.status_code == 200 and whole_pdf(response.content)
    assert whole_pdf(path.read_bytes())


def test_two_renders_of_one_version_at_once_leave_one_whole_file(partnership, hub_dir):
    report = build_report(gather(timezone.localdate()), "public")
    results: list[bytes] = []
    errors: list[BaseException] = []

    def render() -> None:
        try:
            results.append(pdf.make(report))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=render) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 2 and all(whole_pdf(r) for r in results)
    [path] = kept(hub_dir).values()  # no temporary file left beside it
    assert whole_pdf(path.read_bytes())
