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


class GovukForm(forms.Form):
    """A form whose widgets carry GOV.UK classes and aria-describedby for hints and errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class GovukModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def style(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        for kind, css in CLASSES.items():
            if isinstance(widget, kind):
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
                break
        described = []
        if field.help_text:
            described.append(f"id_{name}-hint")
        if form.is_bound and form.errors.get(name):
            described.append(f"id_{name}-error")
            widget.attrs["class"] += " govuk-input--error"
            widget.attrs["aria-invalid"] = "true"
        if described:
            widget.attrs["aria-describedby"] = " ".join(described)
