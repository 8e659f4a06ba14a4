"""Two people saving the same version of a row at the same moment: one wins, the other is
told someone else changed it (409), in every domain, never a 500. On PostgreSQL the
losers' UPDATEs wait for the winner's commit and then match no row at the version they
read (SQLAlchemy's StaleDataError, at a flush or at the request's commit); on SQLite
writers queue (BEGIN IMMEDIATE), so the losers see the new version before writing.
Real commits from many threads, so a database of its own."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import app_with_its_own_database

WRITERS = 6


@pytest.fixture(scope="module")
def committed_app():
    yield from app_with_its_own_database("concurrent_edits")


def _client(app, role: str):
    headers = {"Authorization": f"Bearer {app.config['TEST_TOKENS'][role]}"}

    def call(method: str, path: str, body: dict | None = None):
        return getattr(app.test_client(), method)(f"/api/v1{path}", json=body, headers=headers)

    return call


def _at_once(app, role: str, method: str, path: str, bodies: list[dict]) -> list:
    barrier = threading.Barrier(len(bodies))
    call = _client(app, role)

    def one(body):
        barrier.wait()
        return call(method, path, body)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(one, bodies))


def _one_wins(responses: list) -> None:
    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == 1, statuses
    assert set(statuses) == {200, 409}, statuses
    for refused in (r for r in responses if r.status_code == 409):
        assert "changed by someone else" in str(refused.json), refused.json


def test_of_many_edits_to_one_user_at_one_version_one_wins(committed_app):
    call = _client(committed_app, "admin")
    (user,) = [u for u in call("get", "/users").json if u["email"] == "practitioner@test.example"]
    bodies = [
        {"full_name": f"Test Practitioner {n}", "version": user["version"]} for n in range(WRITERS)
    ]
    responses = _at_once(committed_app, "admin", "patch", f"/users/{user['id']}", bodies)
    _one_wins(responses)
    (winner,) = [r.json for r in responses if r.status_code == 200]
    (now,) = [u for u in call("get", "/users").json if u["id"] == user["id"]]
    assert now["full_name"] == winner["full_name"] and now["version"] == user["version"] + 1


def test_of_many_stops_of_one_medicine_at_one_version_one_wins(committed_app):
    call = _client(committed_app, "key_worker")
    person = call(
        "post",
        "/people",
        {
            "given_name": "Race",
            "family_name": "Medicine",
            "date_of_birth": "1944-04-04",
            "confirm_no_duplicate": True,
        },
    )
    assert person.status_code == 201, person.json
    started = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    medicine = call(
        "post",
        f"/people/{person.json['id']}/medicines",
        {
            "name": "Amlodipine",
            "dose": "5 mg",
            "route": "oral",
            "frequency": "once a day",
            "started_on": started,
            "source": "gp_record",
        },
    )
    assert medicine.status_code == 201, medicine.json
    bodies = [
        {
            "stopped_on": dt.date.today().isoformat(),
            "reason": f"Stopped by prescriber {n}",
            "version": medicine.json["version"],
        }
        for n in range(WRITERS)
    ]
    responses = _at_once(
        committed_app, "key_worker", "post", f"/medicines/{medicine.json['id']}/stop", bodies
    )
    _one_wins(responses)
    (winner,) = [r.json for r in responses if r.status_code == 200]
    (now,) = call("get", f"/people/{person.json['id']}/medicines").json
    assert now["stop_reason"] == winner["stop_reason"], now
