"""What was typed in the one search box: a name, an NHS number, a date of birth, a postcode.

Staff type what they have in front of them ("943 476 5919", "27/3/1950", "PL3",
"Margaret Thompson PL4 8AA"). This module reads that text into the criteria the
search takes, so nobody has to choose a field first. It is pure: no database.

Reading it, in order: a date (day month year, with / - . or spaces, or a month's
name; or ISO yyyy-mm-dd), an NHS number (10 digits once spaces and hyphens are
gone; a wrong check digit is an error, never a search that finds nobody), a full
postcode or its outward part ("PL3": letters then a digit), and whatever is left
is the name. Names hold no digits, so a token with a digit is never a name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from caremap.people.identifiers import (
    is_valid_nhs_number,
    is_valid_postcode,
    normalise_nhs_number,
    normalise_postcode,
)

NOT_AN_NHS_NUMBER = "Not a valid NHS number: check the last digit"
TOO_FEW_DIGITS = "An NHS number has 10 digits: check the number"
NOT_A_DATE = "Date of birth must be a real date, like 27 3 1950"
NOT_UNDERSTOOD = "Enter a name, an NHS number, a date of birth or a postcode, like PL4 8AA"

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[\s/.\-]+(\d{1,2}|[a-z]{3,9})[\s/.\-]+(\d{4})", re.I)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NHS = re.compile(r"\d[\d\s\-]{8,14}\d")
_FULL_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}", re.I)
_OUTWARD = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?", re.I)


@dataclass
class TypedQuery:
    """The criteria read from the box, what they were read as, or why they could not be."""

    criteria: dict[str, object] = field(default_factory=dict)
    error: str | None = None

    @property
    def described(self) -> str:
        """The criteria in words, for the results heading ("in PL3", "born 27 March 1950")."""
        parts = []
        if self.criteria.get("q"):
            parts.append(f"named “{self.criteria['q']}”")
        if self.criteria.get("nhs_number"):
            number = str(self.criteria["nhs_number"])
            parts.append(f"with NHS number {number[:3]} {number[3:6]} {number[6:]}")
        if self.criteria.get("date_of_birth"):
            born = self.criteria["date_of_birth"]
            parts.append(f"born {born.day} {born:%B %Y}")  # type: ignore[union-attr]
        if self.criteria.get("postcode"):
            parts.append(f"in {self.criteria['postcode']}")
        return " ".join(parts)


def _date(day: str, month: str, year: str) -> dt.date | None:
    month_number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
    if month_number is None:
        return None
    try:
        return dt.date(int(year), month_number, int(day))
    except ValueError:
        return None


def read_typed_query(text: str | None) -> TypedQuery:
    """Read the box. Each kind of thing is taken at most once; the rest is the name."""
    rest = " ".join((text or "").split())
    found = TypedQuery()
    if not rest:
        return found

    iso = _ISO.search(rest)
    dmy = None if iso else _DAY_MONTH_YEAR.search(rest)
    if iso or dmy:
        match = iso or dmy
        parts = (match.group(3), match.group(2), match.group(1)) if iso else match.groups()
        born = _date(*parts)
        if born is None:
            return TypedQuery(error=NOT_A_DATE)
        found.criteria["date_of_birth"] = born
        rest = (rest[: match.start()] + " " + rest[match.end() :]).strip()

    nhs = _NHS.search(rest)
    if nhs:
        digits = normalise_nhs_number(nhs.group(0))
        if digits.isdigit() and len(digits) == 10:
            if not is_valid_nhs_number(digits):
                return TypedQuery(error=NOT_AN_NHS_NUMBER)
            found.criteria["nhs_number"] = digits
            rest = (rest[: nhs.start()] + " " + rest[nhs.end() :]).strip()

    postcode = _whole_word(_FULL_POSTCODE, rest)
    if postcode and is_valid_postcode(postcode.group(0)):
        found.criteria["postcode"] = normalise_postcode(postcode.group(0))
        rest = (rest[: postcode.start()] + " " + rest[postcode.end() :]).strip()
    else:
        outward = _whole_word(_OUTWARD, rest)
        if outward:
            found.criteria["postcode"] = outward.group(0).upper()
            rest = (rest[: outward.start()] + " " + rest[outward.end() :]).strip()

    rest = " ".join(rest.split())
    if any(ch.isdigit() for ch in rest):
        digits = normalise_nhs_number(rest)
        if digits.isdigit() and 0 < len(digits) < 10 and "nhs_number" not in found.criteria:
            return TypedQuery(error=TOO_FEW_DIGITS)
        return TypedQuery(error=NOT_UNDERSTOOD)
    if rest:
        found.criteria["q"] = rest
    return found


def _whole_word(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match that is a whole word (not the "PL3" inside "PL3X")."""
    for match in pattern.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            return match
    return None
