def mask_phone(value: str) -> str:
    value = (value or "").strip()
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}****{value[-4:]}"


def joined(items) -> str:
    """Items as one list in the active language: 甲、乙、丙 in Chinese, "a, b, c" in English."""
    from django.utils.translation import pgettext

    return pgettext("list separator", ", ").join(str(item) for item in items)
