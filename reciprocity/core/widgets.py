"""Form widgets rendered in Python rather than through the template engine.

Django renders a `<select>` by including one template per option: a list of 250 countries cost
a balance page about 10 ms of CPU on every request (bench/load/README.md "In-process timings"),
more than the cached figures beside it. `QuickSelect` writes the same HTML as Django's
`select.html` and `select_option.html` with string formatting.
"""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _option_attrs(attrs: dict[str, Any]) -> str:
    if not attrs:
        return ""
    if attrs == {"selected": True}:  # the usual case, without flatatt's per-call work
        return " selected"
    return str(flatatt(attrs))


class QuickSelect(forms.Select):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                f'<option value="{escape(str(option["value"]))}"{_option_attrs(option["attrs"])}>'
                f'{escape(option["label"])}</option>'
                for option in options)
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308  # every value and label is escaped
