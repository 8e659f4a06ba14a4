"""Checks and formats for the identifiers a person record carries."""

from __future__ import annotations

import re

import nhs_number

# The UK postcode format (outward code, space, inward code), including the
# special cases the format allows (GIR 0AA, BFPO excluded). Written by hand:
# the PyPI postcode packages are unmaintained or call outside services.
_POSTCODE = re.compile(
    r"^(GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|"
    r"[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def is_valid_postcode(value: str) -> bool:
    return bool(_POSTCODE.match(normalise_postcode(value)))


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def is_valid_nhs_number(value: str) -> bool:
    digits = normalise_nhs_number(value)
    return len(digits) == 10 and digits.isdigit() and nhs_number.is_valid(digits)


def format_nhs_number(value: str | None) -> str:
    """The NHS's 3-3-4 display format."""
    if not value:
        return ""
    return f"{value[:3]} {value[3:6]} {value[6:]}"
