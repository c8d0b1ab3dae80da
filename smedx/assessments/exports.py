"""The Excel export of the officers' assessment list (an `ExportKind`, run by `core.exports`): one row
per assessment, scores as numbers."""

from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smedx.assessments.forms.officer import filtered_assessments
from smedx.assessments.levels import level_label
from smedx.assessments.models import Assessment
from smedx.core.frame import ExportKind

DIMENSIONS = (("B", "数字化基础"), ("M", "数字化管理"), ("E", "数字化成效"))


def _number(value):
    return None if value in (None, "") else float(value)


def _rated(assessment, value):
    """A draft's running total is provisional: it is not exported as a score."""
    return None if assessment.status == Assessment.Status.DRAFT else _number(value)


def columns():
    cols = [
        (_("Enterprise name"), lambda a: a.enterprise.name),
        (_("Unified social credit code"), lambda a: a.enterprise.credit_code),
        (_("District"), lambda a: a.enterprise.region.name),
        (_("Industry division"), lambda a: a.enterprise.industry_label),
        (_("Period"), lambda a: a.period),
        (_("Kind"), lambda a: a.get_kind_display()),
        (_("Status"), lambda a: a.get_status_display()),
        (_("Instrument version"), lambda a: a.instrument.version),
        (_("Total"), lambda a: _rated(a, a.total)),
        (_("Level"), lambda a: str(level_label(a.level)) if a.level is not None else ""),
    ]
    for code, name in DIMENSIONS:
        cols.append((f"{code} {name}", lambda a, code=code: _rated(a, getattr(a, f"export_{code}"))))
    cols.append(
        (
            _("Submitted"),
            lambda a: timezone.localtime(a.submitted_at).replace(tzinfo=None) if a.submitted_at else None,
        )
    )
    return cols


RIGHT = "assessments.assessment:export"
# What the columns read; the result JSON is read only for the dimension points.
FIELDS = (
    "period", "kind", "status", "total", "level", "submitted_at", "enterprise__name",
    "enterprise__credit_code", "enterprise__industry_division", "enterprise__region__name",
    "instrument__version",
)  # fmt: skip


def rows(user, params):
    """The assessments `user` sees, filtered as the officers' list filters them."""
    _form, qs = filtered_assessments(user, params)
    return qs


def prepare(qs):
    return (
        qs.select_related("enterprise__region", "instrument")
        .only(*FIELDS)
        .annotate(
            **{f"export_{code}": KT(f"result__dimensions__{code}__points") for code, _name in DIMENSIONS}
        )
        .order_by("enterprise__region__code", "enterprise__name", "period", "kind", "id")
    )


KIND = ExportKind(
    name="assessments.assessment",
    title=gettext_lazy("Assessment list"),
    right=RIGHT,
    rows=rows,
    columns=columns,
    prepare=prepare,
)
