"""The synthetic city against the domain: its rows must be rows the application could
have made.

The generator writes by COPY, past every operation and model validator, so nothing but
this test stops it drifting from the real flows and enums: every referral's status
history is walked through caremap.referrals.flows, every concern and enquiry through
caremap.safeguarding.flows, every enum column is read back as raw text and held to its
enum, every string to its column's length (PostgreSQL would refuse a longer one, SQLite
would not), and every NHS number and postcode to the real validators.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

import pytest
import sqlalchemy as sa

from caremap.catalogue.models import Need
from caremap.core.errors import IllegalTransitionError
from caremap.core.extensions import db
from caremap.models import Base
from caremap.people.identifiers import is_valid_nhs_number, is_valid_postcode
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.flows import NEEDS_OUTCOME, NEEDS_REASON, TRANSITIONS, check_transition
from caremap.safeguarding.enums import (
    AbuseCategory,
    ConcernStatus,
    EnquiryStatus,
    TriageDecision,
)
from caremap.safeguarding.flows import check_concern_step, check_enquiry_step
from caremap.seed import seed_reference
from caremap.synthetic import generate_city
from caremap.synthetic.writer import ORDER
from caremap.worktasks.enums import TaskStatus
from tests.conftest import fresh_database_url, make_app, migrate

END = dt.date(2026, 3, 31)
S = ReferralStatus
DECISION_KINDS = {"rules", "fall_through", "redirect"}  # as caremap.referrals.operations


@pytest.fixture(scope="module")
def city():
    """A 3,000-person city in a database of its own, read inside the generating
    transaction (rolled back at the end)."""
    url = fresh_database_url("conformance")
    migrate(url)
    app = make_app(url)
    with app.app_context():
        seed_reference()
        db.session.commit()
        generate_city(people=3000, years=5, seed=11, end_on=END)
        db.session.flush()
        yield
        db.session.rollback()
    db.state(app).engine.dispose()


def raw(table: str, *columns: str, where: Any = None) -> list[tuple]:
    """Columns as the database holds them (enum columns as text, unconverted), so a value
    no enum knows shows up here instead of failing inside SQLAlchemy."""
    t = Base.metadata.tables[table]
    statement = sa.select(*(sa.type_coerce(t.c[c], sa.String) for c in columns)).order_by(
        *t.primary_key.columns
    )
    if where is not None:
        statement = statement.where(where(t))
    return [tuple(row) for row in db.session.execute(statement)]


def _enum_columns() -> list[tuple[str, str, type]]:
    found = []
    for name in ORDER:
        for column in Base.metadata.tables[name].columns:
            if isinstance(column.type, sa.Enum) and column.type.enum_class is not None:
                found.append((name, column.name, column.type.enum_class))
    return found


@pytest.mark.parametrize(
    ("table", "column", "enum_class"),
    _enum_columns(),
    ids=[f"{t}.{c}" for t, c, _ in _enum_columns()],
)
def test_enum_columns_hold_enum_values(city, table, column, enum_class):
    values = {v for (v,) in raw(table, column)}
    assert values - {None} <= {m.value for m in enum_class}, values


@pytest.mark.parametrize("table", ORDER)
def test_strings_fit_their_columns(city, table):
    t = Base.metadata.tables[table]
    for column in t.columns:
        length = getattr(column.type, "length", None)
        if isinstance(column.type, sa.String) and length:
            longest = db.session.scalar(sa.select(sa.func.max(sa.func.length(column))))
            assert (longest or 0) <= length, (column.name, longest, length)


def test_every_referral_status_change_is_a_step_of_the_flow(city):
    changes: dict[int, list[tuple]] = defaultdict(list)
    for referral_id, at, frm, to, reason in db.session.execute(
        sa.select(
            *(
                Base.metadata.tables["referral_status_changes"].c[c]
                for c in ("referral_id", "at", "from_status", "to_status", "reason")
            )
        ).order_by(Base.metadata.tables["referral_status_changes"].c.id)
    ):
        changes[referral_id].append((at, frm, to, reason))
    referrals = raw("referrals", "id", "status", "version", "decline_reason", "outcome")
    assert referrals and len(changes) == len(referrals)
    seen = set()
    for rid, status, version, decline_reason, outcome in referrals:
        trail = changes[int(rid)]
        assert trail[0][1:3] == (None, S.RECEIVED), rid
        for (at_before, _, before, _), (at, frm, to, reason) in zip(trail, trail[1:], strict=False):
            assert frm == before and at >= at_before, rid
            check_transition(frm, to)  # raises IllegalTransitionError if the flow forbids it
            if (frm, to) in NEEDS_REASON | NEEDS_OUTCOME:
                assert reason, (rid, frm, to)
            seen.add((frm, to))
        assert trail[-1][2] == status and int(version) == len(trail), rid
        assert (decline_reason is not None) == (status == S.DECLINED), rid
        assert (outcome is not None) == (status == S.CLOSED), rid
    # the city walks every step the flow has, so a new step would show up here too
    assert seen == set(TRANSITIONS)


def test_check_transition_refuses_what_the_flow_lacks():
    """The test above relies on check_transition refusing; make sure it does."""
    with pytest.raises(IllegalTransitionError):
        check_transition(S.DECLINED, S.ACTIVE)


def test_redirects_and_routing_decisions(city):
    referrals = raw("referrals", "id", "status", "redirected_from_id")
    onward = defaultdict(int)
    for _, _, source in referrals:
        if source is not None:
            onward[int(source)] += 1
    status = {int(rid): s for rid, s, _ in referrals}
    assert onward and all(status[rid] == S.REDIRECTED for rid in onward)
    assert sum(1 for s in status.values() if s == S.REDIRECTED) == len(onward)
    assert set(onward.values()) == {1}
    kinds = {kind for (kind,) in raw("routing_decisions", "kind")}
    assert kinds == DECISION_KINDS
    needs = set(db.session.scalars(sa.select(Need.code)))
    assert {need for (need,) in raw("referral_needs", "need_code")} <= needs


def test_tasks_are_open_or_done_as_the_operations_leave_them(city):
    for status, completed_at, completed_by, version in raw(
        "tasks", "status", "completed_at", "completed_by_id", "version"
    ):
        done = status == TaskStatus.DONE
        assert status in (TaskStatus.OPEN, TaskStatus.DONE)
        assert (completed_at is not None) == done and (completed_by is not None) == done
        assert int(version) == (2 if done else 1)


def test_every_concern_and_enquiry_walks_the_safeguarding_flow(city):
    concerns = raw("safeguarding_concerns", "id", "status", "decision", "closed_at", "categories")
    assert concerns
    statuses = set()
    for cid, status, decision, closed_at, categories in concerns:
        path = [ConcernStatus.AWAITING_TRIAGE]
        if decision is not None:
            path.append(ConcernStatus(TriageDecision(decision).value))
        if ConcernStatus(status) is ConcernStatus.CLOSED:
            path.append(ConcernStatus.CLOSED)
        for before, after in zip(path, path[1:], strict=False):
            check_concern_step(before, after)
        assert path[-1] == status, cid
        finished = status in (ConcernStatus.CLOSED, ConcernStatus.NO_FURTHER_ACTION)
        assert (closed_at is not None) == finished, cid
        assert set(_json(categories)) <= {c.value for c in AbuseCategory}
        statuses.add(status)
    # (awaiting triage is rare: only concerns raised in the last days of the history)
    assert {ConcernStatus.NO_FURTHER_ACTION, ConcernStatus.CLOSED} <= statuses
    with_enquiry = {
        int(cid)
        for cid, _, decision, _, _ in concerns
        if decision is not None and decision != TriageDecision.NO_FURTHER_ACTION
    }
    enquiries = raw("safeguarding_enquiries", "concern_id", "status", "closed_on")
    assert {int(cid) for cid, _, _ in enquiries} == with_enquiry
    for _, status, closed_on in enquiries:
        if status == EnquiryStatus.CONCLUDED:
            check_enquiry_step(EnquiryStatus.OPEN, EnquiryStatus.CONCLUDED)
        assert (closed_on is not None) == (status == EnquiryStatus.CONCLUDED)


def _json(value: Any) -> Any:
    """JSON as stored: SQLite hands back the text, psycopg the decoded value."""
    return json.loads(value) if isinstance(value, str) else value


def test_identifiers_pass_the_real_validators(city):
    people = raw("people", "nhs_number", "postcode")
    numbers = [n for n, _ in people if n]
    assert numbers and all(is_valid_nhs_number(n) and n.startswith("999") for n in numbers)
    assert len(numbers) == len(set(numbers))
    assert all(is_valid_postcode(p) for _, p in people)
