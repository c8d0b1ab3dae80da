"""The Excel export of the enterprise list (an `ExportKind`, run by `core.exports`); phones are masked."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smedx.core.formatting import mask_phone
from smedx.core.frame import ExportKind
from smedx.enterprises.forms.casefile import EnterpriseFilterForm
from smedx.enterprises.models import Enterprise, Tag

RIGHT = "enterprises.enterprise:export"
# What the columns read, and nothing else: a city-wide export streams only these.
FIELDS = (
    "name", "credit_code", "region__name", "industry_division", "employees", "revenue", "size_class",
    "above_scale", "stage", "current_level", "current_score", "current_basis", "status", "contact_name",
    "contact_phone", "address",
)  # fmt: skip


def columns():
    return [
        (_("Enterprise name"), lambda e: e.name),
        (_("Unified social credit code"), lambda e: e.credit_code),
        (_("District"), lambda e: e.region.name),
        (_("Industry division"), lambda e: e.industry_label),
        (_("Employees"), lambda e: e.employees),
        (_("Annual revenue (10k yuan)"), lambda e: float(e.revenue)),
        (_("Size"), lambda e: e.get_size_class_display()),
        (_("规上"), lambda e: _("Yes") if e.above_scale else _("No")),
        (_("Tags"), lambda e: "、".join(tag.name for tag in e.tags.all())),
        (_("Stage"), lambda e: e.get_stage_display()),
        (_("Current level"), lambda e: e.get_current_level_display() if e.current_level is not None else ""),
        (_("Current score"), lambda e: None if e.current_score is None else float(e.current_score)),
        (_("Current level from"), lambda e: e.get_current_basis_display()),
        (_("Status"), lambda e: e.get_status_display()),
        (_("Contact person"), lambda e: e.contact_name),
        (_("Contact phone"), lambda e: mask_phone(e.contact_phone)),
        (_("Address"), lambda e: e.address),
    ]


def rows(user, params):
    """The enterprises `user` sees, filtered as the list page filters them."""
    form = EnterpriseFilterForm(params or None, user=user)
    return form.apply(Enterprise.objects.visible_to(user))


def prepare(qs):
    # The tags are fetched once per chunk of the iterator, not once per enterprise.
    tags = Prefetch("tags", queryset=Tag.objects.only("name"))
    return qs.select_related("region").only(*FIELDS).prefetch_related(tags)


KIND = ExportKind(
    name="enterprises.enterprise",
    title=gettext_lazy("Enterprise list"),
    right=RIGHT,
    rows=rows,
    columns=columns,
    prepare=prepare,
)
