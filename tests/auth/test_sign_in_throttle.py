"""A spray of wrong passwords across many accounts from one address is slowed (429)
after a limit, whoever the accounts are; other addresses sign in as usual."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

SPRAYER = {"REMOTE_ADDR": "203.0.113.9"}
COLLEAGUE = {"REMOTE_ADDR": "198.51.100.7"}


@pytest.fixture
def limit(app):
    before = app.config["SIGN_IN_ADDRESS_MAX_FAILURES"]
    app.config["SIGN_IN_ADDRESS_MAX_FAILURES"] = 10
    yield 10
    app.config["SIGN_IN_ADDRESS_MAX_FAILURES"] = before


def _sign_in(client, email, password, environ):
    return client.post(
        "/sign-in", data={"email": email, "password": password}, environ_base=environ
    )


def test_a_password_spray_from_one_address_is_throttled(app, limit):
    client = app.test_client()
    statuses = [
        _sign_in(client, f"person{n}@caremap.example", "Winter2026!!x", SPRAYER).status_code
        for n in range(limit)
    ]
    assert statuses == [401] * limit  # each account only once: no account lock helps here
    blocked = _sign_in(client, "practitioner@test.example", PASSWORD, SPRAYER)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins from your network" in blocked.get_data(as_text=True)
    elsewhere = _sign_in(app.test_client(), "practitioner@test.example", PASSWORD, COLLEAGUE)
    assert elsewhere.status_code == 302


def test_below_the_limit_a_right_password_still_signs_in(app, limit):
    client = app.test_client()
    for n in range(limit - 1):
        assert (
            _sign_in(client, f"other{n}@caremap.example", "nope-nope-nope", SPRAYER).status_code
            == 401
        )
    assert _sign_in(client, "practitioner@test.example", PASSWORD, SPRAYER).status_code == 302
