"""Excel export of an enterprise list; phone numbers are masked."""

from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.core import excel
from smedx.core.formatting import mask_phone


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


def export_enterprises(qs) -> bytes:
    cols = columns()
    enterprises = qs.select_related("region").prefetch_related("tags").iterator(chunk_size=2000)
    return excel.table_workbook(
        _("Enterprises"),
        [title for title, _getter in cols],
        ([getter(enterprise) for _title, getter in cols] for enterprise in enterprises),
    )


def export_filename(prefix="enterprises") -> str:
    return f"{prefix}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
