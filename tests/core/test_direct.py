"""core/direct.py: a statement sent on the driver gives what SQLAlchemy's execution gives,
in the session's transaction, seen by the engine's cursor events, its errors wrapped."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.audit.models import AuditEvent
from caremap.core.direct import DirectStatement
from caremap.core.extensions import db
from caremap.people.enums import RecordStatus, Sex
from caremap.people.models import Person
from tests import factories

_PEOPLE = DirectStatement(
    sa.select(
        Person.id,
        Person.given_name,
        Person.date_of_birth,
        Person.sex,
        Person.status,
        Person.created_at,
        Person.nhs_number,
        sa.literal(True).label("flag"),
    )
    .where(
        Person.id.in_(sa.bindparam("ids", expanding=True)),
        Person.status == RecordStatus.LIVE,
        Person.date_of_birth >= sa.bindparam("born_after", type_=sa.Date),
    )
    .order_by(Person.id)
)

_EVENTS = DirectStatement(
    sa.select(AuditEvent.at, AuditEvent.changes, AuditEvent.action)
    .where(AuditEvent.person_id == sa.bindparam("person_id", type_=sa.Integer))
    .order_by(AuditEvent.id)
)


def test_the_rows_are_those_sqlalchemy_gives_with_the_same_types(ctx):
    people = [
        factories.make_person(date_of_birth="1950-03-07", sex="female"),
        factories.make_person(date_of_birth="1988-11-30", sex="male"),
        factories.make_person(date_of_birth="1940-01-01"),  # born before: left out
    ]
    params = {"ids": [p.id for p in people], "born_after": dt.date(1945, 1, 1)}

    direct = _PEOPLE.all(db.session, params)
    core = db.session.execute(_PEOPLE.statement, params).all()

    assert [tuple(row) for row in direct] == [tuple(row) for row in core]
    assert [row.id for row in direct] == [people[0].id, people[1].id]
    first = direct[0]
    assert first.date_of_birth == dt.date(1950, 3, 7)  # a date, on SQLite too (stored as text)
    assert first.sex is Sex.FEMALE and first.status is RecordStatus.LIVE
    assert first.created_at.tzinfo is dt.UTC  # UTC-aware, as UTCDateTime reads it
    assert first.flag is True
    assert first._asdict()["given_name"] == people[0].given_name


def test_json_and_utc_times_go_in_and_come_back_as_they_do_through_sqlalchemy(ctx):
    person = factories.make_person()
    at = dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    insert = DirectStatement(
        AuditEvent.__table__.insert()
        .values(
            at=sa.bindparam("at"),
            action=sa.bindparam("action"),
            person_id=sa.bindparam("person_id"),
            changes=sa.bindparam("changes"),
        )
        .inline()
    )
    changes = {"access": "full", "fields": ["address", "phone"]}
    insert.run(
        db.session, {"at": at, "action": "test.direct", "person_id": person.id, "changes": changes}
    )

    rows = [
        row
        for row in _EVENTS.all(db.session, {"person_id": person.id})
        if row.action == "test.direct"
    ]

    assert len(rows) == 1
    assert rows[0].changes == changes
    assert rows[0].at == at and rows[0].at.tzinfo is dt.UTC
    core = db.session.execute(_EVENTS.statement, {"person_id": person.id}).all()
    assert [tuple(r) for r in core if r.action == "test.direct"] == [tuple(rows[0])]


def test_it_runs_in_the_sessions_transaction_after_a_flush_and_is_counted(ctx, count_queries):
    person = factories.make_person()  # flushed, not committed: only this transaction sees it
    with count_queries() as statements:
        rows = _PEOPLE.all(db.session, {"ids": [person.id], "born_after": dt.date(1900, 1, 1)})
    assert [row.id for row in rows] == [person.id]
    # The engine's cursor events see it: the statement counters, the watchdog (core/faults).
    assert len(statements) == 1 and "FROM people" in statements[0]


def test_an_empty_in_list_finds_nothing(ctx):
    assert _PEOPLE.all(db.session, {"ids": [], "born_after": dt.date(1900, 1, 1)}) == []


def test_a_driver_error_is_sqlalchemys_error_as_for_any_statement(ctx):
    missing_action = DirectStatement(
        AuditEvent.__table__.insert().values(action=sa.bindparam("action")).inline()
    )
    with pytest.raises(sa.exc.IntegrityError) as raised:
        missing_action.run(db.session, {"action": None})
    assert "audit_events" in str(raised.value)
    db.session.rollback()


def test_a_statement_without_rows_says_so_when_asked_for_rows(ctx):
    statement = DirectStatement(sa.update(Person).where(Person.id == -1).values(given_name="x"))
    with pytest.raises(TypeError, match="returns no rows"):
        statement.all(db.session)


def test_a_required_parameter_left_out_is_refused_as_sqlalchemy_refuses_it(ctx):
    with pytest.raises(sa.exc.InvalidRequestError, match="born_after"):
        _PEOPLE.all(db.session, {"ids": [1]})
    with pytest.raises(sa.exc.InvalidRequestError, match="person_id"):
        _EVENTS.all(db.session, {})
