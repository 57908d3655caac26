"""GOV.UK classes on Django form widgets, so templates render fields with
``hub/includes/field.html`` and nothing else."""

from __future__ import annotations

from django import forms

CLASSES = {
    forms.TextInput: "govuk-input",
    forms.EmailInput: "govuk-input",
    forms.PasswordInput: "govuk-input",
    forms.NumberInput: "govuk-input govuk-input--width-10",
    forms.DateInput: "govuk-input govuk-input--width-10",
    forms.DateTimeInput: "govuk-input",
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


class GovukMixin:
    """Widgets carry GOV.UK classes and aria-describedby for hints and, once validated,
    errors (set in ``is_valid`` so subclasses can adjust fields after ``__init__``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not valid:
            mark_errors(self)
        return valid


def too_long(what: str, limit: int) -> dict[str, str]:
    """``error_messages`` for a field of at most ``limit`` characters, in GOV.UK's words:
    ``too_long("Minutes", 50_000)`` says "Minutes must be 50,000 characters or less"."""
    return {"max_length": f"{what} must be {limit:,} characters or less"}


class GovukForm(GovukMixin, forms.Form):
    pass


class GovukModelForm(GovukMixin, forms.ModelForm):
    pass


def style(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.Textarea):
            # A browser cuts pasted text at maxlength without a word: the form says instead.
            widget.attrs.pop("maxlength", None)
        for kind, css in CLASSES.items():
            if isinstance(widget, kind):
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
                break
        if field.help_text:
            widget.attrs["aria-describedby"] = f"id_{name}-hint"


def mark_errors(form: forms.BaseForm) -> None:
    for name in form.errors:
        if name not in form.fields:
            continue
        widget = form.fields[name].widget
        widget.attrs["class"] = (widget.attrs.get("class", "") + " govuk-input--error").strip()
        widget.attrs["aria-invalid"] = "true"
        ids = [widget.attrs.get("aria-describedby", ""), f"id_{name}-error"]
        widget.attrs["aria-describedby"] = " ".join(i for i in ids if i)
