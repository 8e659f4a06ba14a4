"""The audit trail is tamper-evident: someone with the database superuser's powers edits,
deletes and slips in rows, and `caremap audit verify` names the first, exiting 1."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from caremap import audit
from caremap.audit.integrity import AuditTampered, seal, verify
from caremap.audit.models import AuditEvent, AuditSeal
from caremap.cli import cli
from caremap.core.extensions import db
from tests.conftest import fresh_database_url, load_base_data, make_app, migrate
from tests.factories import make_person

LATER = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)  # every row has settled by then


@pytest.fixture(scope="module")
def trail_app():
    """A database of its own: the suite's shared one holds rows signed by other apps' keys."""
    url = fresh_database_url("audit_trail")
    migrate(url)
    app = make_app(url, AUDIT_KEY="k" * 40, AUDIT_SEAL_AFTER_SECONDS=0)
    load_base_data(app)
    with app.app_context():
        people = [make_person().id for _ in range(3)]
        seal(now=LATER)
        db.session.commit()
    app.config["TEST_PEOPLE"] = people
    return app


@pytest.fixture
def trail(trail_app):
    """Twelve rows, sealed; everything rolled back afterwards."""
    with trail_app.app_context():
        state = db.state(trail_app)
        connection = state.engine.connect()
        outer = connection.begin()
        state.factory.configure(bind=connection, join_transaction_mode="create_savepoint")
        try:
            for n in range(12):
                audit.record(None, "people.view", changes={"n": n}, reason=f"reason {n}")
            db.session.flush()
            first = db.session.scalar(
                sa.select(sa.func.min(AuditEvent.id)).where(AuditEvent.reason == "reason 0")
            )
            audit.record_reads(None, "tasks.list_view", trail_app.config["TEST_PEOPLE"])
            assert seal(now=LATER) == 15
            ids = list(
                db.session.scalars(
                    sa.select(AuditEvent.id).where(AuditEvent.id >= first).order_by(AuditEvent.id)
                )
            )
            yield ids
        finally:
            state.scoped.remove()
            state.factory.configure(
                bind=state.engine, join_transaction_mode="conditional_savepoint"
            )
            outer.rollback()
            connection.close()


def as_superuser(statement: str, **params) -> None:
    """What an insider with the database's own powers can do: switch the append-only
    triggers off for a moment."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL session_replication_role = replica"))
        db.session.execute(sa.text(statement), params)
        db.session.execute(sa.text("SET LOCAL session_replication_role = origin"))
        return
    db.session.execute(sa.text("DROP TRIGGER audit_events_no_update"))
    db.session.execute(sa.text("DROP TRIGGER audit_events_no_delete"))
    db.session.execute(sa.text(statement), params)


def test_an_untouched_trail_verifies(trail):
    result = verify()
    assert result.ok, result.problems
    assert result.rows == result.sealed
    assert verify(since_id=trail[0]).rows == 15


def test_the_triggers_still_refuse_an_ordinary_update(trail):
    with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
        db.session.execute(sa.text("UPDATE audit_events SET reason = 'x'"))


def test_an_edited_row_is_named(trail):
    as_superuser("UPDATE audit_events SET reason = 'nothing happened' WHERE id = :id", id=trail[4])
    problem = verify().problems[0]
    assert (problem.event_id, problem.kind) == (trail[4], "edited")


def test_an_edited_json_change_is_named(trail):
    as_superuser(
        "UPDATE audit_events SET person_id = NULL, changes = NULL WHERE id = :id", id=trail[13]
    )
    problem = verify().problems[0]
    assert (problem.event_id, problem.kind) == (trail[13], "edited")


def test_a_deleted_row_is_named(trail):
    as_superuser("DELETE FROM audit_events WHERE id = :id", id=trail[7])
    problem = verify().problems[0]
    assert (problem.event_id, problem.kind) == (trail[7], "deleted")


def test_a_row_deleted_with_its_link_is_named(trail):
    as_superuser("DELETE FROM audit_events WHERE id = :id", id=trail[7])
    if db.engine.dialect.name == "postgresql":
        as_superuser("DELETE FROM audit_seals WHERE event_id = :id", id=trail[7])
    else:
        db.session.execute(sa.text("DROP TRIGGER audit_seals_no_delete"))
        db.session.execute(
            sa.text("DELETE FROM audit_seals WHERE event_id = :id"), {"id": trail[7]}
        )
    problem = verify().problems[0]
    assert (problem.event_id, problem.kind) == (trail[7], "deleted")


def test_a_row_slipped_in_is_named(trail):
    db.session.execute(
        sa.insert(AuditEvent).values(
            at=dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC), action="people.view", person_id=None
        )
    )
    forged = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    problem = verify().problems[0]
    assert (problem.event_id, problem.kind) == (forged, "inserted")


def test_a_forged_link_does_not_hide_a_slipped_in_row(trail):
    """Without the key, a link for a forged row cannot carry the right HMAC."""
    db.session.execute(
        sa.insert(AuditEvent).values(
            at=dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC), action="x", mac="0" * 64
        )
    )
    forged = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    db.session.execute(
        sa.insert(AuditSeal).values(
            event_id=forged, prev_event_id=trail[-1], chain_mac="0" * 64, sealed_at=LATER
        )
    )
    kinds = {(p.event_id, p.kind) for p in verify().problems}
    assert (forged, "edited") in kinds


def test_sealing_refuses_to_chain_an_edited_row(trail):
    audit.record(None, "people.view", reason="after the seal")
    db.session.flush()
    newest = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    as_superuser("UPDATE audit_events SET reason = 'changed' WHERE id = :id", id=newest)
    with pytest.raises(AuditTampered):
        seal(now=LATER)


def test_young_rows_wait_to_be_sealed(trail, trail_app):
    audit.record(None, "people.view", reason="just now")
    db.session.flush()
    trail_app.config["AUDIT_SEAL_AFTER_SECONDS"] = 3600
    try:
        assert seal() == 0
    finally:
        trail_app.config["AUDIT_SEAL_AFTER_SECONDS"] = 0
    assert verify().ok
    assert seal(now=LATER) == 1


def test_verify_from_a_row_checks_the_chain_from_there(trail):
    as_superuser("UPDATE audit_events SET reason = 'x' WHERE id = :id", id=trail[2])
    assert not verify().ok
    assert verify(since_id=trail[3]).ok


def test_the_command_exits_1_naming_the_first_problem(trail, trail_app):
    as_superuser("DELETE FROM audit_events WHERE id = :id", id=trail[9])
    result = CliRunner().invoke(cli, ["audit", "verify", "--no-seal"], obj=_script_info(trail_app))
    assert result.exit_code == 1
    assert f"row {trail[9]} deleted" in result.output


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)
