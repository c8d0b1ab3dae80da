"""Formatting for Chinese users: money in 元/万元, masked phone numbers, grouped numbers."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def wan(value, places=2):
    """A number of 万元, e.g. 1234.5 → '1,234.50 万元'."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError):
        return value
    return _("%(amount)s 10k yuan") % {"amount": f"{amount:,.{int(places)}f}"}


@register.filter
def yuan(value):
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError):
        return value
    return f"¥{amount:,.2f}"


@register.filter
def mask_phone(value):
    """138****1234: personal phone numbers are masked in lists and exports."""
    from smedx.core.formatting import mask_phone as mask

    return mask(value)


@register.filter
def grouped(value):
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


# Bootstrap classes for form widgets, so `_form.html` renders any Django form the same way.
CHECK_WIDGETS = {"checkbox", "checkboxselectmultiple", "radioselect"}
SELECT_WIDGETS = {"select", "selectmultiple", "nullbooleanselect"}


def _bs_class(field) -> str:
    kind = field.widget_type
    if kind in CHECK_WIDGETS:
        css = "form-check-input"
    elif kind in SELECT_WIDGETS:
        css = "form-select"
    else:
        css = "form-control"
    return f"{css} is-invalid" if field.errors else css


@register.filter
def bs(field):
    """Render a bound field's widget with the Bootstrap class for its type (and `is-invalid`)."""
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {_bs_class(field)}".strip()})


@register.filter
def bs_choices(field):
    """The options of a checkbox or radio group, each rendered with `form-check-input`."""
    field.field.widget.attrs["class"] = _bs_class(field)
    return field.subwidgets


@register.filter
def widget_kind(field) -> str:
    """'hidden', 'checkbox', 'choices' (a group of checkboxes or radios) or 'input'."""
    kind = field.widget_type
    if field.is_hidden:
        return "hidden"
    if kind == "checkbox":
        return "checkbox"
    if kind in CHECK_WIDGETS:
        return "choices"
    return "input"


@register.filter
def active_filters(form, exclude=""):
    """How many fields of a bound filter form have a value, not counting the comma-separated `exclude`."""
    if not form.is_bound:
        return 0
    skip = {name for name in exclude.split(",") if name}
    return sum(1 for field in form if field.name not in skip and field.data not in (None, "", []))


@register.filter
def data_summary(data, limit=160):
    """A short one-line view of an audit entry's data, e.g. 'changed: name, employees; comment: …'."""
    if not isinstance(data, dict):
        return data or ""
    parts = []
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(str(k) for k in value)
        elif isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        if value not in ("", None):
            parts.append(f"{key}: {value}")
    text = "; ".join(parts)
    limit = int(limit)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@register.simple_tag
def colon():
    """The label separator of the active language: "：" in Chinese, ": " in English."""
    from django.utils.translation import gettext

    return gettext(": ")
