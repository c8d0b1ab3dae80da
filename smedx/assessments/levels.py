"""The one way to name an overall level (0 未达一级 … 4 四级) in pages, reports and exports."""

from smedx.enterprises.models import Level

# The names live with the enterprise's current level (a lower floor), so both read the same words.
LEVEL_LABELS = [label for _value, label in Level.choices]


def level_label(n):
    """`level_label(0)` → 未达一级; None (not yet scored) → "—"."""
    if n is None or not 0 <= int(n) < len(LEVEL_LABELS):
        return "—"
    return LEVEL_LABELS[int(n)]
