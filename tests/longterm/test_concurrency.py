"""Concurrent editors of long-term support never lose an update: real commits, many
threads (a database of its own, since the rolled-back test transaction cannot race)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.longterm.models import SocialCareProfile
from tests.conftest import app_with_its_own_database
from tests.longterm import bodies

WRITERS = 8


@pytest.fixture(scope="module")
def committed_app():
    yield from app_with_its_own_database("longterm_concurrency")


def _headers(app) -> dict[str, str]:
    return {"Authorization": f"Bearer {app.config['TEST_TOKENS']['admin']}"}


def _person(app, name: str) -> int:
    response = app.test_client().post(
        "/api/v1/people",
        json={
            "given_name": "Race",
            "family_name": name,
            "date_of_birth": "1950-01-01",
            "confirm_no_duplicate": True,
        },
        headers=_headers(app),
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def _fire(app, method: str, path: str, bodies_: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(bodies_))

    def call(body):
        client = app.test_client()
        barrier.wait()
        return getattr(client, method)(path, json=body, headers=_headers(app)).status_code

    with ThreadPoolExecutor(max_workers=len(bodies_)) as pool:
        return list(pool.map(call, bodies_))


def _profiles(app, person_id: int) -> list[SocialCareProfile]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(SocialCareProfile).where(SocialCareProfile.person_id == person_id)
            )
        )


def test_of_many_first_profiles_made_at_once_one_is_made(committed_app):
    person_id = _person(committed_app, "Firstprofile")
    statuses = _fire(
        committed_app,
        "put",
        f"/api/v1/people/{person_id}/social-care-profile",
        [bodies.profile(employment_status="Unknown")] * WRITERS,
    )
    assert statuses.count(200) == 1, statuses
    assert sorted(set(statuses) - {200}) in ([409], [422]), statuses
    assert len(_profiles(committed_app, person_id)) == 1


def test_of_many_edits_of_one_version_one_wins(committed_app):
    person_id = _person(committed_app, "Editrace")
    path = f"/api/v1/people/{person_id}/social-care-profile"
    client = committed_app.test_client()
    assert (
        client.put(path, json=bodies.profile(), headers=_headers(committed_app)).status_code == 200
    )
    statuses = _fire(
        committed_app,
        "put",
        path,
        [bodies.profile(client_funding_status="Unknown", version=1) for _ in range(WRITERS)],
    )
    assert statuses.count(200) == 1 and statuses.count(409) == WRITERS - 1, statuses
    (profile,) = _profiles(committed_app, person_id)
    assert profile.version == 2


def test_of_many_ends_of_one_package_one_wins(committed_app):
    person_id = _person(committed_app, "Endrace")
    client = committed_app.test_client()
    made = client.post(
        f"/api/v1/people/{person_id}/care-packages",
        json=bodies.package(),
        headers=_headers(committed_app),
    ).json
    end = {"ended_on": bodies.TODAY.isoformat(), "outcome": "NFA: Other", "version": 1}
    statuses = _fire(
        committed_app, "post", f"/api/v1/care-packages/{made['id']}/end", [end] * WRITERS
    )
    assert statuses.count(200) == 1 and statuses.count(409) == WRITERS - 1, statuses
