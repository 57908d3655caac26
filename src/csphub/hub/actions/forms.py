"""Forms of the action pages (GOV.UK markup via ``GovukForm``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from csphub.hub.access.models import Agency
from csphub.hub.actions.lifecycle import LABELS, TRANSITIONS
from csphub.hub.actions.models import TEXT_MAX_LENGTH, Action
from csphub.hub.forms import GovukForm, too_long
from csphub.hub.groups.models import Decision, Group


class ProgressForm(GovukForm):
    """A progress note and, optionally, one of the moves the lifecycle allows from here."""

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Progress note",
        max_length=TEXT_MAX_LENGTH,
        error_messages=too_long("The progress note", TEXT_MAX_LENGTH),
        help_text="What has been done, what is next, or why the state changes. Up to "
        f"{TEXT_MAX_LENGTH:,} characters.",
    )
    state = forms.ChoiceField(label="State", required=False)

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        allowed = sorted(TRANSITIONS[action.state])
        self.fields["state"].choices = [
            ("", f"Keep as {LABELS[action.state].lower()}"),
            *((s, LABELS[s]) for s in allowed),
        ]
        self.fields["state"].help_text = (
            f"Now {LABELS[action.state].lower()}. Done and cancelled are final; cancelling "
            "needs a note saying why."
        )
        self.fields["state"].widget.attrs["aria-describedby"] = "id_state-hint"

    def clean(self):
        data = super().clean()
        if not (data.get("note") or "").strip() and not data.get("state"):
            self.add_error("note", "Write a progress note or choose a new state")
        return data


def cascade_groups(source: Group) -> list[Group]:
    """``source`` and every group below it, in tree order."""
    out: list[Group] = []

    def walk(group: Group) -> None:
        out.append(group)
        for child in group.subgroups.order_by("name"):
            if child.pk not in {g.pk for g in out}:
                walk(child)

    walk(source)
    return out


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        agencies = ", ".join(m.agency.name for m in user.memberships.all() if m.active)
        return f"{user.get_full_name() or user.username} ({agencies})"


class RaiseActionForm(GovukForm):
    title = forms.CharField(
        max_length=300,
        error_messages=too_long("Title", 300),
        help_text="What is to be done, starting with a verb.",
    )
    detail = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        error_messages=too_long("Detail", TEXT_MAX_LENGTH),
        help_text=f"Optional. Up to {TEXT_MAX_LENGTH:,} characters.",
    )
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        label="Group responsible",
        help_text="This group, or a group below it to cascade the action to (it joins that "
        "group's next agenda).",
    )
    owner_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Owner agency",
        help_text="An agency that sits on the group responsible.",
    )
    owner = PersonChoice(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="No named person",
        label="Owner (optional)",
        help_text="A person from the owner agency.",
    )
    due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Due date")
    exempt = forms.BooleanField(
        required=False,
        label="Exempt information",
        help_text="Kept out of the public version of reports (always, if the decision is).",
    )

    def __init__(self, *args, decision: Decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = cascade_groups(decision.meeting.group)
        ids = [g.pk for g in self.groups]
        self.fields["group"].queryset = Group.objects.filter(pk__in=ids)
        self.fields["group"].label_from_instance = self._group_label
        self.fields["group"].initial = decision.meeting.group.pk
        agencies = Agency.objects.filter(partnership_groups__in=ids).distinct()
        self.fields["owner_agency"].queryset = agencies
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__agency__in=agencies, memberships__active=True)
            .distinct()
            .prefetch_related("memberships__agency")
            .order_by("first_name", "last_name", "username")
        )

    def _group_label(self, group: Group) -> str:
        depth, node = 0, group
        while node.pk != self.groups[0].pk and node.parent_id is not None:
            depth, node = depth + 1, node.parent
        return ("– " * depth) + group.name

    def clean_due(self):
        due = self.cleaned_data["due"]
        if due < timezone.localdate():
            raise forms.ValidationError("The due date must be today or in the future")
        return due

    def clean(self):
        data = super().clean()
        group, agency, owner = data.get("group"), data.get("owner_agency"), data.get("owner")
        if group and agency and not group.agencies.filter(pk=agency.pk).exists():
            self.add_error("owner_agency", f"{agency.name} does not sit on {group.name}")
        if agency and owner and not owner.memberships.filter(agency=agency, active=True).exists():
            self.add_error("owner", f"{owner.get_full_name()} is not a member of {agency.name}")
        return data
