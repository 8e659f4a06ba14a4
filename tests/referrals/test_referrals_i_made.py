"""Referrals I made: the referrer's own referrals, newest first, overdue marked, a
multi-service referral's parts together; each person listed is a read in the audit."""

import datetime as dt

import pytest

from caremap.core.db import utcnow
from caremap.core.extensions import db
from tests.conftest import audit_rows, text_of
from tests.factories import make_referral, make_referrals, staff

pytestmark = pytest.mark.usefixtures("ctx")


def test_the_referrer_sees_their_referrals_with_overdue_marked(app, client, login_as):
    overdue = make_referral(
        actor=staff("practitioner"),
        received_at=(utcnow() - dt.timedelta(days=5)).isoformat(),
        urgency="urgent",
    )
    parts = make_referrals(
        actor=staff("practitioner"),
        needs=["hospital_discharge", "fall"],
        details="Two services at once",
    )
    someone_elses = make_referral(actor=staff("key_worker"))
    db.session.commit()
    before = len(audit_rows(app, action="referrals.mine_view"))

    login_as("practitioner")
    page = text_of(client.get("/referrals/mine"))
    assert f"referral {overdue.reference}" in page and f"referral {parts[0].reference}" in page
    assert f"referral {someone_elses.reference}" not in page
    row = page[page.index(f"referral {overdue.reference}") :]
    assert "Overdue" in row[: row.index("</tr>")]
    assert "Also sent to" in page and len(parts) > 1
    reads = {row.person_id for row in audit_rows(app, action="referrals.mine_view")[before:]}
    assert reads == {overdue.person_id, parts[0].person_id}


def test_the_navigation_leads_there(client, login_as):
    login_as("key_worker")
    assert 'href="/referrals/mine"' in text_of(client.get("/"))
    assert "You have not made a referral yet" in text_of(client.get("/referrals/mine"))
