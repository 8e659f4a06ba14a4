"""The city's calendar: local midnights as UTC instants, across both clock changes.

In 2025 British Summer Time began at 01:00 UTC on Sunday 30 March (the last Sunday of
March) and ended at 01:00 UTC on Sunday 26 October (the last Sunday of October).
"""

from __future__ import annotations

import datetime as dt

import flask
import pytest

from caremap.core import clock
from caremap.safeguarding.deadlines import add_working_days


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


D = dt.date


@pytest.mark.parametrize(
    ("day", "starts_at"),
    [
        (D(2025, 3, 30), utc(2025, 3, 30, 0)),  # the change day starts in GMT
        (D(2025, 3, 31), utc(2025, 3, 30, 23)),  # the first whole day of BST
        (D(2025, 4, 1), utc(2025, 3, 31, 23)),  # the financial year starts at 23:00 UTC
        (D(2025, 10, 1), utc(2025, 9, 30, 23)),
        (D(2025, 10, 26), utc(2025, 10, 25, 23)),  # the change day starts in BST
        (D(2025, 10, 27), utc(2025, 10, 27, 0)),  # and is 25 hours long
        (D(2026, 1, 1), utc(2026, 1, 1, 0)),
    ],
)
def test_a_local_day_starts_at_local_midnight(day, starts_at):
    assert clock.start_of_day(day) == starts_at


def test_the_days_of_the_clock_changes_are_23_and_25_hours_long():
    since, until = clock.day_bounds(D(2025, 3, 30), D(2025, 3, 30))
    assert until - since == dt.timedelta(hours=23)
    since, until = clock.day_bounds(D(2025, 10, 26), D(2025, 10, 26))
    assert until - since == dt.timedelta(hours=25)


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (utc(2025, 3, 31, 23, 30), D(2025, 4, 1)),  # 00:30 BST on 1 April
        (utc(2025, 3, 31, 22, 30), D(2025, 3, 31)),  # 23:30 BST on 31 March
        (utc(2025, 3, 30, 0, 30), D(2025, 3, 30)),  # 00:30 GMT, before the change
        (utc(2025, 10, 25, 23, 30), D(2025, 10, 26)),  # 00:30 BST on the change day
        (utc(2025, 10, 26, 23, 30), D(2025, 10, 26)),  # 23:30 GMT on the change day
    ],
)
def test_an_instant_falls_on_its_local_day(moment, day):
    assert clock.local_date(moment) == day


def test_due_today_ends_at_the_next_local_midnight():
    # 00:10 BST on 1 April 2025 is 23:10 UTC on 31 March: today ends at 23:00 UTC on 1 April
    assert clock.end_of_today(utc(2025, 3, 31, 23, 10)) == utc(2025, 4, 1, 23)
    # 23:00 BST on the spring change day (a 23-hour day): the next day starts at 23:00 UTC
    assert clock.end_of_today(utc(2025, 3, 30, 22)) == utc(2025, 3, 30, 23)
    # 23:30 GMT on the autumn change day
    assert clock.end_of_today(utc(2025, 10, 26, 23, 30)) == utc(2025, 10, 27, 0)


def test_the_time_zone_is_the_configured_one():
    app = flask.Flask(__name__)
    app.config["TIMEZONE"] = "America/New_York"
    with app.app_context():
        assert clock.start_of_day(D(2025, 7, 1)) == utc(2025, 7, 1, 4)
        assert clock.today(utc(2025, 7, 1, 3)) == D(2025, 6, 30)
    assert clock.start_of_day(D(2025, 7, 1)) == utc(2025, 6, 30, 23)  # London by default


@pytest.mark.parametrize(
    ("raised", "due", "why"),
    [
        # Monday 00:30 BST is Sunday 23:30 UTC: counted from Monday, due Wednesday 00:30
        (utc(2025, 10, 5, 23, 30), utc(2025, 10, 7, 23, 30), "a Monday just after midnight"),
        # Friday 10:00 BST, due Tuesday 10:00 GMT: the wall-clock time is kept
        (utc(2025, 10, 24, 9), utc(2025, 10, 28, 10), "across the autumn change"),
        # Friday 10:00 GMT, due Tuesday 10:00 BST
        (utc(2026, 3, 27, 10), utc(2026, 3, 31, 9), "across the spring change"),
        # Thursday 2 April 2026 23:30 BST: Good Friday and Easter Monday are not working days
        (utc(2026, 4, 2, 22, 30), utc(2026, 4, 8, 22, 30), "over Easter"),
    ],
)
def test_working_days_are_the_citys(raised, due, why):
    assert add_working_days(raised, 2) == due, why
