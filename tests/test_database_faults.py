"""A lost or frozen database answers 503 within seconds, keeps no half a request, and the
app recovers by itself when the database is back.

A TCP proxy stands between the app and PostgreSQL; the test drops it (connections reset,
new ones refused) and freezes it (connections open, nothing forwarded: the statement
timeout alone would never fire, since PostgreSQL never sees the statement).
"""

from __future__ import annotations

import contextlib
import secrets
import socket
import threading
import time

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.people.models import Person
from tests.conftest import PG_URL, make_app

pytestmark = pytest.mark.skipif(not PG_URL, reason="a TCP proxy in front of PostgreSQL")

LIMIT_SECONDS = 5  # what a person waits at most before being told (the bound)


class Proxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL, until told to drop or freeze."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.mode = "pass"
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.mode == "drop":
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                self._close(sink)
                return
            while self.mode == "freeze":
                time.sleep(0.02)
            if self.mode == "drop":
                return
            try:
                sink.sendall(data)
            except OSError:
                return

    def _close(self, sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def drop(self) -> None:
        self.mode = "drop"
        with self.lock:
            for sock in self.sockets:
                self._close(sock)
            self.sockets.clear()

    def freeze(self) -> None:
        self.mode = "freeze"

    def restore(self) -> None:
        with self.lock:
            frozen = list(self.sockets)
            self.sockets.clear()
        self.mode = "pass"
        for sock in frozen:  # connections that saw a freeze are not to be trusted again
            self._close(sock)

    def close(self) -> None:
        self.listener.close()
        self.drop()


@pytest.fixture
def faulty(app, database_url):
    """An app whose database connections pass through the proxy, with short limits."""
    url = sa.engine.make_url(database_url)
    proxy = Proxy((url.host or "127.0.0.1", url.port or 5432))
    through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    proxied = make_app(
        through,
        SECRET_KEY=app.config["SECRET_KEY"],
        DATABASE_CONNECT_TIMEOUT=2,
        DATABASE_STATEMENT_TIMEOUT_MS=1500,
        DATABASE_POOL_TIMEOUT=2,
    )
    proxied.config["TEST_TOKENS"] = app.config["TEST_TOKENS"]
    yield proxied, proxy
    with proxied.app_context():
        db.engine.dispose()
    proxy.close()


def _get(client, token: str, path: str):
    started = time.monotonic()
    response = client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
    return response, time.monotonic() - started


def _post(client, token: str, path: str, body: dict):
    started = time.monotonic()
    response = client.post(
        f"/api/v1{path}", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    return response, time.monotonic() - started


def test_a_dropped_database_answers_503_quickly_and_recovers(faulty):
    app, proxy = faulty
    client, token = app.test_client(), app.config["TEST_TOKENS"]["practitioner"]
    assert _get(client, token, "/catalogue/services")[0].status_code == 200
    proxy.drop()
    response, took = _get(client, token, "/catalogue/services")
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.json["status"] == "Service Unavailable"
    assert response.headers["Retry-After"]
    assert took < LIMIT_SECONDS
    proxy.restore()
    assert _get(client, token, "/catalogue/services")[0].status_code == 200


def test_a_frozen_database_answers_503_not_a_hang_and_recovers(faulty):
    app, proxy = faulty
    client, token = app.test_client(), app.config["TEST_TOKENS"]["practitioner"]
    assert _get(client, token, "/catalogue/services")[0].status_code == 200
    proxy.freeze()
    response, took = _get(client, token, "/catalogue/services")
    assert response.status_code == 503
    assert took < LIMIT_SECONDS
    proxy.restore()
    assert _get(client, token, "/catalogue/services")[0].status_code == 200


@pytest.mark.parametrize("path", ["/people?nhs_number=9990011028", "/people/1"])
def test_a_frozen_database_answers_503_on_reads_sent_on_the_driver(faulty, path):
    # A search and the record JSON send their statements on the driver (core/direct.py):
    # the watchdog must be armed for them as for any other statement.
    app, proxy = faulty
    client, token = app.test_client(), app.config["TEST_TOKENS"]["practitioner"]
    assert _get(client, token, "/catalogue/services")[0].status_code == 200
    proxy.freeze()
    response, took = _get(client, token, path)
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert took < LIMIT_SECONDS
    proxy.restore()
    assert _get(client, token, path)[0].status_code in (200, 404)


def test_a_page_gets_the_plain_503_page(faulty, login_as):
    app, proxy = faulty
    client = app.test_client()
    login_as("practitioner", with_client=client)
    proxy.freeze()
    started = time.monotonic()
    response = client.get("/people/search?q=anyone")
    assert response.status_code == 503
    assert "caremap is unavailable" in response.get_data(as_text=True)
    assert time.monotonic() - started < LIMIT_SECONDS
    proxy.restore()


def test_a_write_cut_off_keeps_nothing(faulty, app):
    proxied, proxy = faulty
    client, token = proxied.test_client(), proxied.config["TEST_TOKENS"]["practitioner"]
    family = "Faultline" + secrets.token_hex(3)
    body = {
        "given_name": "Ada",
        "family_name": family,
        "date_of_birth": "1950-03-07",
        "postcode": "PL4 6AB",
        "confirm_no_duplicate": True,
    }
    assert _get(client, token, "/catalogue/services")[0].status_code == 200
    proxy.freeze()
    response, took = _post(client, token, "/people", body)
    assert response.status_code == 503
    assert took < LIMIT_SECONDS
    proxy.restore()
    with app.app_context():
        assert db.session.scalar(sa.select(Person).where(Person.family_name == family)) is None
