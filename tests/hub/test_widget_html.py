"""The hub's Python-drawn widgets against Django's own templates: the same bytes.

The oracle is Django's ``DjangoTemplates`` form renderer, rendering each widget from its
shipped templates; ``WidgetRenderer`` must give exactly what it gives, hostile values and
all, or fall back to it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from csphub.hub.widget_html import WidgetRenderer

HOSTILE = "<script>alert(\"x\")</script> & 'quoted' {{ not a tag }}"
ATTRS = {
    "class": "govuk-input",
    "aria-describedby": "id_x-hint id_x-error",
    "required": True,
    "disabled": False,
    "maxlength": 200,
    "data-note": HOSTILE,
}
CHOICES = [
    ("", "Choose one"),
    ("a", HOSTILE),
    (3, "Three & more"),
    ("Group <b>", [("g1", "In a group"), ("g2", gettext_lazy("Lazy label"))]),
    ("z", mark_safe("<em>safe</em>")),
]

CASES = [
    ("text", forms.TextInput(attrs=ATTRS), HOSTILE),
    ("text, no value", forms.TextInput(attrs=ATTRS), None),
    ("text, safe value", forms.TextInput(), mark_safe("<b>")),
    ("hidden number", forms.HiddenInput(), 5),
    ("number", forms.NumberInput(attrs={"min": 0}), 3.5),
    ("email", forms.EmailInput(), "a&b@example.org"),
    ("url", forms.URLInput(), "https://example.org/?a=1&b=2"),
    ("password", forms.PasswordInput(attrs=ATTRS), "secret"),
    ("date", forms.DateInput(attrs={"type": "date"}), dt.date(2026, 12, 6)),
    ("time", forms.TimeInput(), dt.time(9, 30)),
    ("file", forms.FileInput(attrs={"accept": ".pdf"}), None),
    ("textarea", forms.Textarea(attrs={"rows": 2, **ATTRS}), HOSTILE + "\nline two"),
    ("textarea, empty", forms.Textarea(), ""),
    ("textarea, number", forms.Textarea(), 12),
    ("select", forms.Select(choices=CHOICES, attrs=ATTRS), "a"),
    ("select, int chosen", forms.Select(choices=CHOICES), 3),
    ("select, nothing", forms.Select(choices=CHOICES), None),
    ("select, int labels", forms.Select(choices=[(1, 1), (2, 2)]), 2),
    ("select multiple", forms.SelectMultiple(choices=CHOICES), ["a", "g2"]),
    ("null boolean", forms.NullBooleanSelect(), True),
    ("radio (its own templates)", forms.RadioSelect(choices=CHOICES), "a"),
    ("checkbox (its own template)", forms.CheckboxInput(attrs=ATTRS), True),
]


@pytest.mark.parametrize(("label", "widget", "value"), CASES, ids=[c[0] for c in CASES])
def test_a_widget_is_drawn_as_djangos_templates_draw_it(label, widget, value):
    expected = widget.render("field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates())
    drawn = widget.render("field", value, attrs={"id": "id_field"}, renderer=WidgetRenderer())
    assert drawn == expected


@pytest.mark.django_db
def test_a_real_form_with_a_model_choice_renders_the_same():
    from csphub.hub.access.models import Agency
    from csphub.hub.casework.forms import EntryForm

    Agency.objects.create(code="x", name=HOSTILE, kind="council", statutory=True)
    Agency.objects.create(code="y", name="Fire & Rescue", kind="fire", statutory=True)

    class Picked(forms.Form):
        agency = forms.ModelChoiceField(queryset=Agency.objects.order_by("code"))
        note = forms.CharField(widget=forms.Textarea)

    for form_class, data in ((Picked, {"note": HOSTILE}), (EntryForm, {"text": HOSTILE})):
        expected = form_class(data, renderer=DjangoTemplates()).as_div()
        drawn = form_class(data, renderer=WidgetRenderer()).as_div()
        assert "<select" in expected or "<textarea" in expected
        assert drawn == expected
