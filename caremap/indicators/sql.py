"""The few SQL expressions whose spelling differs between PostgreSQL and SQLite.

Indicators are computed in SQL on both databases with identical results, so date
arithmetic goes through these rather than through either database's own idiom.

Nothing here turns a timestamp into a date: that would take the day in UTC, not the
city's. A period's bounds for timestamps are the UTC instants of its local midnights,
computed in Python (caremap.core.clock) and bound as parameters, the same on both.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from caremap.core.extensions import db


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def date_value(day: dt.date):
    return sa.literal(day, sa.Date)


def _year(day):
    if _is_postgresql():
        return sa.cast(sa.func.extract("year", day), sa.Integer)
    return sa.cast(sa.func.strftime("%Y", day), sa.Integer)


def _month_day(day):
    if _is_postgresql():
        return sa.func.to_char(day, "MMDD")
    return sa.func.strftime("%m%d", day)


def age_on(date_of_birth, day):
    """Whole years of age on `day`: a birthday on that day counts, and someone born on
    29 February comes of age on 1 March in other years (as in UK law)."""
    return (
        _year(day)
        - _year(date_of_birth)
        - sa.case((_month_day(day) < _month_day(date_of_birth), 1), else_=0)
    )


def add_days(day, days: int):
    if _is_postgresql():
        return day + days
    return sa.func.date(day, f"{days:+d} days")


def days_between(later, earlier):
    """Whole days from one date to a later one."""
    if _is_postgresql():
        return later - earlier
    return sa.cast(sa.func.julianday(later) - sa.func.julianday(earlier), sa.Integer)


def fractional_days_between(later, earlier):
    """Days, with the fraction, between two timestamps."""
    if _is_postgresql():
        return sa.func.extract("epoch", later - earlier) / 86400.0
    return sa.func.julianday(later) - sa.func.julianday(earlier)


def timestamp_minus_days(moment, days: int):
    """`days` whole 24-hour days before a timestamp. In hours on PostgreSQL: an interval
    of days moves by the session time zone's calendar (23 or 25 hours across a clock
    change when the server runs in Europe/London), and SQLite knows no zone."""
    if _is_postgresql():
        hours = int(days) * 24
        return moment - sa.literal_column(f"interval '{hours} hours'", type_=sa.Interval)
    return sa.func.datetime(moment, f"-{int(days)} days")


def least(a, b):
    return sa.case((a < b, a), else_=b)


def greatest(a, b):
    return sa.case((a > b, a), else_=b)


def outward_code(postcode):
    """'PL4' of 'PL4 6AB': postcodes are stored with their single space."""
    if _is_postgresql():
        return sa.func.split_part(postcode, " ", 1)
    return sa.func.substr(postcode, 1, sa.func.instr(postcode, " ") - 1)
