"""A medication review task closes only with a review recorded (what it decided) or a
reason a review is not needed, both audited; the figure of people reviewed in the last
year counts real reviews only."""

import datetime as dt

import pytest

from caremap.indicators.compute import members
from caremap.indicators.periods import period_containing
from tests.conftest import PASSWORD, audit_rows, text_of
from tests.medicines.test_medicines import add, review_tasks

TODAY = dt.date.today()
PHARMACIST = "pharm@test.example"


@pytest.fixture
def flagged(app, api, make_person, worker_token):
    """A person on four medicines, whose review task the pharmacists own; returns
    (person id, the task as the pharmacist's API lists it, the pharmacist's API client)."""
    person_id = make_person(role="key_worker")
    add(api, person_id, 4)
    pharmacist = worker_token(PHARMACIST, "practitioner", "pharmacist-medication-review")
    (task,) = [t for t in pharmacist.get("/api/v1/tasks").json if t["person_id"] == person_id]
    assert task["kind"] == "medication_review"
    return person_id, task, pharmacist


def reviews(api, person_id) -> list[dict]:
    return api("key_worker").get(f"/people/{person_id}/medication-reviews").json


def reviewed_in_the_figure(app, person_id) -> tuple[bool, bool]:
    """(in the numerator, in the denominator) of MED-REVIEWED for this month."""
    with app.app_context():
        period = period_containing(TODAY, "month")

        def part(name):
            return person_id in members(code="MED-REVIEWED", period=period, part=name, today=TODAY)

        return part("numerator"), part("denominator")


def test_marking_a_review_task_done_with_nothing_recorded_is_refused(app, api, flagged):
    person_id, task, pharmacist = flagged
    bare = pharmacist.post(
        f"/api/v1/tasks/{task['id']}/complete", json={"version": task["version"]}
    )
    assert bare.status_code == 422 and "review_outcome" in bare.json["errors"]["json"]
    assert review_tasks(app, person_id) == [task["id"]] and reviews(api, person_id) == []
    page = app.test_client()
    page.post("/sign-in", data={"email": PHARMACIST, "password": PASSWORD})
    shown = text_of(page.get("/tasks"))
    assert "What the review decided" in shown and "Close: review not needed" in shown
    refused = page.post(f"/tasks/{task['id']}/complete", data={"version": task["version"]})
    assert refused.status_code == 422
    assert "Record what the medication review decided" in text_of(refused)
    assert review_tasks(app, person_id) == [task["id"]] and reviews(api, person_id) == []


def test_a_review_recorded_from_the_task_closes_it_and_counts(app, api, flagged):
    person_id, task, pharmacist = flagged
    assert reviewed_in_the_figure(app, person_id) == (False, True)
    done = pharmacist.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={"version": task["version"], "review_outcome": "All four still needed"},
    )
    assert done.status_code == 200 and done.json["status"] == "done"
    (review,) = reviews(api, person_id)
    assert (
        review["outcome"] == "All four still needed" and review["reviewed_on"] == TODAY.isoformat()
    )
    assert review_tasks(app, person_id) == []
    assert reviewed_in_the_figure(app, person_id) == (True, True)
    actions = [r.action for r in audit_rows(app, person_id=person_id)]
    assert "tasks.complete" in actions and "medicines.review" in actions


def test_review_not_needed_closes_the_task_with_its_reason_and_does_not_count(app, api, flagged):
    person_id, task, pharmacist = flagged
    done = pharmacist.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={"version": task["version"], "not_needed_reason": "Reviewed by her GP last week"},
    )
    assert done.status_code == 200 and done.json["outcome"] == {
        "not_needed_reason": "Reviewed by her GP last week"
    }
    assert review_tasks(app, person_id) == [] and reviews(api, person_id) == []
    # the board's figure: on four medicines, not reviewed
    assert reviewed_in_the_figure(app, person_id) == (False, True)
    (row,) = [
        r for r in audit_rows(app, person_id=person_id) if r.action == "medicines.review_not_needed"
    ]
    assert row.reason == "Reviewed by her GP last week"


def test_review_not_needed_from_the_tasks_page(app, api, flagged):
    person_id, task, _ = flagged
    page = app.test_client()
    page.post("/sign-in", data={"email": PHARMACIST, "password": PASSWORD})
    done = page.post(
        f"/tasks/{task['id']}/complete",
        data={"version": task["version"], "not_needed_reason": "In hospital; ward pharmacist"},
    )
    assert done.status_code == 302
    assert review_tasks(app, person_id) == [] and reviews(api, person_id) == []


def test_a_review_and_not_needed_together_are_refused(app, api, flagged):
    person_id, task, pharmacist = flagged
    both = pharmacist.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={"version": task["version"], "review_outcome": "Fine", "not_needed_reason": "GP"},
    )
    assert both.status_code == 422 and "not_needed_reason" in both.json["errors"]["json"]
    assert review_tasks(app, person_id) == [task["id"]] and reviews(api, person_id) == []
