"""The workers given an enquiry's actions are told (a task on their own list), read what
the lead shares, mark their own actions done, and do not steer the enquiry."""

import datetime as dt

import pytest

from caremap.core.extensions import db
from caremap.safeguarding.models import EnquiryAction
from caremap.worktasks.enums import TaskStatus
from caremap.worktasks.models import Task
from tests.conftest import audit_rows, text_of, user
from tests.safeguarding.answers import SAC_ANSWERS
from tests.safeguarding.test_safeguarding import _triage, raise_one

DUE = dt.date.today() + dt.timedelta(days=10)


def _enquiry(api, make_person):
    """A section 42 enquiry led by the run's safeguarding lead; (person id, enquiry)."""
    person_id = make_person(role="key_worker")
    raised = raise_one(api, person_id)
    concern = api("safeguarding_lead").get(f"/safeguarding/concerns/{raised['id']}").json
    return person_id, _triage(api, concern).json["enquiry"]


def _give(app, api, enquiry, owner_role, description="Ring the bank about the carer card"):
    with app.app_context():
        owner_id = user(owner_role).id
    response = api("safeguarding_lead").post(
        f"/safeguarding/enquiries/{enquiry['id']}/actions",
        json={"description": description, "owner_id": owner_id, "due_on": DUE.isoformat()},
    )
    assert response.status_code == 201, response.json
    return response.json


def _row(app, model, key):
    with app.app_context():
        return db.session.get(model, key)


def test_the_owner_gets_a_task_due_with_the_action_that_closes_when_it_is_done(
    app, api, make_person
):
    person_id, enquiry = _enquiry(api, make_person)
    action = _give(app, api, enquiry, "key_worker")
    tasks = [t for t in api("key_worker").get("/tasks").json if t["id"] == action["task_id"]]
    assert len(tasks) == 1, "the action is on its owner's own task list"
    (task,) = tasks
    assert task["kind"] == "safeguarding_action" and task["due_on"] == DUE.isoformat()
    assert task["person_id"] == person_id
    # The title names the concern, never the work: a team lead sees the owner's list.
    assert "bank" not in task["title"]
    done = api("key_worker").post(
        f"/safeguarding/actions/{action['id']}/done", json={"version": action["version"]}
    )
    assert done.status_code == 200, done.json
    assert _row(app, Task, action["task_id"]).status == TaskStatus.DONE
    closed = [r for r in audit_rows(app, person_id=person_id) if r.action == "tasks.close"]
    assert [r.changes["task_id"] for r in closed] == [action["task_id"]]


def test_completing_the_task_from_the_tasks_page_marks_the_action_done(
    app, client, login_as, api, make_person
):
    """The worker expects "Done" on their task to be the action done, not a second step."""
    _, enquiry = _enquiry(api, make_person)
    action = _give(app, api, enquiry, "key_worker")
    task = _row(app, Task, action["task_id"])
    login_as("key_worker")
    response = client.post(f"/tasks/{task.id}/complete", data={"version": task.version})
    assert response.status_code == 302, text_of(response)[:500]
    row = _row(app, EnquiryAction, action["id"])
    assert row.done_at is not None and row.done_by_id == user_id(app, "key_worker")
    assert _row(app, Task, task.id).status == TaskStatus.DONE
    # And the enquiry may now conclude: nothing is left open.
    current = api("safeguarding_lead").get(f"/safeguarding/enquiries/{enquiry['id']}").json
    assert [a["done_at"] is not None for a in current["actions"]] == [True]


def test_someone_who_may_work_on_the_task_but_not_on_the_enquiry_is_refused(app, api, make_person):
    """An admin may work on anyone's task, but has no part in the enquiry: the task stays
    open, the action undone, and the refusal says who may mark it done."""
    _, enquiry = _enquiry(api, make_person)
    action = _give(app, api, enquiry, "key_worker")
    task = _row(app, Task, action["task_id"])
    refused = api("admin").post(f"/tasks/{task.id}/complete", json={"version": task.version})
    assert refused.status_code == 403, refused.json
    assert "owner" in refused.json["errors"]["json"]["status"][0]
    assert _row(app, Task, task.id).status == TaskStatus.OPEN
    assert _row(app, EnquiryAction, action["id"]).done_at is None


def user_id(app, role):
    with app.app_context():
        return user(role).id


def test_the_owner_reads_the_shared_summary_and_their_own_actions_not_the_detail(
    app, api, make_person
):
    _, enquiry = _enquiry(api, make_person)
    mine = _give(app, api, enquiry, "key_worker")
    theirs = _give(app, api, enquiry, "practitioner", description="Speak to the nephew")
    current = api("safeguarding_lead").get(f"/safeguarding/enquiries/{enquiry['id']}").json
    shared = api("safeguarding_lead").post(
        f"/safeguarding/enquiries/{enquiry['id']}/summary",
        json={"version": current["version"], "shared_summary": "Money is being taken."},
    )
    assert shared.status_code == 200, shared.json
    brief = api("key_worker").get(f"/safeguarding/enquiries/{enquiry['id']}")
    assert brief.status_code == 200
    assert brief.json["shared_summary"] == "Money is being taken."
    assert [a["id"] for a in brief.json["actions"]] == [mine["id"]]
    body = brief.get_data(as_text=True)
    assert "nephew" not in body and "meetings" not in brief.json
    concern = api("key_worker").get(f"/safeguarding/concerns/{enquiry['concern_id']}").json
    assert "what_happened" not in concern and concern["reference"]
    assert theirs["id"] != mine["id"]
    assert "safeguarding.view_brief" in [
        r.action for r in audit_rows(app, actor_id=user_id(app, "key_worker"))
    ]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "meetings",
            {"kind": "strategy_meeting", "held_on": dt.date.today().isoformat(), "notes": "Met"},
        ),
        ("actions", {"description": "More", "owner_id": 0, "due_on": DUE.isoformat()}),
        ("summary", {"version": 0, "shared_summary": "All of it"}),
        (
            "conclude",
            {
                "version": 0,
                "substantiated": "fully",
                **SAC_ANSWERS,
                "risk_outcome": "removed",
                "outcomes_achieved": "fully",
                "closed_on": dt.date.today().isoformat(),
            },
        ),
    ],
)
def test_an_owner_does_not_steer_the_enquiry(app, api, make_person, path, body):
    """Only the enquiry's lead and safeguarding leads add meetings or actions, change what
    is shared, or conclude; the owner is told so (403), and nothing changes."""
    person_id, enquiry = _enquiry(api, make_person)
    _give(app, api, enquiry, "key_worker")
    current = api("safeguarding_lead").get(f"/safeguarding/enquiries/{enquiry['id']}").json
    if "version" in body:
        body = {**body, "version": current["version"]}
    if "owner_id" in body:
        body = {**body, "owner_id": user_id(app, "key_worker")}
    before = len(audit_rows(app, person_id=person_id))
    refused = api("key_worker").post(f"/safeguarding/enquiries/{enquiry['id']}/{path}", json=body)
    assert refused.status_code == 403, refused.json
    assert "lead" in refused.json["errors"]["json"]["status"][0]
    after = api("safeguarding_lead").get(f"/safeguarding/enquiries/{enquiry['id']}").json
    assert after == current
    reads = {"safeguarding.view", "safeguarding.view_brief"}
    assert {r.action for r in audit_rows(app, person_id=person_id)[before:]} <= reads


def test_an_owner_marks_only_their_own_action_done(app, api, make_person):
    _, enquiry = _enquiry(api, make_person)
    mine = _give(app, api, enquiry, "key_worker")
    theirs = _give(app, api, enquiry, "practitioner", description="Visit with the GP")
    refused = api("key_worker").post(
        f"/safeguarding/actions/{theirs['id']}/done", json={"version": theirs["version"]}
    )
    assert refused.status_code == 403 and "owner" in refused.json["errors"]["json"]["status"][0]
    assert _row(app, EnquiryAction, theirs["id"]).done_at is None
    done = api("key_worker").post(
        f"/safeguarding/actions/{mine['id']}/done", json={"version": mine["version"]}
    )
    assert done.status_code == 200 and done.json["done_at"]


def test_the_owners_pages_show_the_brief_and_mark_the_action_done(
    app, client, login_as, api, make_person
):
    _, enquiry = _enquiry(api, make_person)
    action = _give(app, api, enquiry, "key_worker")
    login_as("key_worker")
    listed = text_of(client.get("/safeguarding/mine"))
    assert "Ring the bank about the carer card" in listed
    page = client.get(f"/safeguarding/concerns/{enquiry['concern_id']}")
    assert page.status_code == 200
    text = text_of(page)
    assert "Your part in the enquiry" in text and "Nothing yet: ask" in text
    assert "nephew" not in text and "Conclude the enquiry" not in text
    assert "Record a strategy discussion" not in text
    done = client.post(
        f"/safeguarding/actions/{action['id']}/done", data={"version": action["version"]}
    )
    assert done.status_code == 302
    assert _row(app, EnquiryAction, action["id"]).done_at is not None
    refused = client.post(
        f"/safeguarding/enquiries/{enquiry['id']}/meetings",
        data={"kind": "strategy_meeting", "held_on": ["1", "1", "2026"], "notes": "Met"},
    )
    assert refused.status_code == 422
    assert "or a safeguarding lead can do this" in text_of(refused)


def test_the_my_concerns_page_title_is_plain_text(app, api, client, login_as, make_person):
    """The page's <title> once held the whole actions table (a template block misplaced)."""
    _, enquiry = _enquiry(api, make_person)
    _give(app, api, enquiry, "key_worker")
    login_as("key_worker")
    body = client.get("/safeguarding/mine").get_data(as_text=True)
    title = body.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "Concerns you raised" in title
