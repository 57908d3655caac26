"""Free text has a limit: minutes 50,000 characters; an agenda item's detail, a decision,
an action's detail and a progress note 10,000; a group's purpose and a priority's coverage
2,000; titles, locations and names their column's. A page refuses a longer value with a
GOV.UK error message and writes nothing (no row, no audit row); a service refuses it with a
ValidationError, also writing nothing. The limits are written here as numbers, not read
from the code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from csphub.hub.access.models import Agency, TwoFactor
from csphub.hub.access.passwords import reset_second_factor
from csphub.hub.actions import services as actions
from csphub.hub.actions.models import Action, ActionNote
from csphub.hub.audit.context import for_user
from csphub.hub.audit.models import AuditEvent
from csphub.hub.groups import services as groups
from csphub.hub.groups.models import AgendaItem, Attendance, Decision, Group, Meeting
from csphub.hub.plan.models import Priority


def mark() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def written_since(since: int) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(pk__gt=since).order_by("pk").values_list("action", "object_type")
    )


@pytest.fixture
def held(partnership):
    return Meeting.objects.get(group__code="board", status="held")


@pytest.fixture
def own_action(partnership):
    """An action in progress that sam (coordinator, chairs the board) may update."""
    return Action.objects.get(title__startswith="Report burglary prevention funding")


def due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


def refused(response, message: str) -> str:
    """The page came back with the GOV.UK error summary and the field's error message."""
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'class="govuk-error-message"' in page
    assert message in page
    return page


# Pages --------------------------------------------------------------------------------


def test_minutes_over_50000_characters_are_refused_by_the_page(client_for, held):
    before = held.minutes
    m = mark()
    response = client_for("sam").post(
        f"/meetings/{held.pk}/edit/",
        {"version": held.version, "status": "held", "minutes": "m" * 50_001},
    )
    refused(response, "Minutes must be 50,000 characters or less")
    held.refresh_from_db()
    assert held.minutes == before
    assert written_since(m) == []
    # 50,000 exactly is taken, and audited.
    response = client_for("sam").post(
        f"/meetings/{held.pk}/edit/",
        {"version": held.version, "status": "held", "minutes": "m" * 50_000},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert len(held.minutes) == 50_000
    assert written_since(m) == [("update", "groups.meeting")]


def test_a_textarea_has_no_maxlength_that_would_cut_pasted_text(client_for, held):
    page = client_for("sam").get(f"/meetings/{held.pk}/edit/").content.decode()
    textarea = page.split("<textarea")[1].split(">")[0]
    assert 'name="minutes"' in textarea and "maxlength" not in textarea
    assert "Up to 50,000 characters" in page


def test_agenda_item_detail_over_10000_characters_is_refused_by_the_page(client_for, held):
    m = mark()
    response = client_for("sam").post(
        f"/meetings/{held.pk}/agenda/new/", {"title": "Long item", "detail": "d" * 10_001}
    )
    refused(response, "Detail must be 10,000 characters or less")
    assert not AgendaItem.objects.filter(title="Long item").exists()
    assert written_since(m) == []


def test_a_decision_over_10000_characters_is_refused_by_the_page(client_for, held):
    count = Decision.objects.count()
    m = mark()
    response = client_for("sam").post(
        f"/meetings/{held.pk}/decisions/new/", {"text": "Agreed " + "d" * 9_994}
    )
    refused(response, "The decision must be 10,000 characters or less")
    assert Decision.objects.count() == count
    assert written_since(m) == []


def test_action_detail_over_10000_characters_is_refused_by_the_page(client_for, users, held):
    decision = Decision.objects.create(meeting=held, text="Raise an action")
    council = Agency.objects.get(code="council")
    m = mark()
    response = client_for("sam").post(
        f"/decisions/{decision.pk}/actions/new/",
        {
            "title": "A long action",
            "detail": "d" * 10_001,
            "group": held.group_id,
            "owner_agency": council.pk,
            "due": due().isoformat(),
        },
    )
    refused(response, "Detail must be 10,000 characters or less")
    assert not Action.objects.filter(title="A long action").exists()
    assert written_since(m) == []


def test_a_progress_note_over_10000_characters_is_refused_by_the_page(client_for, own_action):
    state, notes = own_action.state, own_action.notes.count()
    m = mark()
    response = client_for("sam").post(
        f"/actions/{own_action.pk}/progress/", {"note": "n" * 10_001, "state": "done"}
    )
    refused(response, "The progress note must be 10,000 characters or less")
    own_action.refresh_from_db()
    assert (own_action.state, own_action.notes.count()) == (state, notes)
    assert written_since(m) == []


def test_a_title_over_its_column_is_refused_in_govuk_words(client_for, held):
    m = mark()
    response = client_for("sam").post(f"/meetings/{held.pk}/agenda/new/", {"title": "t" * 301})
    refused(response, "Title must be 300 characters or less")
    assert written_since(m) == []


# Services -----------------------------------------------------------------------------


def fields_of(error: pytest.ExceptionInfo) -> set[str]:
    return set(error.value.message_dict)


def test_update_meeting_refuses_long_minutes(users, held):
    before = held.minutes
    m = mark()
    with pytest.raises(ValidationError) as error:
        groups.update_meeting(for_user(users["sam"]), held, minutes="m" * 50_001)
    assert fields_of(error) == {"minutes"}
    assert Meeting.objects.get(pk=held.pk).minutes == before
    assert written_since(m) == []


def test_add_agenda_item_refuses_a_long_detail_or_title(users, held):
    m = mark()
    with pytest.raises(ValidationError) as error:
        groups.add_agenda_item(for_user(users["sam"]), held, title="Item", detail="d" * 10_001)
    assert fields_of(error) == {"detail"}
    with pytest.raises(ValidationError) as error:
        groups.add_agenda_item(for_user(users["sam"]), held, title="t" * 301)
    assert fields_of(error) == {"title"}
    assert not held.agenda.filter(title__in=["Item", "t" * 301]).exists()
    assert written_since(m) == []
    # At the limit it is taken.
    item = groups.add_agenda_item(
        for_user(users["sam"]), held, title="t" * 300, detail="d" * 10_000
    )
    assert (len(item.title), len(item.detail)) == (300, 10_000)


def test_record_decision_refuses_a_long_text(users, held):
    count = Decision.objects.count()
    m = mark()
    with pytest.raises(ValidationError) as error:
        groups.record_decision(for_user(users["sam"]), held, text="d" * 10_001)
    assert fields_of(error) == {"text"}
    assert Decision.objects.count() == count
    assert written_since(m) == []


def test_schedule_meeting_refuses_a_long_title_or_location(users, partnership):
    board = Group.objects.get(code="board")
    count = Meeting.objects.count()
    starts = timezone.now() + dt.timedelta(days=40)
    m = mark()
    for fields, field in (({"title": "t" * 201}, "title"), ({"location": "l" * 201}, "location")):
        with pytest.raises(ValidationError) as error:
            groups.schedule_meeting(
                for_user(users["sam"]), board, **{"title": "Board", "starts_at": starts, **fields}
            )
        assert fields_of(error) == {field}
    assert Meeting.objects.count() == count
    assert written_since(m) == []


def test_record_attendance_refuses_long_names(users, held):
    council = Agency.objects.get(code="council")
    before = list(Attendance.objects.filter(meeting=held).values_list("agency", "names"))
    m = mark()
    with pytest.raises(ValidationError) as error:
        groups.record_attendance(
            for_user(users["sam"]), held, council, status="present", names="n" * 301
        )
    assert fields_of(error) == {"names"}
    assert list(Attendance.objects.filter(meeting=held).values_list("agency", "names")) == before
    assert written_since(m) == []


def test_raise_action_refuses_a_long_detail(users, held):
    decision = Decision.objects.create(meeting=held, text="Raise an action")
    m = mark()
    with pytest.raises(ValidationError) as error:
        actions.raise_action(
            for_user(users["sam"]),
            decision,
            group=held.group,
            title="A long action",
            owner_agency=Agency.objects.get(code="council"),
            due=due(),
            detail="d" * 10_001,
        )
    assert fields_of(error) == {"detail"}
    assert not Action.objects.filter(title="A long action").exists()
    assert written_since(m) == []


def test_progress_refuses_a_long_note_and_keeps_the_state(users, own_action):
    state, notes = own_action.state, ActionNote.objects.count()
    m = mark()
    with pytest.raises(ValidationError) as error:
        actions.progress(for_user(users["sam"]), own_action, note="n" * 10_001, state="done")
    assert fields_of(error) == {"text"}
    assert Action.objects.get(pk=own_action.pk).state == state
    assert ActionNote.objects.count() == notes
    assert written_since(m) == []
    # A change of state alone still needs no note.
    actions.progress(for_user(users["sam"]), Action.objects.get(pk=own_action.pk), state="done")
    assert Action.objects.get(pk=own_action.pk).state == "done"


def test_a_cascaded_agenda_item_cuts_quoted_text_to_fit(users, held):
    """The cascade quotes the action's title (up to 300) in an agenda item whose title
    takes 300: cut, ending with "…". Its detail fits too, even from a decision of 10,000."""
    burglary = Group.objects.get(code="burglary")
    assert burglary.next_meeting() is not None
    decision = groups.record_decision(for_user(users["sam"]), held, text="d" * 10_000)
    action = actions.raise_action(
        for_user(users["sam"]),
        decision,
        group=burglary,
        title="T" * 300,
        owner_agency=burglary.agencies.get(code="police"),
        due=due(),
    )
    item = AgendaItem.objects.get(action=action)
    assert len(item.title) == 300 and item.title.endswith("T…")
    assert item.title.startswith("Cascaded action: TTT")
    assert len(item.detail) <= 10_000
    item.full_clean()


def test_reset_second_factor_refuses_a_long_reason(users):
    TwoFactor.objects.create(user=users["dave"], secret="JBSWY3DPEHPK3PXP", confirmed=True)
    m = mark()
    with pytest.raises(ValidationError):
        reset_second_factor(for_user(users["sam"]), users["dave"], "r" * 501)
    assert TwoFactor.objects.filter(user=users["dave"]).exists()
    assert written_since(m) == []


def test_models_without_a_service_refuse_long_text_in_full_clean(partnership):
    group = Group.objects.get(code="board")
    group.purpose = "p" * 2_001
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert fields_of(error) == {"purpose"}
    priority = Priority.objects.first()
    priority.coverage = "c" * 2_001
    with pytest.raises(ValidationError) as error:
        priority.full_clean()
    assert fields_of(error) == {"coverage"}
