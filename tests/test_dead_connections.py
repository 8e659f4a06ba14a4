"""No round trip to check a pooled connection, yet a connection the server closed is
replaced unseen: the pool looks at the socket (core/faults.py), pinging only one that
looks closed."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.core.faults import looks_closed
from tests.conftest import PG_URL, make_app

pytestmark = pytest.mark.skipif(not PG_URL, reason="a server that can close a connection")


@pytest.fixture
def pooled(app, database_url):
    """An app of its own with production's limits (statement timeout, so the watchdog)."""
    own = make_app(database_url, SECRET_KEY=app.config["SECRET_KEY"])
    own.config["TEST_TOKENS"] = app.config["TEST_TOKENS"]
    yield own
    with own.app_context():
        db.engine.dispose()


def _backend_pid(app) -> int:
    with app.app_context():
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        db.session.rollback()
    return pid


def _terminate(pid: int, database_url: str) -> None:
    admin = sa.create_engine(database_url)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            conn.commit()
    finally:
        admin.dispose()


def test_a_healthy_idle_connection_does_not_look_closed_and_a_terminated_one_does(
    pooled, database_url
):
    with pooled.app_context():
        raw = db.engine.raw_connection()
        try:
            assert not looks_closed(raw.dbapi_connection)
            pid = raw.dbapi_connection.info.backend_pid
            _terminate(pid, database_url)
            deadline = time.monotonic() + 5
            while not looks_closed(raw.dbapi_connection) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert looks_closed(raw.dbapi_connection)
        finally:
            raw.invalidate()


def test_a_connection_the_server_closed_is_replaced_and_the_request_answers(pooled, database_url):
    client, token = pooled.test_client(), pooled.config["TEST_TOKENS"]["practitioner"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/catalogue/services", headers=headers).status_code == 200
    pid = _backend_pid(pooled)  # the one pooled connection the request used
    _terminate(pid, database_url)
    time.sleep(0.2)  # the server's goodbye reaches the socket
    response = client.get("/api/v1/catalogue/services", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert _backend_pid(pooled) != pid
