"""The CLD specification as rules: when a field applies, when it is mandatory, what a
valid value looks like, and the national validation result of one field of one row.

The fields, their order, modules and the names of their conditions and formats are data
(seed/cld/specification.json, with sources); the conditions and formats are named here
once. The value lists are the long-term support domain's (seed/cld/<list>.json, read
through caremap.longterm.lists), so the lists the record accepts and the lists the return
is checked against cannot differ. Values are compared case-sensitively: Release 2 changed
the case of many values and the national check compares them exactly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from caremap.core.seeds import read_seed
from caremap.longterm import lists

VALID = "Passed: Valid"
BLANK_ALLOWED = "Passed: Blank (Not Mandatory)"
BLANK_MANDATORY = "Failed: Blank (Mandatory)"
INVALID = "Failed: Invalid"
RESULTS = (VALID, BLANK_ALLOWED, BLANK_MANDATORY, INVALID)
FAILED = (BLANK_MANDATORY, INVALID)

CARER_BY_ASSOCIATION = "Unpaid carer known by association"
SERVICE_USER = "Service user"


@dataclass(frozen=True)
class Field:
    name: str
    dhsc_name: str
    module: str
    applies: str
    mandatory: str
    format: str
    values: str | None = None
    note: str | None = None


@cache
def specification() -> dict[str, Any]:
    return read_seed("cld/specification.json")


@cache
def fields() -> tuple[Field, ...]:
    return tuple(Field(**item) for item in specification()["fields"])


@cache
def field_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields())


@cache
def position() -> dict[str, int]:
    """A field's column in a row (rows are tuples in the specification's order)."""
    return {name: i for i, name in enumerate(field_names())}


class Row:
    """One event row read by field name, for the conditions."""

    __slots__ = ("values",)

    def __init__(self, values: Sequence[str]) -> None:
        self.values = values

    def __getitem__(self, name: str) -> str:
        return self.values[position()[name]]


def _event(row: Row) -> str:
    return row["Event Type"]


def _client(row: Row) -> str:
    return row["Client Type"]


def _is_event(row: Row) -> bool:
    return _client(row) != CARER_BY_ASSOCIATION


def _financial(row: Row) -> bool:
    return row["Assessment Type"].lower().startswith("financial assessment")


def _age_at_period_end(row: Row) -> int | None:
    born, end = _date(row["Date of Birth"]), _date(row["Reporting Period End Date"])
    if born is None or end is None:
        return None
    return end.year - born.year - ((end.month, end.day) < (born.month, born.day))


def _learning_disability_18_64(row: Row) -> bool:
    age = _age_at_period_end(row)
    return (
        _client(row) == SERVICE_USER
        and age is not None
        and 18 <= age <= 64
        and row["Primary Support Reason"].lower().startswith("learning disability")
    )


def _costed_service(row: Row) -> bool:
    """Costs are asked of services the council pays for other than by commissioning
    them itself: long-term and carers' support, short-term care home stays, respite."""
    if _event(row) != "Service" or "commissioned support" in row["Delivery Mechanism"].lower():
        return False
    service_type = row["Service Type"].lower()
    component = row["Service Component"].lower()
    return (
        service_type.startswith(("long term support", "unpaid carer support"))
        or component.startswith(("short term residential", "short term nursing"))
        or "respite" in component
    )


CONDITIONS: dict[str, Callable[[Row], bool]] = {
    "all": lambda row: True,
    "never": lambda row: False,
    "event": _is_event,
    "service_user": lambda row: _client(row) == SERVICE_USER,
    "carer": lambda row: _client(row).lower().startswith("unpaid carer"),
    "not_request": lambda row: _event(row) != "Request",
    "learning_disability_18_64": _learning_disability_18_64,
    "funding_status": lambda row: (
        _client(row) == SERVICE_USER
        and (
            _event(row) in ("Service", "Review")
            or (_event(row) == "Assessment" and _financial(row))
        )
    ),
    "end_date": lambda row: (
        (_is_event(row) and _event(row) != "Service") or bool(row["Date of Death"])
    ),
    "outcome": lambda row: _is_event(row) and not _financial(row),
    "request": lambda row: _is_event(row) and _event(row) == "Request",
    "assessment": lambda row: _is_event(row) and _event(row) == "Assessment",
    "service": lambda row: _is_event(row) and _event(row) == "Service",
    "review": lambda row: _is_event(row) and _event(row) == "Review",
    "assessment_not_financial": lambda row: (
        _is_event(row) and _event(row) == "Assessment" and not _financial(row)
    ),
    "planned_review": lambda row: (
        _is_event(row)
        and _event(row) == "Review"
        and row["Review Reason"].lower().startswith("planned")
    ),
    "costed_service": _costed_service,
}


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def nhs_number_is_valid(text: str) -> bool:
    """Ten digits whose tenth is the Modulus 11 check digit of the first nine."""
    if not re.fullmatch(r"\d{10}", text):
        return False
    total = sum(int(digit) * (10 - i) for i, digit in enumerate(text[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(text[9])


def _number(text: str) -> bool:
    """Casts to numeric(18,2): at most 16 digits before the point and 2 after."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return False
    return value.is_finite() and bool(re.fullmatch(r"-?\d{1,16}(\.\d{1,2})?", text))


_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")

FORMATS: dict[str, Callable[[str], bool]] = {
    "text": lambda text: len(text) <= 255,
    "date": lambda text: _date(text) is not None,
    "la_code": lambda text: bool(re.fullmatch(r"\d{3}", text)),
    "nhs_number": nhs_number_is_valid,
    "gp_practice_code": lambda text: bool(re.fullmatch(r"[A-Z]\d{5}", text)),
    "postcode": lambda text: bool(_POSTCODE.match(text)),
    "cqc_location_id": lambda text: bool(re.fullmatch(r"1-\d{1,12}", text)),
    "number": _number,
    "whole_number": lambda text: text.isdigit() and len(text) <= 3,
}


@cache
def allowed(list_name: str) -> frozenset[str]:
    return frozenset(lists.values(list_name))


def value_is_valid(field: Field, text: str) -> bool:
    if field.format == "list":
        return text in allowed(field.values)
    return FORMATS[field.format](text)


def result(field: Field, row: Row) -> str | None:
    """The national result for one field of one row; None where the field does not apply
    to the row (the national check counts applicable fields only)."""
    if not CONDITIONS[field.applies](row):
        return None
    text = row[field.name]
    if text == "":
        return BLANK_MANDATORY if CONDITIONS[field.mandatory](row) else BLANK_ALLOWED
    return VALID if value_is_valid(field, text) else INVALID


def validate(values: Sequence[str]) -> list[str | None]:
    """Every field's result for one row, in the specification's order."""
    row = Row(values)
    return [result(field, row) for field in fields()]


def check_specification() -> None:
    """Every condition, format and value list the specification names exists: a typo in
    the file fails at start-up and in the tests, not as a wrong count on the page."""
    for field in fields():
        for name in (field.applies, field.mandatory):
            if name not in CONDITIONS:
                raise ValueError(f"{field.name}: no condition called {name!r}")
        if field.format == "list":
            allowed(field.values)
        elif field.format not in FORMATS:
            raise ValueError(f"{field.name}: no format called {field.format!r}")
