"""The tasks page: a table (due, person, what, owner), narrowed to mine, my team's or the
overdue, paged with the true total; each task shown is a read of its person."""

import datetime as dt
import re

import pytest

from caremap.core import clock
from caremap.core.extensions import db
from tests.conftest import audit_rows, text_of
from tests.factories import make_person, make_task, staff

pytestmark = pytest.mark.usefixtures("ctx")


def _titles(page: str) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="#task-\d+">([^<]+)</a>', page)


def test_tasks_are_filtered_to_mine_my_team_and_overdue(client, login_as):
    kim = staff("key_worker")
    person = make_person(actor=kim)
    today = clock.today()
    make_task(person, title="Mine, due later", owner_user=kim, due_on=today + dt.timedelta(3))
    make_task(person, title="Mine, overdue", owner_user=kim, due_on=today - dt.timedelta(2))
    make_task(person, title="Team task", owner_team=kim.team, due_on=today + dt.timedelta(1))
    make_task(person, title="Someone else's", actor=staff("practitioner"))
    db.session.commit()

    login_as("key_worker")
    every = text_of(client.get("/tasks"))
    assert _titles(every) == ["Mine, overdue", "Team task", "Mine, due later"]
    assert "3 tasks (all i can work on), showing 1–3" in every
    for head in ("Due", "Person", "What", "Owner"):
        assert f'<th scope="col" class="govuk-table__header">{head}</th>' in every
    assert _titles(text_of(client.get("/tasks?show=mine"))) == ["Mine, overdue", "Mine, due later"]
    assert _titles(text_of(client.get("/tasks?show=team"))) == ["Team task"]
    overdue = text_of(client.get("/tasks?show=overdue"))
    assert _titles(overdue) == ["Mine, overdue"] and "1 task (overdue)" in overdue
    assert _titles(text_of(client.get("/tasks?show=nonsense"))) == _titles(every)


def test_tasks_are_paged_and_only_the_page_shown_is_read(app, client, login_as):
    kim = staff("key_worker")
    people = [make_person(actor=kim) for _ in range(27)]
    for n, person in enumerate(people):
        make_task(
            person,
            title=f"Paged task {n:02}",
            owner_user=kim,
            due_on=clock.today() + dt.timedelta(days=n),
        )
    db.session.commit()
    before = len(audit_rows(app, action="tasks.list_view"))

    login_as("key_worker")
    first = text_of(client.get("/tasks?show=mine"))
    assert "27 tasks (mine), showing 1–25" in first and len(_titles(first)) == 25
    assert "page=2" in first
    read = {row.person_id for row in audit_rows(app, action="tasks.list_view")[before:]}
    assert read == {p.id for p in people[:25]}
    second = text_of(client.get("/tasks?show=mine&page=2"))
    assert _titles(second) == ["Paged task 25", "Paged task 26"]
