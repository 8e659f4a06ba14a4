"""When a referral's events happened, as a worker gives them: the day, and the clock time
where it matters.

Workers often enter an answer or a first contact after the fact (a phone call on Friday,
typed on Monday). Figures a board reads (answered within the deadline, days to first
contact) must count the day it happened, not the day it was typed, so the operations take
both and keep both. The checks here refuse a moment that cannot be true: in the future,
before the referral came in, or outside the person's life.

Days and times are the local (UK) ones a worker reads off a clock; they are stored in UTC.
A day given without a time is held at local noon, the middle of the day: the time is
asked for only on the days where it decides something (the day the referral came in, the
day its answer was due, today).
"""

from __future__ import annotations

import datetime as dt

from caremap.core import clock
from caremap.core.db import utcnow
from caremap.core.errors import DomainError
from caremap.people.dates import check_within_life, spoken
from caremap.people.models import Person
from caremap.referrals.models import Referral

NOON = dt.time(12)


def said(moment: dt.datetime | None) -> str:
    """A moment as a page says it, in local time: "3 November 2026 at 14:30", or the day
    alone for one given without a time (held at noon exactly)."""
    if moment is None:
        return ""
    local = moment.astimezone(clock.zone())
    if local.time() == NOON:
        return spoken(local.date())
    return f"{spoken(local.date())} at {local:%H:%M}"


def said_with_entry(happened: dt.datetime | None, recorded: dt.datetime | None) -> str:
    """When something happened, and when it was entered where the two differ: "recorded on
    5 November 2026 at 09:12 about 3 November 2026 at 14:30"."""
    if recorded is None or said(recorded) == said(happened):
        return said(happened)
    return f"recorded on {said(recorded)} about {said(happened)}"


def happened_at(
    *,
    day: dt.date | None,
    time: dt.time | None,
    person: Person,
    received_at: dt.datetime,
    now: dt.datetime,
    fields: tuple[str, str],
    due_at: dt.datetime | None = None,
) -> dt.datetime | None:
    """The moment (UTC) an event of a referral happened, from the day and time a worker
    gave; None if neither was given (it happens now), and a time alone is today's.
    `fields` name the day's and the time's fields, so each refusal points at the one to
    correct. `due_at`, for an answer, makes its deadline's day one where time counts."""
    day_field, time_field = fields
    if day is None and time is None:
        return None
    zone = clock.zone()
    today = now.astimezone(zone).date()
    received_on = received_at.astimezone(zone).date()
    day = day or today
    if day > today:
        raise DomainError("must not be in the future", field=day_field)
    check_within_life(person, day, field=day_field)
    if day < received_on:
        raise DomainError(
            f"must not be before the referral was received ({spoken(received_on)})",
            field=day_field,
        )
    if time is None:
        deciding = {received_on, today}
        if due_at is not None:
            deciding.add(due_at.astimezone(zone).date())
        if day in deciding:
            raise DomainError(
                "is needed for that day: on the day the referral came in, the day its answer "
                "was due and today, the time decides what happened first",
                field=time_field,
            )
        time = NOON
    moment = dt.datetime.combine(day, time, tzinfo=zone).astimezone(dt.UTC)
    if moment > now:
        raise DomainError("must not be in the future", field=time_field)
    # A clock time names a whole minute: in the minute the referral came in is not before it.
    if moment + dt.timedelta(minutes=1) <= received_at:
        received = received_at.astimezone(zone)
        raise DomainError(
            f"must not be before the referral was received (at {received:%H:%M})",
            field=time_field,
        )
    return max(moment, received_at)


def answered_at(
    referral: Referral, day: dt.date | None, time: dt.time | None
) -> dt.datetime | None:
    """When the service answered (accepted, declined, redirected), as given and checked;
    None: now. The response-time figures count this, not the moment it was typed."""
    return happened_at(
        day=day,
        time=time,
        person=referral.person,
        received_at=referral.received_at,
        now=utcnow(),
        fields=("answered_on", "answered_time"),
        due_at=referral.due_at,
    )


def contacted_at(
    referral: Referral, day: dt.date | None, time: dt.time | None, *, now: dt.datetime
) -> dt.datetime:
    """When the service first reached the person, as given and checked; now if not given."""
    at = happened_at(
        day=day,
        time=time,
        person=referral.person,
        received_at=referral.received_at,
        now=now,
        fields=("contacted_on", "contacted_time"),
    )
    return at or now
