"""Indicators cut their periods at local midnight (Europe/London), on both databases.

Hand-made rows, as tests/indicators/hand_counted.py makes them, each a few minutes either
side of a boundary in local time; computed by the real indicator SQL. Under UTC midnights
every "00:30 BST on the first day" row would fall in the period before.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.indicators.compute import compute_indicators, members
from caremap.indicators.models import Area, PostcodeDistrict
from caremap.indicators.periods import parse_period
from caremap.indicators.results import Filters
from caremap.safeguarding.models import Concern
from tests.indicators.hand_counted import City, utc

AREA, DISTRICT = "E99999996", "ZZ6"
D = dt.date

# name: the UTC instant of a referral, a concern, ... (local time in the comment)
EVENTS = {
    "fy25_last": utc(2025, 3, 31, 22, 30),  # 23:30 BST 31 March 2025, the day after the change
    "fy25_first": utc(2025, 3, 31, 23, 30),  # 00:30 BST 1 April 2025: the new financial year
    "sep_last": utc(2025, 9, 30, 22, 30),  # 23:30 BST 30 September
    "oct_first": utc(2025, 9, 30, 23, 30),  # 00:30 BST 1 October: BST until the 26th
    "oct_last": utc(2025, 10, 31, 23, 30),  # 23:30 GMT 31 October: after the change
    "nov_first": utc(2025, 11, 1, 0, 30),  # 00:30 GMT 1 November
    "fy26_last": utc(2026, 3, 31, 22, 30),  # 23:30 BST 31 March 2026 (BST from the 29th)
    "fy26_first": utc(2026, 3, 31, 23, 30),  # 00:30 BST 1 April 2026
}

# period: the events in it
IN_PERIOD = {
    "2025-03": {"fy25_last"},  # March: begins in GMT, ends in BST
    "2025-04": {"fy25_first"},
    "2024-25-Q4": {"fy25_last"},
    "2025-26-Q1": {"fy25_first"},
    "2024-25": {"fy25_last"},
    "2025-09": {"sep_last"},
    "2025-10": {"oct_first", "oct_last"},  # October: begins in BST, ends in GMT
    "2025-11": {"nov_first"},
    "2025-26-Q2": {"sep_last"},
    "2025-26-Q3": {"oct_first", "oct_last", "nov_first"},
    "2025-Q4": {"oct_first", "oct_last", "nov_first"},  # the calendar form: the same
    "2025-26-Q4": {"fy26_last"},
    "2026-03": {"fy26_last"},
    "2026-04": {"fy26_first"},
    "2025-26": {"fy25_first", "sep_last", "oct_first", "oct_last", "nov_first", "fy26_last"},
    "2026-27": {"fy26_first"},
}


@pytest.fixture
def city(ctx):
    db.session.add(Area(code=AREA, name="Clock-change test area"))
    db.session.add(PostcodeDistrict(district=DISTRICT, area_code=AREA))
    db.session.flush()
    city = City()
    for name, at in EVENTS.items():
        person = city.person(name, D(1950, 1, 1), postcode=f"{DISTRICT} 1AA")
        city.referral(person, "reablement", at, hours_due=48, responded_after=1)
        city.concern(person, at, "own_home")
    db.session.flush()
    return city


def _counted(city, code, period):
    ids = members(
        code=code, period=parse_period(period), filters=Filters(area=AREA), part="numerator"
    )
    names = {v: k for k, v in city.names.items()}
    return {names[i] for i in ids}


@pytest.mark.parametrize("period", sorted(IN_PERIOD))
@pytest.mark.parametrize("code", ["REF-NEW", "SG-CONCERNS"])
def test_an_event_belongs_to_the_local_period_it_happened_in(city, code, period):
    assert _counted(city, code, period) == IN_PERIOD[period]
    [result] = compute_indicators(
        period=parse_period(period), filters=Filters(area=AREA), codes=[code]
    )
    assert result.numerator == len(IN_PERIOD[period])


def test_what_was_in_force_at_the_end_of_the_year_is_read_at_local_midnight(ctx, city):
    """Assessments, key workers and carers are read as they stood at the first moment after
    the period: 00:00 BST on 1 April 2026, which is 23:00 UTC on 31 March."""
    c = city
    late = c.person("reassessedlate", D(1980, 1, 1), postcode=f"{DISTRICT} 1AA")
    c.assessment(late, "core", utc(2025, 5, 1))
    c.assessment(late, "stable", EVENTS["fy26_last"])  # 23:30 BST 31 March: in force
    early = c.person("reassessednextyear", D(1980, 1, 1), postcode=f"{DISTRICT} 1AA")
    c.assessment(early, "core", utc(2025, 5, 1))
    c.assessment(early, "stable", EVENTS["fy26_first"])  # 00:30 BST 1 April: not yet
    c.lead(early, EVENTS["fy26_first"])  # a key worker from the new year: not at the end
    c.lead(late, EVENTS["fy26_last"])  # a key worker by the last evening: counted
    cared = c.person("cared", D(1940, 1, 1), postcode=f"{DISTRICT} 1AA")
    c.carer(cared, True, created_at=EVENTS["fy26_last"])
    c.carer(cared, False, created_at=EVENTS["fy26_first"])  # recorded in the new year
    db.session.flush()
    assert _counted(city, "MN-STABLE", "2025-26") == {"reassessedlate"}
    assert _counted(city, "MN-CORE", "2025-26") == {"reassessednextyear"}
    [key_worker] = compute_indicators(
        period=parse_period("2025-26"), filters=Filters(area=AREA), codes=["MN-KEY-WORKER"]
    )
    # both are in a cohort; only "late" had a key worker by the end of the year
    assert (key_worker.numerator, key_worker.denominator) == (1, 2)
    [carers] = compute_indicators(
        period=parse_period("2025-26"), filters=Filters(area=AREA), codes=["ASCOF-3C"]
    )
    assert (carers.numerator, carers.denominator) == (1, 1)


def test_an_unanswered_referral_is_late_only_once_its_deadline_has_passed_locally(ctx):
    """ "Today" starts at local midnight: on 1 April 2025 a deadline of 00:30 BST that
    morning has not passed at its start (23:00 UTC), one of 23:30 BST the night before has."""
    db.session.add(Area(code=AREA, name="Clock-change test area"))
    db.session.add(PostcodeDistrict(district=DISTRICT, area_code=AREA))
    city = City()
    person = city.person("waiting", D(1950, 1, 1), postcode=f"{DISTRICT} 1AA")
    received = utc(2025, 3, 20, 12)
    for due in (EVENTS["fy25_last"], EVENTS["fy25_first"]):
        city.referral(
            person, "reablement", received, hours_due=(due - received) / dt.timedelta(hours=1)
        )
    [on_time] = compute_indicators(
        period=parse_period("2025-03"),
        filters=Filters(area=AREA),
        codes=["REF-ON-TIME"],
        today=D(2025, 4, 1),
    )
    assert (on_time.numerator, on_time.denominator) == (0, 1)


def test_a_concern_counts_on_the_day_it_was_raised_not_the_day_it_was_written_up(ctx):
    """Raised on 31 March 2026 (the old year), entered on 2 April: the old year's concern,
    in the indicator and in the safeguarding figures alike."""
    db.session.add(Area(code=AREA, name="Clock-change test area"))
    db.session.add(PostcodeDistrict(district=DISTRICT, area_code=AREA))
    city = City()
    person = city.person("writtenup", D(1950, 1, 1), postcode=f"{DISTRICT} 1AA")
    concern_id = city.concern(person, utc(2026, 4, 2, 9), "own_home")
    from_db = db.session.get(Concern, concern_id)
    from_db.raised_on = D(2026, 3, 31)
    db.session.flush()
    assert _counted(city, "SG-CONCERNS", "2025-26") == {"writtenup"}
    assert _counted(city, "SG-CONCERNS", "2026-27") == set()


def test_a_window_in_days_does_not_follow_the_database_servers_time_zone(ctx):
    """Re-referral within 183 days is 183 × 24 hours on both databases, even when the
    PostgreSQL server's own zone is Europe/London and the window spans the autumn change."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL TIME ZONE 'Europe/London'"))
    db.session.add(Area(code=AREA, name="Clock-change test area"))
    db.session.add(PostcodeDistrict(district=DISTRICT, area_code=AREA))
    city = City()
    person = city.person("again", D(1950, 1, 1), postcode=f"{DISTRICT} 1AA")
    again = utc(2025, 12, 1, 12)
    # 183 days and 30 minutes before: outside, though within 183 London calendar days
    city.referral(person, "reablement", again - dt.timedelta(days=183, minutes=30), hours_due=48)
    city.referral(person, "reablement", again, hours_due=48)
    [result] = compute_indicators(
        period=parse_period("2025-12"), filters=Filters(area=AREA), codes=["REF-REREFERRAL-6M"]
    )
    assert (result.numerator, result.denominator) == (0, 1)
