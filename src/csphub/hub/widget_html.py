"""Django's plain form widgets written as Python, byte for byte what its templates make.

A widget is rendered through the template engine: a select of 30 options is 31 template
renders, and the case page's three forms cost about a fifth of its time on the server.
The few widgets the hub uses (inputs, text areas, selects) are built here with the same
escaping instead; any other template (a form layout, a widget with its own template) goes
to Django's templates as before. ``tests/hub/test_widget_html.py`` holds the two renderings
side by side, with hostile values, so a Django upgrade that changes its markup fails there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_WIDGETS = "django/forms/widgets/"
_OPTION = _WIDGETS + "select_option.html"
#: input.html, and the templates that are ``{% include "django/forms/widgets/input.html" %}``
#: (a renderer strips what a template leaves around its markup; an option keeps its line end).
_INPUTS = (
    "input", "text", "hidden", "number", "email", "password", "url", "tel", "search",
    "date", "time", "datetime", "color", "file",
)  # fmt: skip


def _s(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: str(), then escaped unless already safe."""
    return conditional_escape(value if isinstance(value, SafeString) else str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """``attrs.html``: ``False`` leaves an attribute out, ``True`` writes it bare."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{_s(value)}"')
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_s(widget["value"])}"'
    name = conditional_escape(widget["name"])
    kind = conditional_escape(widget["type"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _text(value: Any) -> bool:
    """A value ``{{ }}`` prints as itself (numbers and dates it would localise)."""
    return isinstance(value, str | Promise)


def _textarea(widget: dict[str, Any]) -> str | None:
    if widget["value"] and not _text(widget["value"]):
        return None
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    name = conditional_escape(widget["name"])
    return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option: dict[str, Any]) -> str:
    label = conditional_escape(option["label"])
    return f'<option value="{_s(option["value"])}"{_attrs(option["attrs"])}>{label}</option>\n'


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION or not _text(option["label"]):
                return None  # an option of its own design, or a label to localise
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_PYTHON: dict[str, Callable[[dict[str, Any]], str | None]] = {
    **{f"{_WIDGETS}{kind}.html": _input for kind in _INPUTS},
    _WIDGETS + "textarea.html": _textarea,
    _WIDGETS + "select.html": _select,
}


class WidgetRenderer(DjangoTemplates):
    """Django's template renderer, with the plain widgets drawn in Python."""

    def render(self, template_name, context, request=None):
        draw = _PYTHON.get(template_name)
        if draw is not None and "widget" in context:
            html = draw(context["widget"])
            if html is not None:
                return mark_safe(html)  # every value in it was escaped above
        return super().render(template_name, context, request)
