"""Reading the query string of a FHIR request: each parameter checked, and anything not
understood refused naming it (a filter silently ignored would answer the wrong question).

Patient/$everything's parameters are the R4 operation's (start, end, _since, _type,
_count; http://hl7.org/fhir/R4/operation-patient-everything.html); `_offset` is caremap's
paging cursor, which the `next` links carry.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from caremap.fhir.outcomes import FhirError
from caremap.fhir.systems import RESOURCE_TYPES

DEFAULT_COUNT = 50
MAX_COUNT = 500
# What a client may send with any request and caremap may ignore: the answer is JSON.
JSON_FORMATS = {"json", "application/json", "application/fhir+json"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def refuse_unknown(args: MultiDict, known: set[str]) -> None:
    for name in args:
        if name == "_format":
            if args[name] not in JSON_FORMATS:
                raise FhirError(406, "Only JSON is served (_format=json)", parameter="_format")
        elif name not in known:
            expected = ", ".join(sorted(known))
            raise FhirError(
                400, f"Unknown parameter {name!r}: this request takes {expected}", parameter=name
            )


def single(args: MultiDict, name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise FhirError(400, f"{name} may be given once", parameter=name)
    return values[0] if values else None


def fhir_date(args: MultiDict, name: str, *, end_of: bool) -> dt.date | None:
    """A FHIR date (YYYY, YYYY-MM or YYYY-MM-DD). A start is the first day it covers, an
    end the last, so `end=2026` includes the whole of 2026."""
    value = single(args, name)
    if value is None:
        return None
    match = _DATE.match(value.strip())
    try:
        if not match:
            raise ValueError
        year, month, day_ = match.group(1, 2, 3)
        y, m = int(year), int(month or (12 if end_of else 1))
        d = int(day_) if day_ else (calendar.monthrange(y, m)[1] if end_of else 1)
        return dt.date(y, m, d)
    except ValueError:
        raise FhirError(
            400, f"{name} must be a date: YYYY, YYYY-MM or YYYY-MM-DD", parameter=name
        ) from None


def fhir_instant(args: MultiDict, name: str) -> dt.datetime | None:
    """A FHIR instant: a date and time with its time zone (2026-11-30T09:00:00Z)."""
    value = single(args, name)
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or "T" not in value or moment.tzinfo is None:
        raise FhirError(
            400,
            f"{name} must be an instant with its time zone, e.g. 2026-11-30T09:00:00Z",
            parameter=name,
        )
    return moment


def count(args: MultiDict) -> int:
    value = single(args, "_count")
    if value is None:
        return DEFAULT_COUNT
    if not value.isdigit() or not 1 <= int(value) <= MAX_COUNT:
        raise FhirError(
            400, f"_count must be a whole number from 1 to {MAX_COUNT}", parameter="_count"
        )
    return int(value)


def offset(args: MultiDict) -> int:
    value = single(args, "_offset")
    if value is None:
        return 0
    if not value.isdigit():
        raise FhirError(
            400, "_offset must be a whole number (from a next link)", parameter="_offset"
        )
    return int(value)


def types(args: MultiDict) -> set[str] | None:
    """_type: one or more parameters, each a comma-separated list of resource types."""
    values = args.getlist("_type")
    if not values:
        return None
    wanted = {name.strip() for value in values for name in value.split(",") if name.strip()}
    unknown = sorted(wanted - set(RESOURCE_TYPES))
    if unknown or not wanted:
        served = ", ".join(RESOURCE_TYPES)
        raise FhirError(
            400,
            f"_type names resource types this server does not hold: {', '.join(unknown)} "
            f"(it serves {served})",
            parameter="_type",
        )
    return wanted


@dataclass(frozen=True)
class EverythingArgs:
    start: dt.date | None
    end: dt.date | None
    since: dt.datetime | None
    types: set[str] | None
    count: int
    offset: int


EVERYTHING_PARAMETERS = {"start", "end", "_since", "_type", "_count", "_offset"}


def everything_args(args: MultiDict) -> EverythingArgs:
    refuse_unknown(args, EVERYTHING_PARAMETERS)
    start = fhir_date(args, "start", end_of=False)
    end = fhir_date(args, "end", end_of=True)
    if start and end and start > end:
        raise FhirError(400, "start must not be after end", parameter="start")
    return EverythingArgs(
        start, end, fhir_instant(args, "_since"), types(args), count(args), offset(args)
    )
