"""The form renderer (`FORM_RENDERER`): Django's, with its commonest widgets written out in Python.

Django renders a `<select>` through one template include per option and an `attrs.html` include
per element; a filter bar with an industry, a district and a level list spends more time there than
in all of its page's queries (the enterprise list: about 40% of its server time). The select and the
plain `<input>` widgets below produce, byte for byte, what Django's own templates produce from the
same widget context (`core/tests/test_renderers.py` compares them); every other widget, and any
project template overriding one, still goes through the templates.
"""

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"
INPUTS = frozenset(
    f"{WIDGETS}{name}.html"
    for name in ("text", "number", "email", "date", "search", "tel", "url", "password", "hidden")
    + ("datetime", "time", "color", "input")
)
SELECTS = frozenset({f"{WIDGETS}select.html"})
OPTION = f"{WIDGETS}select_option.html"


def _text(value, context) -> str:
    """`{{ value }}`: localised and escaped as the template engine does."""
    return render_value_in_context(value, context)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless it is already safe."""
    return conditional_escape(str(value) if isinstance(value, tuple) else value)


def _attrs(attrs, context) -> str:
    """`django/forms/widgets/attrs.html`: ` name="value"`, a bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {_text(name, context)}" if value is True else f' {_text(name, context)}="{_formatted(value)}"'
        )
    return "".join(parts)


def _input(widget, context) -> str:
    value = f' value="{_formatted(widget["value"])}"' if widget["value"] is not None else ""
    return (
        f'<input type="{_text(widget["type"], context)}" name="{_text(widget["name"], context)}"'
        f"{value}{_attrs(widget['attrs'], context)}>"
    )


def _select(widget, context) -> str | None:
    parts = [f'<select name="{_text(widget["name"], context)}"{_attrs(widget["attrs"], context)}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name, context)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"], context)}>'
                f"{_text(option['label'], context)}</option>\n"  # the option template's closing newline
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        html = None
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and not self._overridden(template_name):
            if template_name in INPUTS:
                html = _input(widget, Context())
            elif template_name in SELECTS:
                html = _select(widget, Context())
        return html.strip() if html is not None else super().render(template_name, context, request)

    def _overridden(self, template_name) -> bool:
        """Whether a project template replaces Django's (then it is rendered as written)."""
        cache = self.__dict__.setdefault("_origins", {})
        if template_name not in cache:
            origin = self.get_template(template_name).origin.name
            cache[template_name] = "django/forms/templates" not in origin.replace("\\", "/")
        return cache[template_name]
