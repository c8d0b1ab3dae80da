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
