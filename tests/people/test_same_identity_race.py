"""Two workers registering the very same name and date of birth at once make one record:
the second is asked about the first. Real commits on a database of its own, since the
rolled-back transaction of the other tests cannot show a race."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.people.identity_checks import SamePersonError
from caremap.people.models import Person
from caremap.people.operations import register_person
from caremap.people.schemas import RegisterPersonArgs
from tests.conftest import PG_URL, app_with_its_own_database, user

WRITERS = 8


@pytest.fixture(scope="module")
def committed_app():
    yield from app_with_its_own_database("same_identity_race")


def test_the_same_name_and_birth_date_registered_at_once_makes_one_record(committed_app):
    # No NHS number and no postcode: only the name and date of birth tie them together.
    body = {"given_name": "Kerensa", "family_name": "Angwin", "date_of_birth": "1952-08-30"}
    headers = {"Authorization": f"Bearer {committed_app.config['TEST_TOKENS']['practitioner']}"}
    barrier = threading.Barrier(WRITERS)

    def register(_: int) -> int:
        client = committed_app.test_client()
        barrier.wait()
        return client.post("/api/v1/people", json=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        statuses = list(pool.map(register, range(WRITERS)))
    with committed_app.app_context():
        made = db.session.scalar(
            sa.select(sa.func.count()).select_from(Person).where(Person.family_name == "Angwin")
        )
    assert made == 1, statuses
    assert statuses.count(201) == 1 and statuses.count(409) == WRITERS - 1, statuses


@pytest.mark.skipif(
    not PG_URL,
    reason="PostgreSQL's lock; SQLite lets one writer in at a time already",
)
def test_a_second_registration_waits_for_the_first_to_commit_and_is_then_held(committed_app):
    """Deterministic where the HTTP race above is only likely: the first registration is
    held open (flushed, not committed) while the second runs."""
    body = {"given_name": "Jenifer", "family_name": "Nance", "date_of_birth": "1960-01-15"}
    flushed = threading.Event()

    def first() -> str:
        with committed_app.app_context():
            register_person(actor=user("practitioner"), details=RegisterPersonArgs().load(body))
            flushed.set()
            time.sleep(1.0)  # the second has checked by now, were nothing to stop it
            db.session.commit()
            return "created"

    def second() -> str:
        flushed.wait(timeout=10)
        with committed_app.app_context():
            try:
                register_person(actor=user("key_worker"), details=RegisterPersonArgs().load(body))
            except SamePersonError:
                db.session.rollback()
                return "held"
            db.session.commit()
            return "created"

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = [f.result(timeout=30) for f in [pool.submit(first), pool.submit(second)]]
    assert answers == ["created", "held"]
