"""Forms of the group and meeting pages (GOV.UK markup via ``GovukForm``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from csphub.hub.forms import GovukForm, style, too_long
from csphub.hub.groups.models import (
    MINUTES_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Attendance,
    Meeting,
)
from csphub.hub.plan.models import Priority


class MeetingForm(GovukForm):
    title = forms.CharField(
        max_length=200,
        error_messages=too_long("Title", 200),
        help_text="For example, Partnership Board.",
    )
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), help_text="The day.")
    time = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="The start time, for example 10:00.",
    )
    location = forms.CharField(
        max_length=200, required=False, error_messages=too_long("Location", 200)
    )

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        if group is not None and not self.is_bound:
            self.fields["title"].initial = group.name

    def starts_at(self) -> dt.datetime:
        data = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(data["date"], data["time"]))


class MeetingEditForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Meeting.STATUSES)
    minutes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=MINUTES_MAX_LENGTH,
        error_messages=too_long("Minutes", MINUTES_MAX_LENGTH),
        help_text="What was discussed; decisions are recorded separately. Up to "
        f"{MINUTES_MAX_LENGTH:,} characters.",
    )


class AgendaItemForm(GovukForm):
    title = forms.CharField(max_length=300, error_messages=too_long("Title", 300))
    detail = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        error_messages=too_long("Detail", TEXT_MAX_LENGTH),
        help_text=f"Optional. Up to {TEXT_MAX_LENGTH:,} characters.",
    )
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.select_related("plan"),
        required=False,
        empty_label="None",
        label="Priority from the plan (optional)",
    )
    exempt = forms.BooleanField(
        required=False,
        label="Exempt information",
        help_text="Kept out of the public version of reports.",
    )


class DecisionForm(GovukForm):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Decision",
        max_length=TEXT_MAX_LENGTH,
        error_messages=too_long("The decision", TEXT_MAX_LENGTH),
        help_text="What the group decided, in plain English. Up to "
        f"{TEXT_MAX_LENGTH:,} characters.",
    )
    agenda_item = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="None",
        label="Agenda item (optional)",
    )
    exempt = forms.BooleanField(
        required=False,
        label="Exempt information",
        help_text="Kept out of the public version of reports.",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda.all()


class AttendanceForm(GovukForm):
    """One status and the names of those present for each agency that sits on the group."""

    CHOICES = [("", "Not recorded"), *Attendance.STATUSES]

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        current = {a.agency_id: a for a in meeting.attendance.all()}
        self.agencies = list(meeting.group.agencies.order_by("name"))
        for agency in self.agencies:
            row = current.get(agency.pk)
            self.fields[f"status_{agency.pk}"] = forms.ChoiceField(
                choices=self.CHOICES,
                required=False,
                label=f"{agency.name}: attendance",
                initial=row.status if row else "",
            )
            self.fields[f"names_{agency.pk}"] = forms.CharField(
                max_length=300,
                error_messages=too_long("Names", 300),
                required=False,
                label=f"{agency.name}: names",
                help_text="Who attended or sent apologies, separated by commas.",
                initial=row.names if row else "",
            )
        style(self)

    def rows(self):
        """(agency, status field, names field) for the template."""
        return [(a, self[f"status_{a.pk}"], self[f"names_{a.pk}"]) for a in self.agencies]

    def entries(self) -> dict:
        data = self.cleaned_data
        return {a: (data[f"status_{a.pk}"], data[f"names_{a.pk}"]) for a in self.agencies}
