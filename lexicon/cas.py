"""CAS Registry Number syntax and check digit.

A CAS RN is 2-7 digits, 2 digits and one check digit, written ``NNNNNNN-NN-N``. The check digit is the sum of every
other digit times its position counted from the right (the digit left of the check digit is position 1), modulo 10.
"""

import re

CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


def cas_check_digit(body: str) -> int:
    """Check digit for the digits of a CAS number without its check digit (``"5810" + "10"`` style, no hyphens)."""
    return sum(i * int(d) for i, d in enumerate(reversed(body), start=1)) % 10


def cas_is_valid(cas: str) -> bool:
    """True when ``cas`` is a hyphenated CAS number whose check digit is right."""
    m = CAS_RE.match(cas)
    if not m:
        return False
    return cas_check_digit(m.group(1) + m.group(2)) == int(m.group(3))


def cas_from_digits(digits: str) -> str | None:
    """Hyphenate a bare digit run (5-10 digits) as a CAS number if its last digit checks; else None."""
    if not (5 <= len(digits) <= 10) or not digits.isdigit() or digits[0] == "0":
        return None
    cas = f"{digits[:-3]}-{digits[-3:-1]}-{digits[-1]}"
    return cas if cas_is_valid(cas) else None
