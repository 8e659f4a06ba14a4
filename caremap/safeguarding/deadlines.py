"""Working days in England: weekends and bank holidays (the `holidays` package, offline)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The same time of day, `days` working days later (a start out of hours counts from
    the next working day)."""
    moment = start
    while not is_working_day(moment.date()):
        moment += dt.timedelta(days=1)
    added = 0
    while added < days:
        moment += dt.timedelta(days=1)
        if is_working_day(moment.date()):
            added += 1
    return moment
