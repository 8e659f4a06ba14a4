"""Concurrent writers never lose an update: real commits, many threads, one record.

These tests use a database of their own with real commits, since the
rolled-back transaction of the other tests cannot show a race.
"""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.people.models import Person, StoryVersion
from tests.conftest import app_with_its_own_database

WRITERS = 12


@pytest.fixture(scope="module")
def committed_app():
    yield from app_with_its_own_database("concurrency")


_registrations = itertools.count()  # each a different person (not the same name and birth)


def _register(app) -> int:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {app.config['TEST_TOKENS']['admin']}"}
    response = client.post(
        "/api/v1/people",
        json={
            "given_name": "Race",
            "family_name": f"Condition{threading.get_ident()}{next(_registrations)}",
            "date_of_birth": "1970-01-01",
            "confirm_no_duplicate": True,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def _fire(app, requests):
    """Run every request at once (as far as threads allow); return the status codes."""
    barrier = threading.Barrier(len(requests))
    headers = {"Authorization": f"Bearer {app.config['TEST_TOKENS']['admin']}"}

    def call(request):
        method, path, body = request
        client = app.test_client()
        barrier.wait()
        return getattr(client, method)(path, json=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(call, requests))


def test_only_one_of_many_concurrent_story_writers_wins(committed_app):
    person_id = _register(committed_app)
    statuses = _fire(
        committed_app,
        [
            (
                "post",
                f"/api/v1/people/{person_id}/story",
                {"text": f"Version {i}", "based_on_id": None},
            )
            for i in range(WRITERS)
        ],
    )
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == WRITERS - 1, statuses
    with committed_app.app_context():
        stories = db.session.scalars(
            sa.select(StoryVersion).where(StoryVersion.person_id == person_id)
        ).all()
    assert len(stories) == 1


def test_only_one_of_many_concurrent_identity_edits_from_one_version_wins(committed_app):
    person_id = _register(committed_app)
    statuses = _fire(
        committed_app,
        [
            ("patch", f"/api/v1/people/{person_id}", {"town": f"Town {i}", "version": 1})
            for i in range(WRITERS)
        ],
    )
    assert statuses.count(200) == 1, statuses
    assert statuses.count(409) == WRITERS - 1, statuses
    with committed_app.app_context():
        person = db.session.get(Person, person_id)
        assert person.version == 2
        assert person.town.startswith("Town ")


def test_the_same_nhs_number_registered_twice_at_once_makes_one_record(committed_app):
    body = {
        "given_name": "Twin",
        "family_name": "Submit",
        "date_of_birth": "1980-02-02",
        "nhs_number": "9990000018",
        "confirm_no_duplicate": True,
    }
    statuses = _fire(committed_app, [("post", "/api/v1/people", body)] * WRITERS)
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == WRITERS - 1, statuses
