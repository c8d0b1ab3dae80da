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


def make_credit_code(division: str, serial: int, kind: str = "91") -> str:
    """A well-formed code for demo data and tests: registration kind, division, a 9-char body, check."""
    body = f"{serial:08d}"[-8:]
    org_code = body + _org_check(body)
    first17 = kind + division + org_code
    return first17 + credit_check_char(first17)


def _org_check(body: str) -> str:
    """GB 11714 check character of the 9-character organisation code."""
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(CREDIT_CHARS.index(ch) * w for ch, w in zip(body, weights, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))
