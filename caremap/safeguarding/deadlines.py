"""Working days in England: weekends and bank holidays (the `holidays` package, offline).

A working day is a local calendar day (CAREMAP_TIMEZONE): a concern raised at 00:30 on
a Friday in British Summer Time is 23:30 on Thursday in UTC, but it was raised on the
Friday, and two working days from it end on the Tuesday, not the Monday.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from caremap.core import clock


@lru_cache(maxsize=16)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The same local time of day, `days` working days later, in UTC (a start out of
    hours counts from the next working day). The days are counted on the city's
    calendar, and a clock change between keeps the wall-clock time."""
    day = clock.local_date(start)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    added = 0
    while added < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            added += 1
    return clock.in_local_days(start, (day - clock.local_date(start)).days)
