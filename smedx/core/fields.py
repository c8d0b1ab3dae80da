"""Model fields and ranges of the platform's numbers, so a page, the API (which validates through the
same forms), an import and the database refuse the same values on SQLite and on PostgreSQL alike.

Money convention: amounts a person pays or is paid (prices, budgets, proposals, contracts, invoices)
are entered and shown in 元 (`|yuan`: ¥12,345.00); the statistical facts of an organisation (annual
revenue, registered capital, profit), which official forms report in 万元, are entered and shown in
万元 (`|wan`: 1,234.50 万元), always with the unit in the label. No amount of money is negative.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

MAX_PEOPLE = 10_000_000  # employees, staff: more than any enterprise has


def between(low, high) -> list:
    """Validators of a number that must lie in [low, high]; ModelForms (and so the API) run them."""
    return [MinValueValidator(low), MaxValueValidator(high)]


def not_negative(*names) -> list:
    """A CHECK constraint per money field of a model's Meta: the database refuses a negative amount."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__gte": 0}), name=f"%(app_label)s_%(class)s_{name}_not_negative"
        )
        for name in names
    ]


class MoneyField(models.DecimalField):
    """An amount of money: never negative. The form field has min_value 0, the model validates it and
    the model's Meta lists it in `not_negative(...)` (a test checks that every money field is there)."""

    default_validators = [MinValueValidator(0)]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"min_value": 0, **kwargs})
