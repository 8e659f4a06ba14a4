"""A held registration confirmed several times at once (a double click, two tabs) registers
one person: the first confirm takes the held form, the others find it gone and say so.

Real commits from several connections, so a database of its own; PostgreSQL only, since
SQLite runs one writer at a time and cannot show the race.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.people.models import Person
from tests.conftest import PASSWORD, PG_URL, app_with_its_own_database

CONFIRMS = 6

pytestmark = pytest.mark.skipif(not PG_URL, reason="a race needs PostgreSQL's row locks")


@pytest.fixture(scope="module")
def committed_app():
    yield from app_with_its_own_database("held_race")


def signed_in(app):
    client = app.test_client()
    response = client.post(
        "/sign-in", data={"email": "practitioner@test.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


FORM = {
    "given_name": "Demelza",
    "family_name": "Rowse",
    "date_of_birth": ["2", "9", "1951"],
    "postcode": "PL4 8AA",
}


def test_concurrent_confirms_of_one_held_form_register_one_person(committed_app):
    client = signed_in(committed_app)
    assert client.post("/people/new", data=FORM).status_code == 302
    held = client.post("/people/new", data={**FORM, "family_name": "Rowe"})
    assert held.status_code == 303
    token = held.headers["Location"].split("held=", 1)[1]
    # The same user in several tabs: each its own session, signed in before the start.
    clients = [signed_in(committed_app) for _ in range(CONFIRMS)]
    barrier = threading.Barrier(CONFIRMS)
    confirm = {**FORM, "family_name": "Rowe", "confirm_no_duplicate": "y", "held": token}

    def send(tab):
        barrier.wait()
        response = tab.post("/people/new", data=confirm)
        return response.status_code, response.headers.get("Location", "")

    with ThreadPoolExecutor(max_workers=CONFIRMS) as pool:
        answers = list(pool.map(send, clients))
    registered = [a for a in answers if a[0] == 302]
    assert len(registered) == 1, answers
    assert answers.count((303, "/people/new")) == CONFIRMS - 1, answers
    with committed_app.app_context():
        rowes = db.session.scalars(sa.select(Person.id).where(Person.family_name == "Rowe")).all()
    assert len(rowes) == 1 and registered[0][1] == f"/people/{rowes[0]}"
