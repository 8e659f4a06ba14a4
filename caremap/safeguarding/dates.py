"""The day a safeguarding event happened, kept apart from when it was entered.

A concern phoned in on Friday and typed up on Monday was raised on Friday, and the
board's figures must count it there; the moment of entry stays too, for the audit.
Each date is checked against the calendar (not in the future), against the event it
follows, and against the person's life, so a figure never counts an impossible date.
"""

from __future__ import annotations

import datetime as dt

from caremap.core import clock
from caremap.core.errors import DomainError
from caremap.people.dates import check_within_life
from caremap.people.models import Person


def local_day(moment: dt.datetime) -> dt.date:
    """The city's calendar day on which a UTC moment fell (core.clock), taking a naive
    moment as UTC: an insert's parameters may hold one before the column type binds it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return clock.local_date(moment)


def entered_later(on: dt.date | None, at: dt.datetime | None) -> bool:
    """Whether an event was entered on a later day than it happened (pages then say both)."""
    return on is not None and at is not None and local_day(at) != on


def happened(on: dt.date | None, at: dt.datetime | None) -> str:
    """The day an event happened, and when it was entered if that was a later day:
    "3 November 2026, recorded on 10 November 2026 at 14:02"."""
    if on is None:
        return ""
    if not entered_later(on, at):
        return _day(on)
    entered = at.astimezone(clock.zone())
    return f"{_day(on)}, recorded on {_day(entered.date())} at {entered:%H:%M}"


def check_event_date(
    value: dt.date,
    *,
    field: str,
    person: Person,
    after: tuple[dt.date, str] | None = None,
) -> dt.date:
    """Refuse a date that cannot be true, naming the field and the reason: in the future,
    before the event it follows (`after`: that event's date and what it was), before the
    person was born or after they died."""
    if value > clock.today():
        raise DomainError("must not be in the future", field=field)
    if after is not None and value < after[0]:
        raise DomainError(f"must not be before {after[1]} ({_day(after[0])})", field=field)
    check_within_life(person, value, field=field)
    return value


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"
