"""A token's user is kept a few seconds per worker (auth/token_cache.py): the second call
asks nothing about the token, yet a revocation holds at once in the worker that made it
and within TOKEN_CACHE_SECONDS in every other."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from caremap.auth.models import ApiToken, User
from caremap.core.extensions import db
from tests.conftest import app_with_its_own_database, make_app


def _token_queries(statements: list[str]) -> int:
    return sum("FROM api_tokens" in s for s in statements)


def test_the_second_call_asks_nothing_about_the_token(api, count_queries):
    client = api("practitioner")
    with count_queries() as first:
        assert client.get("/catalogue/services").status_code == 200
    with count_queries() as second:
        assert client.get("/catalogue/services").status_code == 200
    assert _token_queries(second) == 0
    assert len(second) <= len(first)


def _token_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(ApiToken.id)
            .join(User, User.id == ApiToken.user_id)
            .where(User.email == email, ApiToken.name == "tests")
        )


def test_a_token_revoked_here_is_refused_on_the_next_call(app, api, login_as):
    client = api("key_worker")
    assert client.get("/catalogue/services").status_code == 200
    assert client.get("/catalogue/services").status_code == 200  # now kept
    page = login_as("key_worker")
    token_id = _token_id(app, "key_worker@test.example")
    response = page.post(f"/account/tokens/{token_id}/revoke")
    assert response.status_code in (200, 302, 303), response.status_code
    assert client.get("/catalogue/services").status_code == 401


def test_a_user_deactivated_here_is_refused_on_the_next_call(app, api):
    client = api("key_worker")
    assert client.get("/catalogue/services").status_code == 200
    me = client.get("/me").json
    response = api("admin").patch(
        f"/users/{me['id']}", json={"is_active": False, "version": me.get("version", 1)}
    )
    assert response.status_code == 200, response.json
    assert client.get("/catalogue/services").status_code == 401


@pytest.fixture(scope="module")
def two_workers():
    """Two apps on one database with real commits: two gunicorn workers, as it were."""
    for app in app_with_its_own_database("token_cache"):
        other = make_app(app.config["DATABASE_URL"], TOKEN_CACHE_SECONDS=0.5)
        app.config["TOKEN_CACHE_SECONDS"] = 0.5
        yield app, other
        with other.app_context():
            db.engine.dispose()


def test_a_token_revoked_in_another_worker_is_refused_within_the_cache_time(two_workers):
    here, elsewhere = two_workers
    token = here.config["TEST_TOKENS"]["manager"]
    headers = {"Authorization": f"Bearer {token}"}
    client = here.test_client()
    assert client.get("/api/v1/catalogue/services", headers=headers).status_code == 200
    with elsewhere.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "manager@test.example"))
        for row in db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)):
            row.revoked_at = sa.func.now()
        db.session.commit()
    deadline = time.monotonic() + 0.5 + 2  # the cache time, and a margin for a slow machine
    while time.monotonic() < deadline:
        if client.get("/api/v1/catalogue/services", headers=headers).status_code == 401:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the revoked token still worked past the cache time")
