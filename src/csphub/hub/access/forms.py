"""Forms of the partnership management pages (GOV.UK markup via ``GovukForm``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from csphub.hub.access.models import Agency, role_table
from csphub.hub.access.passwords import REASON_MAX_LENGTH
from csphub.hub.forms import GovukForm, GovukModelForm, too_long


def role_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, (name, _) in role_table().items()]


def roles_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=role_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every role the user holds in this agency.",
        error_messages={"required": "Select at least one role."},
    )


class AgencyForm(GovukModelForm):
    class Meta:
        model = Agency
        fields = ["name", "code", "kind", "statutory", "requires_two_factor"]
        labels = {
            "code": "Short code",
            "kind": "Type of agency",
            "statutory": "Statutory member",
            "requires_two_factor": "Members must use two-factor authentication",
        }
        help_texts = {
            "name": "For example, Northshire County Council.",
            "code": "Lower-case letters, numbers and hyphens, for example northshire-cc.",
            "statutory": "Leave unticked for an agency that has opted in.",
        }


class UserForm(GovukForm):
    username = forms.CharField(label="User name", max_length=150)
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Email address (optional)", required=False)
    agency = forms.ModelChoiceField(queryset=Agency.objects.order_by("name"), empty_label=None)
    roles = roles_field()
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    password = forms.CharField(
        label="Initial password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = (
            "Give it to the user by a separate, secure route. At least 12 characters, not "
            "a common password, not all numbers and not like the user's name."
        )
        self.fields["password"].widget.attrs["aria-describedby"] = "id_password-hint"

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        model = get_user_model()
        model._meta.get_field("username").run_validators(username)
        if model.objects.filter(username__iexact=username).exists():
            raise ValidationError("A user with this user name already exists.")
        return username

    def clean(self) -> dict:
        data = super().clean()
        password = data.get("password")
        if password:
            candidate = get_user_model()(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                email=data.get("email", ""),
            )
            try:
                validate_password(password, user=candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return data


class MembershipForm(GovukForm):
    roles = roles_field()
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)


# Passwords (csphub.hub.access.passwords) -------------------------------------------

PASSWORD_RULES = (
    "At least 12 characters, not a common password, not all numbers and not like the user's name."
)


def password_field(label: str, autocomplete: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}, render_value=False),
        **kwargs,
    )


class ChangePasswordForm(GovukForm):
    """The current password (checked by the view, which throttles it), the new one twice."""

    current_password = password_field(
        "Current password",
        "current-password",
        error_messages={"required": "Enter your current password."},
    )
    new_password = password_field(
        "New password",
        "new-password",
        help_text=PASSWORD_RULES.replace("the user's name", "your name"),
        error_messages={"required": "Enter a new password."},
    )
    confirm_password = password_field(
        "Confirm your new password",
        "new-password",
        error_messages={"required": "Enter the new password again."},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        new, again = data.get("new_password"), data.get("confirm_password")
        if new and again and new != again:
            self.add_error("confirm_password", "The new passwords do not match.")
        elif new and new == data.get("current_password"):
            self.add_error("new_password", "Enter a new password that is not your current one.")
        elif new:
            try:
                validate_password(new, user=self.user)
            except ValidationError as error:
                self.add_error("new_password", error)
        return data


class ResetPasswordForm(GovukForm):
    temporary_password = password_field(
        "Temporary password",
        "new-password",
        help_text=PASSWORD_RULES + " Give it to the user by a separate, secure route: they "
        "must change it when they next sign in.",
        error_messages={"required": "Enter a temporary password."},
    )

    def __init__(self, member, *args, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)

    def clean_temporary_password(self) -> str:
        password = self.cleaned_data["temporary_password"]
        validate_password(password, user=self.member)
        return password


class ResetSecondFactorForm(GovukForm):
    reason = forms.CharField(
        label="Reason for the reset",
        help_text="Recorded in the audit trail, for example: phone lost, reported by phone "
        "on 3 March.",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason for resetting the second factor.",
            **too_long("The reason", REASON_MAX_LENGTH),
        },
    )
