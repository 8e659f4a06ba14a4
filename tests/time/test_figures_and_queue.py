"""The safeguarding figures and the referral queue's due states, cut at local midnight.

Hand-made rows either side of the financial-year boundary and of both clock changes of
2025 (BST from 30 March, GMT again from 26 October), on whichever database the run uses.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.catalogue.models import Service
from caremap.core.extensions import db
from caremap.referrals import queries as referral_queries
from caremap.referrals.models import Referral
from caremap.safeguarding import queries as safeguarding_queries
from tests.indicators.hand_counted import City, utc

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "inside", "outside"),
    [
        (  # the financial year 2025-26: BST at both ends
            D(2025, 4, 1),
            D(2026, 3, 31),
            [utc(2025, 3, 31, 23, 30), utc(2026, 3, 31, 22, 30)],  # 00:30 / 23:30 BST
            [utc(2025, 3, 31, 22, 30), utc(2026, 3, 31, 23, 30)],  # 23:30 / 00:30 BST
        ),
        (  # October 2025: begins in BST, ends in GMT
            D(2025, 10, 1),
            D(2025, 10, 31),
            [utc(2025, 9, 30, 23, 30), utc(2025, 10, 31, 23, 30)],  # 00:30 BST / 23:30 GMT
            [utc(2025, 9, 30, 22, 30), utc(2025, 11, 1, 0, 30)],  # 23:30 BST / 00:30 GMT
        ),
        (  # March 2025: begins in GMT, ends in BST
            D(2025, 3, 1),
            D(2025, 3, 31),
            [utc(2025, 3, 1, 0, 30), utc(2025, 3, 31, 22, 30)],  # 00:30 GMT / 23:30 BST
            [utc(2025, 2, 28, 23, 30), utc(2025, 3, 31, 23, 30)],  # 23:30 GMT / 00:30 BST
        ),
    ],
)
def test_safeguarding_figures_count_concerns_on_their_local_day(ctx, start, end, inside, outside):
    before = safeguarding_queries.figures(start=start, end=end)
    city = City()
    person = city.person("raised", D(1950, 1, 1))
    for at in inside:
        city.concern(person, at, "own_home", "section_42_enquiry")
    for at in outside:
        city.concern(person, at, "nursing_home")
    after = safeguarding_queries.figures(start=start, end=end)
    assert after["concerns_raised"] - before["concerns_raised"] == len(inside)
    assert after["to_section_42_enquiry"] - before["to_section_42_enquiry"] == len(inside)
    assert after["risk_in_care_homes"] == before["risk_in_care_homes"]


# ---- the referral queue ------------------------------------------------------------


@pytest.fixture
def queue(ctx):
    """Routed referrals to reablement with the deadlines given, and the queue's states."""
    service = db.session.scalar(sa.select(Service).where(Service.code == "reablement"))
    city = City()
    person = city.person("queued", D(1950, 1, 1))

    def states(now: dt.datetime, deadlines: dict[str, dt.datetime]) -> tuple[dict, dict]:
        before = referral_queries.queue_counts(service, now=now)
        ids = {}
        for name, due in deadlines.items():
            received = due - dt.timedelta(days=5)
            ids[name] = city.referral(person, "reablement", received, hours_due=120)
            assert db.session.get(Referral, ids[name]).due_at == due
        items = referral_queries.service_queue(service, now=now)
        by_id = {item.referral.id: item.queue_state for item in items}
        after = referral_queries.queue_counts(service, now=now)
        moved = {state: after[state] - before[state] for state in after}
        return {name: by_id[i] for name, i in ids.items()}, moved

    return states


@pytest.mark.parametrize(
    ("now", "deadlines", "expected"),
    [
        (  # 00:10 BST on 1 April 2025 (23:10 UTC on 31 March): today runs to 23:00 UTC on 1 April
            utc(2025, 3, 31, 23, 10),
            {
                "last_night": utc(2025, 3, 31, 22, 30),  # 23:30 BST 31 March: passed
                "this_morning": utc(2025, 3, 31, 23, 30),  # 00:30 BST today
                "tonight": utc(2025, 4, 1, 22, 30),  # 23:30 BST today
                "tomorrow": utc(2025, 4, 1, 23, 5),  # 00:05 BST tomorrow: within 24 hours
            },
            {
                "last_night": "overdue",
                "this_morning": "due",
                "tonight": "due",
                "tomorrow": "waiting",
            },
        ),
        (  # 22:00 BST on Sunday 30 March 2025, a 23-hour day that ends at 23:00 UTC
            utc(2025, 3, 30, 21),
            {
                "tonight": utc(2025, 3, 30, 22, 30),  # 23:30 BST today
                "after_midnight": utc(2025, 3, 30, 23, 30),  # 00:30 BST Monday
            },
            {"tonight": "due", "after_midnight": "waiting"},
        ),
        (  # 00:30 BST on Sunday 26 October 2025, a 25-hour day that ends at 00:00 UTC
            utc(2025, 10, 25, 23, 30),
            {
                "tonight": utc(2025, 10, 26, 23, 30),  # 23:30 GMT today
                "after_midnight": utc(2025, 10, 27, 0, 30),  # 00:30 GMT Monday
            },
            {"tonight": "due", "after_midnight": "waiting"},
        ),
    ],
)
def test_the_queue_says_due_today_by_the_local_day(queue, now, deadlines, expected):
    states, moved = queue(now, deadlines)
    assert states == expected
    # the counts above the queue follow the same rule, in SQL
    wanted = {state: list(expected.values()).count(state) for state in moved}
    assert moved == wanted
