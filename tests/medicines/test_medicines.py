"""Medicines, the polypharmacy flag and its review task, thresholds, and exact counts by date."""

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.medicines.models import Medicine
from tests.conftest import audit_rows, text_of

TODAY = dt.date.today()


def medicine(label, **changes):
    return {
        "name": label,
        "dose": "10 mg",
        "route": "oral",
        "frequency": "once a day",
        "started_on": (TODAY - dt.timedelta(days=30)).isoformat(),
        "source": "gp_record",
        **changes,
    }


def add(api, person_id, count, role="key_worker", start=0):
    client = api(role)
    ids = []
    for i in range(start, start + count):
        response = client.post(f"/people/{person_id}/medicines", json=medicine(f"Medicine {i}"))
        assert response.status_code == 201, response.json
        ids.append(response.json)
    return ids


def flags(api, person_id, role="key_worker"):
    return {f["code"]: f for f in api(role).get(f"/people/{person_id}").json["flags"]}


def review_tasks(app, person_id):
    """Open medication review tasks of the person, whoever owns them."""
    from caremap.worktasks.enums import TaskKind, TaskStatus
    from caremap.worktasks.models import Task

    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Task.id).where(
                    Task.person_id == person_id,
                    Task.kind == TaskKind.MEDICATION_REVIEW,
                    Task.status == TaskStatus.OPEN,
                )
            )
        )


def test_the_fourth_medicine_raises_the_flag_and_a_review_task_for_the_pharmacists(
    app, api, make_person, worker_token
):
    person_id = make_person(role="key_worker")
    add(api, person_id, 3)
    assert "polypharmacy" not in flags(api, person_id)
    add(api, person_id, 1, start=3)
    flag = flags(api, person_id)["polypharmacy"]
    assert (
        flag["severity"] == "warning"
        and "4 medicines" in flag["label"]
        and flag["link"].endswith("/medicines")
    )
    pharmacist = worker_token("pharm@test.example", "practitioner", "pharmacist-medication-review")
    (task,) = [t for t in pharmacist.get("/api/v1/tasks").json if t["person_id"] == person_id]
    assert task["kind"] == "medication_review"
    # The task is the pharmacists' reason to see the medicines, until the review is done.
    assert pharmacist.get(f"/api/v1/people/{person_id}/medicines").status_code == 200
    pharmacist.post(
        f"/api/v1/people/{person_id}/medication-reviews",
        json={"reviewed_on": TODAY.isoformat(), "outcome": "All still needed"},
    )
    assert pharmacist.get(f"/api/v1/people/{person_id}/medicines").status_code == 404


def test_with_a_lead_key_worker_the_task_goes_to_their_team(app, api, make_person):
    from tests.careteam.conftest import user_id_of

    person_id = make_person(role="key_worker")
    api("key_worker").post(
        f"/people/{person_id}/care-team/lead", json={"user_id": user_id_of(app, "key_worker")}
    )
    add(api, person_id, 4)
    tasks = [t for t in api("key_worker").get("/tasks").json if t["person_id"] == person_id]
    assert [t["kind"] for t in tasks] == ["medication_review"]


def test_ten_medicines_is_high_risk(api, make_person):
    person_id = make_person(role="key_worker")
    add(api, person_id, 10)
    flag = flags(api, person_id)["polypharmacy"]
    assert flag["severity"] == "high" and flag["label"].startswith("High-risk")


def test_a_review_closes_the_task_and_stopping_below_the_threshold_clears_the_flag(
    app, api, make_person
):
    person_id = make_person(role="key_worker")
    meds = add(api, person_id, 5)
    assert len(review_tasks(app, person_id)) == 1
    response = api("key_worker").post(
        f"/people/{person_id}/medication-reviews",
        json={
            "reviewed_on": TODAY.isoformat(),
            "stopped": [meds[0]["id"]],
            "outcome": "Stopped the duplicate statin",
        },
    )
    assert response.status_code == 201
    assert review_tasks(app, person_id) == []
    flag = flags(api, person_id)["polypharmacy"]  # still four: the flag stays, now reviewed
    assert "4 medicines" in flag["label"] and "Last reviewed" in flag["detail"]
    stopped = api("key_worker").post(
        f"/medicines/{meds[1]['id']}/stop",
        json={
            "stopped_on": TODAY.isoformat(),
            "reason": "No longer needed",
            "version": meds[1]["version"],
        },
    )
    assert stopped.status_code == 200
    assert "polypharmacy" not in flags(api, person_id)
    history = api("key_worker").get(f"/people/{person_id}/medicines").json
    assert len(history) == 5 and sum(m["stopped_on"] is not None for m in history) == 2
    actions = [r.action for r in audit_rows(app, person_id=person_id)]
    assert {"medicines.record", "medicines.review", "medicines.stop"} <= set(actions)


def test_counts_are_exact_at_any_date(app, api, make_person):
    from caremap.medicines.queries import count_people_with_at_least

    person_id = make_person(role="key_worker")
    client = api("key_worker")
    for i in range(4):
        client.post(
            f"/people/{person_id}/medicines",
            json=medicine(f"Dated {i}", started_on=(TODAY - dt.timedelta(days=100)).isoformat()),
        )
    with app.app_context():
        one = db.session.scalar(sa.select(Medicine).where(Medicine.person_id == person_id).limit(1))
        one.stopped_on = TODAY - dt.timedelta(days=50)
        db.session.commit()
        before_stop = count_people_with_at_least(4, on=TODAY - dt.timedelta(days=60))
        on_stop_day = count_people_with_at_least(4, on=TODAY - dt.timedelta(days=50))
        before_start = count_people_with_at_least(4, on=TODAY - dt.timedelta(days=101))
    assert before_stop - on_stop_day == 1  # stopped that day: not taken on it
    query = api("manager").get(
        "/medicines/count",
        query_string={"on": (TODAY - dt.timedelta(days=60)).isoformat(), "at_least": 4},
    )
    assert query.json["people"] == before_stop and before_start <= before_stop - 1


def test_thresholds_apply_to_everyone_at_once_by_a_recount(app, api, make_person):
    person_id = make_person(role="key_worker")
    add(api, person_id, 3)
    assert review_tasks(app, person_id) == []
    current = api("admin").get("/polypharmacy-thresholds").json
    bad = api("admin").put(
        "/polypharmacy-thresholds", json={"flag_at": 5, "high_at": 5, "version": current["version"]}
    )
    assert bad.status_code == 422 and "high_at" in bad.json["errors"]["json"]
    assert (
        api("key_worker")
        .put(
            "/polypharmacy-thresholds",
            json={"flag_at": 3, "high_at": 9, "version": current["version"]},
        )
        .status_code
        == 404
    )
    changed = api("admin").put(
        "/polypharmacy-thresholds", json={"flag_at": 3, "high_at": 9, "version": current["version"]}
    )
    assert changed.status_code == 200 and changed.json["review_tasks_opened"] >= 1
    assert "polypharmacy" in flags(api, person_id)
    assert len(review_tasks(app, person_id)) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dmd_code": "abc123"}, "dmd_code"),
        ({"started_on": (TODAY + dt.timedelta(days=2)).isoformat()}, "started_on"),
        ({"dose": ""}, "dose"),
        ({"route": "osmosis"}, "route"),
        ({"source": "rumour"}, "source"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_medicines_name_the_field_and_change_nothing(app, api, make_person, change, field):
    person_id = make_person(role="key_worker")
    response = api("key_worker").post(
        f"/people/{person_id}/medicines", json=medicine("Bad", **change)
    )
    assert response.status_code == 422 and field in response.json["errors"]["json"]
    assert api("key_worker").get(f"/people/{person_id}/medicines").json == []


def test_medicines_need_a_relationship(api, make_person):
    person_id = make_person(role="key_worker", given_name="Ottoline")
    for role in ("practitioner", "manager", "safeguarding_lead"):
        response = api(role).get(f"/people/{person_id}/medicines")
        assert response.status_code == 404 and "Ottoline" not in response.get_data(as_text=True)


def test_medicines_page_records_and_reviews(app, client, login_as, make_person):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    form = {
        "name": "Amlodipine",
        "dose": "5 mg",
        "route": "oral",
        "frequency": "once a day",
        "started_on": ["1", "1", "2026"],
        "source": "pharmacist",
    }
    assert client.post(f"/people/{person_id}/medicines", data=form).status_code == 302
    bad = client.post(f"/people/{person_id}/medicines", data={**form, "dose": ""})
    assert bad.status_code == 422 and "Enter dose" in text_of(bad)
    page = text_of(client.get(f"/people/{person_id}/medicines"))
    assert "Amlodipine" in page and "1 taken now" in page
