"""The one way to name an overall level (0 未达一级 … 4 四级) in pages, reports and exports."""

from django.utils.translation import gettext_lazy as _

LEVEL_LABELS = [_("Below level 1"), _("Level 1"), _("Level 2"), _("Level 3"), _("Level 4")]


def level_label(n):
    """`level_label(0)` → 未达一级; None (not yet scored) → "—"."""
    if n is None or not 0 <= int(n) < len(LEVEL_LABELS):
        return "—"
    return LEVEL_LABELS[int(n)]
