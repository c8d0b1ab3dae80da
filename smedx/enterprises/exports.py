"""The Excel export of the enterprise list (an `ExportKind`, run by `core.exports`); phones are masked."""

from django.db import connection
from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smedx.core import excel
from smedx.core.formatting import mask_phone
from smedx.core.frame import ExportKind
from smedx.enterprises.forms.casefile import EnterpriseFilterForm
from smedx.enterprises.models import Enterprise, Level, LevelBasis, SizeClass, Stage

RIGHT = "enterprises.enterprise:export"
# What the columns read, and nothing else: a city-wide export streams only these.
FIELDS = (
    "name", "credit_code", "region__name", "industry_division", "employees", "revenue", "size_class",
    "above_scale", "stage", "current_level", "current_score", "current_basis", "verified_level", "transformed", "status", "contact_name",
    "contact_phone", "address",
)  # fmt: skip


def columns():
    """(header, value of a row); each choice's label is translated once for the whole export."""
    size, stage, level = excel.labels(SizeClass), excel.labels(Stage), excel.labels(Level)
    basis, status = excel.labels(LevelBasis), excel.labels(Enterprise.Status)
    yes, no = _("Yes"), _("No")
    return [
        (_("Enterprise name"), lambda e: e.name),
        (_("Unified social credit code"), lambda e: e.credit_code),
        (_("District"), lambda e: e.region.name),
        (_("Industry division"), lambda e: e.industry_label),
        (_("Employees"), lambda e: e.employees),
        (_("Annual revenue (10k yuan)"), lambda e: float(e.revenue)),
        (_("Size"), lambda e: size.get(e.size_class, e.size_class)),
        (_("规上"), lambda e: yes if e.above_scale else no),
        (_("Tags"), lambda e: e.tag_names or ""),
        (_("Stage"), lambda e: stage.get(e.stage, e.stage)),
        (_("Current level"), lambda e: level.get(e.current_level, "")),
        (_("Current score"), lambda e: None if e.current_score is None else float(e.current_score)),
        (_("Current level from"), lambda e: basis.get(e.current_basis, e.current_basis)),
        (_("Verified level"), lambda e: level.get(e.verified_level, "")),
        (_("Transformed"), lambda e: yes if e.transformed else no),
        (_("Status"), lambda e: status.get(e.status, e.status)),
        (_("Contact person"), lambda e: e.contact_name),
        (_("Contact phone"), lambda e: mask_phone(e.contact_phone)),
        (_("Address"), lambda e: e.address),
    ]


def rows(user, params):
    """The enterprises `user` sees, filtered as the list page filters them."""
    form = EnterpriseFilterForm(params or None, user=user)
    return form.apply(Enterprise.objects.visible_to(user))


def tag_names():
    """The enterprise's tag names joined with 、 in one correlated subquery (no Tag objects per row).

    By tag id, as the case file lists them; SQLite before 3.44 cannot order inside an aggregate and
    gives them in the order of the (enterprise, tag) index, which is the same.
    """
    links = (
        Enterprise.tags.through.objects.filter(enterprise_id=OuterRef("pk"))
        .order_by()
        .values("enterprise_id")
    )
    order = {"order_by": "tag_id"} if connection.features.supports_aggregate_order_by_clause else {}
    return Subquery(links.annotate(names=StringAgg("tag__name", Value("、"), **order)).values("names"))


def prepare(qs):
    return qs.select_related("region").only(*FIELDS).annotate(tag_names=tag_names())


KIND = ExportKind(
    name="enterprises.enterprise",
    title=gettext_lazy("Enterprise list"),
    right=RIGHT,
    rows=rows,
    columns=columns,
    prepare=prepare,
)
