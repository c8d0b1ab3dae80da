"""GB 32100-2015 unified social credit code (统一社会信用代码): format and check character."""

from django.utils.translation import gettext as _

# GB 32100-2015: 31 characters (no I, O, S, V, Z), weights 3^i mod 31.
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(ch) * w for ch, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """None when `code` is a well-formed credit code, else a message saying what is wrong."""
    if len(code) != 18:
        return _("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)}
    bad = sorted({ch for ch in code if ch not in CREDIT_CHARS})
    if bad:
        return _(
            "The code contains characters that are not allowed: %(chars)s (I, O, S, V, Z are never used)."
        ) % {"chars": " ".join(bad)}
    if not code[2:8].isdigit():
        return _("Characters 3 to 8 must be the 6-digit administrative division code.")
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        return _("The check character is wrong: the last character should be %(expected)s, not %(got)s.") % {
            "expected": expected,
            "got": code[17],
        }
    return None


def normalise_credit_code(raw: str) -> str:
    return (raw or "").strip().upper().replace(" ", "")
