"""Time as the city lives it: local calendar days in CAREMAP_TIMEZONE, instants in UTC.

Timestamps are stored in UTC, but a day, a month, a quarter and a financial year begin
at midnight where the people and the staff are (Europe/London by default). A referral
received at 00:30 on 1 April in British Summer Time is 23:30 on 31 March in UTC, yet it
belongs to April and to the new financial year. So every boundary between periods is
the UTC instant of a local midnight, computed here once, and compared with stored
timestamps as it is: no timestamp is ever cast to a date in UTC. These are plain
values, bound into SQL as parameters, so the same comparison runs on PostgreSQL and
SQLite.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import flask

from caremap.config import DEFAULTS


def zone() -> ZoneInfo:
    """The city's time zone: the app's TIMEZONE, or the default outside an app (a script
    or a unit test without one), so both give the same days."""
    name = flask.current_app.config["TIMEZONE"] if flask.has_app_context() else None
    return ZoneInfo(name or DEFAULTS["TIMEZONE"])


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_date(moment: dt.datetime) -> dt.date:
    """The local calendar day a stored (UTC) instant falls on."""
    return moment.astimezone(zone()).date()


def today(moment: dt.datetime | None = None) -> dt.date:
    """Today in the city (not in UTC, nor in the server's own zone)."""
    return local_date(moment or now())


def start_of_day(day: dt.date) -> dt.datetime:
    """The UTC instant at which a local calendar day begins.

    Where a zone skips its midnight (none of the UK's changes do: they happen at 01:00)
    zoneinfo's first reading gives the first moment that exists that day.
    """
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone()).astimezone(dt.UTC)


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[since, until): the UTC instants from the start of `first` to the start of the day
    after `last`, so a timestamp t is within the days when since <= t < until."""
    return start_of_day(first), start_of_day(last + dt.timedelta(days=1))


def end_of_today(moment: dt.datetime) -> dt.datetime:
    """The next local midnight after `moment`: what "due today" is due before."""
    return start_of_day(local_date(moment) + dt.timedelta(days=1))


def in_local_days(moment: dt.datetime, days: int) -> dt.datetime:
    """The same local time of day `days` calendar days later, as a UTC instant: across a
    clock change a deadline keeps its wall-clock time rather than moving by an hour."""
    local = moment.astimezone(zone())
    later = dt.datetime.combine(local.date() + dt.timedelta(days=days), local.time(), zone())
    return later.astimezone(dt.UTC)
