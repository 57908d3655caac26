"""Lifecycles as data (csphub.hub.workflow), and the action lifecycle as users know it:
the expected moves are a table written here by hand, not read from the lifecycle file."""

from __future__ import annotations

import pytest

from csphub.hub.actions.lifecycle import LIFECYCLE, check_transition
from csphub.hub.actions.models import Action
from csphub.hub.audit.context import for_user
from csphub.hub.audit.models import AuditEvent
from csphub.hub.workflow import LifecycleFileError, TransitionError, from_table

STATES = ["open", "in_progress", "blocked", "done", "cancelled"]
#: (from, to) pairs an action may take: work starts, blocks and resumes; done and cancelled
#: are final and reached from any live state.
ALLOWED = {
    ("open", "in_progress"),
    ("open", "blocked"),
    ("open", "done"),
    ("open", "cancelled"),
    ("in_progress", "blocked"),
    ("in_progress", "done"),
    ("in_progress", "cancelled"),
    ("blocked", "in_progress"),
    ("blocked", "done"),
    ("blocked", "cancelled"),
}


@pytest.mark.parametrize("current", STATES)
@pytest.mark.parametrize("new", STATES)
def test_the_action_lifecycle_allows_exactly_the_table(current, new):
    if (current, new) in ALLOWED:
        check_transition(current, new)
    else:
        with pytest.raises(TransitionError):
            check_transition(current, new)


def test_the_lifecycle_file_names_its_source_and_date():
    assert LIFECYCLE.source and LIFECYCLE.applies_from.year >= 2026


BASE = {
    "name": "thing",
    "source": "a test",
    "applies_from": "2026-01-01",
    "states": {"a": {"label": "A", "initial": True}, "b": {"label": "B", "final": True}},
    "moves": [{"event": "go", "from": ["a"], "to": "b"}],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["states"]["a"].pop("label"), "x.toml: states.a.label is missing"),
        (lambda d: d["moves"][0].update(to="c"), "x.toml: moves[1]. names unknown state 'c'"),
        (lambda d: d["states"]["b"].update(initial=True), "exactly one state is initial"),
        (lambda d: d["moves"].append({"event": "back", "from": ["b"], "to": "a"}), "leaves a"),
        (lambda d: d.pop("source"), "x.toml: source is missing"),
    ],
)
def test_a_bad_lifecycle_file_is_refused_naming_the_file_and_key(change, message):
    import copy

    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(LifecycleFileError, match=message.replace(".", r"\.").replace("[", r"\[")):
        from_table(data, "x.toml")


@pytest.mark.django_db
def test_cancelling_needs_a_note_and_a_refusal_changes_nothing(users):
    from csphub.hub.actions import services

    dave = users["dave"]
    action = (
        Action.objects.filter(owner=dave, state="open").first()
        or Action.objects.filter(owner=dave, state__in=["in_progress", "blocked"]).first()
    )
    assert action is not None, "the demo gives dave a live action"
    was, notes, rows = action.state, action.notes.count(), AuditEvent.objects.count()
    with pytest.raises(TransitionError, match="why the action is cancelled"):
        services.progress(for_user(dave), action, note="  ", state="cancelled")
    action.refresh_from_db()
    assert (action.state, action.notes.count(), AuditEvent.objects.count()) == (was, notes, rows)
    services.progress(
        for_user(dave), action, note="No longer needed: premises closed", state="cancelled"
    )
    action.refresh_from_db()
    assert action.state == "cancelled"
    last = action.notes.order_by("-id").first()
    assert (last.state_from, last.state_to) == (was, "cancelled")
