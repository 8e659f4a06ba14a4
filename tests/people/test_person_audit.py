"""Every read and write of a person's record leaves an audit row; the trail cannot be changed."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from caremap.audit.models import AuditEvent
from caremap.core.extensions import db
from tests.conftest import audit_rows, text_of, user


def test_reads_and_writes_through_pages_and_api_are_audited(
    app, api, client, login_as, make_person
):
    person_id = make_person(role="key_worker")
    with app.app_context():
        kim = user("key_worker").id
    login_as("key_worker")
    client.get(f"/people/{person_id}")
    client.get(f"/people/{person_id}/story")
    api("key_worker").get(f"/people/{person_id}/consent")
    api("key_worker").post(
        f"/people/{person_id}/story", json={"text": "Hello", "based_on_id": None}
    )
    rows = [(r.actor_id, r.action) for r in audit_rows(app, person_id=person_id)]
    for expected in (
        "people.register",
        "people.view",
        "people.edit_story",
        "people.view_consent",
        "people.story",
    ):
        assert (kim, expected) in rows, expected


def test_a_failed_write_keeps_the_read_row_but_writes_nothing(app, api, make_person):
    person_id = make_person(role="key_worker")
    before = len(audit_rows(app, person_id=person_id))
    response = api("key_worker").post(f"/people/{person_id}/story", json={"text": "x" * 10_001})
    assert response.status_code == 422
    after = audit_rows(app, person_id=person_id)
    # The schema refused the body before the record was read: nothing at all.
    assert len(after) == before
    stale = api("key_worker").post(
        f"/people/{person_id}/story", json={"text": "ok", "based_on_id": 999}
    )
    assert stale.status_code == 409
    newest = audit_rows(app, person_id=person_id)[-1]
    assert newest.action == "people.edit_story" and newest.changes["access"] == "full"
    assert "people.story" not in [r.action for r in audit_rows(app, person_id=person_id)]


@pytest.mark.parametrize(
    "statement",
    [
        sa.update(AuditEvent).values(reason="rewritten"),
        sa.delete(AuditEvent),
    ],
)
def test_the_audit_trail_refuses_update_and_delete(app, make_person, statement):
    """Refused twice over: the app's database role may not (PostgreSQL, tests/audit/
    test_roles.py), and the triggers refuse whoever tries (both backends)."""
    make_person()
    with app.app_context():
        with pytest.raises(DBAPIError, match="append-only|permission denied"):
            db.session.execute(statement)
        db.session.rollback()


def test_who_has_looked_lists_every_read_newest_first(app, api, client, login_as, make_person):
    person_id = make_person(role="key_worker")
    api("admin").get(f"/people/{person_id}")
    api("key_worker").get(f"/people/{person_id}/chronology")
    log = api("key_worker").get(f"/people/{person_id}/access-log")
    assert int(log.headers["X-Total-Count"]) >= 3
    assert [e["action"] for e in log.json[:3]] == [
        "people.view_access_log",
        "people.view_chronology",
        "people.view",
    ]
    assert log.json[2]["actor"] == "Test Admin"
    login_as("key_worker")
    assert "Test Admin" in text_of(client.get(f"/people/{person_id}/access-log"))
