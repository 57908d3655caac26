"""Forms of the casework pages (GOV.UK markup via ``GovukForm``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from csphub.hub.access.models import Agency
from csphub.hub.casework.models import Case, SharingAgreement
from csphub.hub.casework.models.cases import PERSON_ROLES, TEXT_MAX_LENGTH, TimelineEntry
from csphub.hub.casework.models.people import (
    AGE_BANDS,
    CONTACT_KINDS,
    GENDERS,
    IDENTIFIER_SCHEMES,
    SENSITIVITY,
    PersonAddress,
)
from csphub.hub.casework.services.cases import WRITTEN
from csphub.hub.casework.types import case_types, outcomes, risk_tools
from csphub.hub.forms import GovukForm, too_long

DATE = forms.DateInput(attrs={"type": "date"})


def _text(label: str, limit: int = TEXT_MAX_LENGTH, rows: int = 4, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=too_long(label, limit),
        **kwargs,
    )


class CaseForm(GovukForm):
    case_type = forms.ChoiceField(label="Type of case")
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A short description without names, for example 'Noise and threats, "
        "Elm Court'. Names go in the people on the case.",
        error_messages=too_long("The title", 200),
    )
    summary = _text("Summary", required=False, help_text="What was reported, and by whom.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = [(c, t.name) for c, t in case_types().items()]


class PersonForm(GovukForm):
    role = forms.ChoiceField(label="Their part in the case", choices=PERSON_ROLES)
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    dob = forms.DateField(label="Date of birth", required=False, widget=DATE)
    age_band = forms.ChoiceField(
        label="Age band",
        required=False,
        choices=AGE_BANDS,
        help_text="If the date of birth is not known.",
    )
    gender = forms.ChoiceField(label="Gender", required=False, choices=GENDERS)
    alias = forms.CharField(
        label="Also known as",
        required=False,
        max_length=200,
        help_text="An alias or previous name.",
    )
    identifier_scheme = forms.ChoiceField(
        label="Partner system", required=False, choices=[("", "None"), *IDENTIFIER_SCHEMES]
    )
    identifier = forms.CharField(
        label="Their reference in that system", required=False, max_length=64
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        help_text="Helps find them if already known.",
    )
    child = forms.BooleanField(label="A child (under 18)", required=False)
    vulnerable_adult = forms.BooleanField(label="A vulnerable adult", required=False)
    sensitivity = forms.ChoiceField(label="Sensitivity", choices=SENSITIVITY, initial="standard")
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        dob = data.get("dob")
        if dob and dob > timezone.localdate():
            self.add_error("dob", "Date of birth must be in the past")
        if data.get("identifier") and not data.get("identifier_scheme"):
            self.add_error("identifier_scheme", "Choose the partner system the reference is from")
        return data


class LinkPersonForm(GovukForm):
    person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=PERSON_ROLES, widget=forms.HiddenInput)


class PlaceForm(GovukForm):
    name = forms.CharField(label="Name of the place", required=False, max_length=200)
    address = forms.CharField(label="Address", max_length=300)
    town = forms.CharField(label="Town", required=False, max_length=100)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    uprn = forms.IntegerField(
        label="UPRN",
        required=False,
        min_value=1,
        help_text="The unique property reference, if known.",
    )
    latitude = forms.FloatField(label="Latitude", required=False, min_value=49, max_value=61)
    longitude = forms.FloatField(label="Longitude", required=False, min_value=-9, max_value=2)

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", "Give both latitude and longitude, or neither")
        return data


class AddressForm(PlaceForm):
    """An address of a person (a place, made or found by UPRN) over time."""

    kind = forms.ChoiceField(label="Kind of address", choices=PersonAddress.KINDS)
    from_date = forms.DateField(label="From", required=False, widget=DATE)
    to_date = forms.DateField(
        label="To", required=False, widget=DATE, help_text="Leave empty if they still live there."
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("from_date"), data.get("to_date")
        if start and end and end < start:
            self.add_error("to_date", "The 'To' date must be the same as or after the 'From' date")
        return data


class ContactForm(GovukForm):
    kind = forms.ChoiceField(label="Kind", choices=CONTACT_KINDS)
    value = forms.CharField(label="Number, address or other detail", max_length=200)
    note = forms.CharField(
        label="Note", required=False, max_length=200, help_text="For example 'mobile, texts only'."
    )


class MoveForm(GovukForm):
    event = forms.ChoiceField(label="Next step")
    note = _text("Note", required=False, rows=2)
    closure_reason = _text("Reason for closing", required=False, rows=2)
    outcome = forms.ChoiceField(label="Outcome", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        moves = case.type.lifecycle.moves_from(case.state)
        self.fields["event"].choices = [(m.event, m.label) for m in moves]
        self.fields["outcome"].choices = [("", "Only when closing"), *outcomes().items()]
        self.fields["version"].initial = case.version


class ShareForm(GovukForm):
    agency = forms.ModelChoiceField(label="Share with", queryset=Agency.objects.none())
    agreement = forms.ModelChoiceField(
        label="Data-sharing agreement", queryset=SharingAgreement.objects.none()
    )
    reason = forms.CharField(
        label="Why this agency needs the case",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=too_long("The reason", 500),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        shared = case.shares.filter(ended_at__isnull=True).values("agency_id")
        self.fields["agency"].queryset = Agency.objects.exclude(pk=case.lead_agency_id).exclude(
            pk__in=shared
        )
        self.fields["agreement"].queryset = SharingAgreement.objects.filter(
            parties=case.lead_agency_id, review_date__gte=timezone.localdate()
        )


class RiskForm(GovukForm):
    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        tool = risk_tools()[case.type.risk_tool]
        self.tool = tool
        for q in tool.questions:
            self.fields[f"q_{q.key}"] = forms.BooleanField(label=q.text, required=False)
        people = case.parties.filter(person__isnull=False).select_related("person")
        self.fields["person"] = forms.ChoiceField(
            label="Who is assessed",
            required=False,
            choices=[("", "The case as a whole"), *((p.person_id, str(p.person)) for p in people)],
        )
        self.fields["level"] = forms.ChoiceField(
            label="Level, if your judgement raises it",
            required=False,
            choices=[("", "As the answers score it"), ("medium", "Medium"), ("high", "High")],
        )
        self.fields["reasons"] = _text("Reasons for the level", rows=3)
        from csphub.hub.forms import style

        style(self)

    def answers(self) -> dict[str, bool]:
        return {q.key: bool(self.cleaned_data.get(f"q_{q.key}")) for q in self.tool.questions}


class EntryForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of entry",
        choices=[(k, v) for k, v in TimelineEntry.KINDS if k in WRITTEN],
    )
    text = _text("Entry")
    occurred_on = forms.DateField(
        label="Date it happened", required=False, widget=DATE, help_text="Leave empty for today."
    )
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput)


class OwnerForm(GovukForm):
    owner = forms.ModelChoiceField(label="Case owner", queryset=None)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        members = get_user_model().objects.filter(
            memberships__agency_id=case.lead_agency_id, memberships__active=True
        )
        self.fields["owner"].queryset = members.distinct().order_by("first_name", "last_name")
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["owner"].initial = case.owner_id
        self.fields["version"].initial = case.version


class DocumentForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200)
    file = forms.FileField(
        label="File",
        help_text="A PDF, Word document (docx), PNG, JPEG or plain text file, up to 10 MB.",
    )


class AgendaForm(GovukForm):
    meeting = forms.ChoiceField(label="Meeting")

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [
            (m.pk, f"{m.group.name}: {m.title}, {timezone.localtime(m.starts_at):%-d %b %Y %H:%M}")
            for m in meetings
        ]


class AgreementForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200)
    purpose = _text("Purpose", rows=3, help_text="What sharing under it is for.")
    legal_basis = forms.CharField(
        label="Legal basis",
        max_length=300,
        help_text="For example 'Crime and Disorder Act 1998 s.115 and s.17A; "
        "UK GDPR Art. 6(1)(e)'.",
    )
    parties = forms.ModelMultipleChoiceField(
        label="Agencies party to it",
        queryset=Agency.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    signed_on = forms.DateField(label="Signed on", widget=DATE)
    review_date = forms.DateField(label="Review by", widget=DATE)

    def clean(self):
        data = super().clean()
        signed, review = data.get("signed_on"), data.get("review_date")
        if signed and review and review <= signed:
            self.add_error("review_date", "The review date must be after the date it was signed")
        if data.get("parties") is not None and len(data["parties"]) < 2:
            self.add_error("parties", "Choose at least two agencies")
        return data


class SearchForm(GovukForm):
    q = forms.CharField(
        label="Search people, places and cases",
        max_length=100,
        min_length=2,
        help_text="A name or part of one, a date of birth (31/12/2008), a postcode or a case "
        "reference.",
    )
