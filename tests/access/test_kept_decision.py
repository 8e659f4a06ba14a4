"""The one-person access decision is one statement built once per user and kept
(access.policy.access_rank): the person and the time are its bound parameters, so a
kept statement still ends break-glass on time, and never answers for another user."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from caremap.access.models import BreakGlass
from caremap.access.policy import Access, access_rank, decide
from caremap.auth.models import User
from caremap.core.extensions import db
from caremap.people.models import Person
from tests.factories import make_person, make_token, make_user, staff


def test_a_kept_decision_ends_break_glass_on_time(app, api):
    with app.app_context():
        person_id = make_person(actor=staff("key_worker")).id
        db.session.commit()
    me = api("practitioner")
    assert me.get(f"/people/{person_id}").json["access"] == "identity"
    opened = me.post(f"/people/{person_id}/break-glass", json={"reason": "Unconscious in ED"})
    assert opened.status_code == 201
    assert me.get(f"/people/{person_id}").json["person"]["access"] == "full"
    with app.test_request_context():
        user = staff("practitioner")
        kept = access_rank(user)
        decision = decide(user, _person(person_id))
        assert (decision.access, decision.because) == (Access.FULL, "break_glass")
        assert decision.break_glass is not None
        db.session.execute(
            sa.update(BreakGlass)
            .where(BreakGlass.person_id == person_id)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
        db.session.commit()
        assert access_rank(user) is kept  # the same statement, asked again now
        assert decide(user, _person(person_id)).access == Access.IDENTITY
    assert me.get(f"/people/{person_id}").json["access"] == "identity"


def test_each_user_has_their_own_kept_decision(app, api):
    with app.app_context():
        lead = make_user(role="key_worker", team="complex-needs-hub")
        other = make_user(role="key_worker", team="reablement-plymouth")
        person_id = make_person(actor=lead).id  # registered by the hub: lead's team
        app.config["TEST_TOKENS"].update(lead=make_token(lead), other=make_token(other))
        db.session.commit()
    assert api("lead").get(f"/people/{person_id}").json["person"]["access"] == "full"
    assert api("other").get(f"/people/{person_id}").json["access"] == "identity"
    assert api("lead").get(f"/people/{person_id}").json["person"]["access"] == "full"
    with app.test_request_context():
        first, second = (db.session.get(User, u.id) for u in (lead, other))
        assert access_rank(first) is not access_rank(second)


def _person(person_id: int) -> Person:
    return db.session.get(Person, person_id)
