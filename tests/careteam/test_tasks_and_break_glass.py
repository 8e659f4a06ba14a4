"""Work queues (day-91 follow-ups, referral responses, team leads) and break-glass access."""

import datetime as dt

import sqlalchemy as sa

from caremap.access.models import BreakGlass
from caremap.core.extensions import db
from tests.conftest import PASSWORD, audit_rows, text_of


def _reablement_episode(api, make_person, worker):
    """A person discharged ten days ago into reablement.

    Returns (person id, episode, the reablement worker's client, referral)."""
    _, rea = worker("rea@test.example", team="reablement-plymouth")
    person_id = make_person(date_of_birth="1941-02-11")
    body = {
        "person_id": person_id,
        "source": "hospital",
        "referrer_name": "Ward 7",
        "referrer_contact": "ward7@nhs",
        "needs": ["hospital_discharge"],
        "urgency": "urgent",
        "consent_to_share": True,
    }
    (referral,) = api("practitioner").post("/referrals", json=body).json["referrals"]
    rea.post(f"/api/v1/referrals/{referral['id']}/accept", json={"version": referral["version"]})
    discharged = dt.date.today() - dt.timedelta(days=10)
    episode = rea.post(
        f"/api/v1/referrals/{referral['id']}/episode",
        json={"started_on": discharged.isoformat(), "discharged_on": discharged.isoformat()},
    ).json
    return person_id, episode, rea, referral


def test_a_referral_response_task_opens_with_the_referral_and_closes_when_answered(
    api, make_person, worker
):
    _, rea = worker("rea@test.example", team="reablement-plymouth")
    person_id = make_person(date_of_birth="1941-02-11")
    body = {
        "person_id": person_id,
        "source": "gp",
        "referrer_name": "Dr Hale",
        "referrer_contact": "x",
        "needs": ["hospital_discharge"],
        "urgency": "routine",
        "consent_to_share": True,
    }
    (referral,) = api("practitioner").post("/referrals", json=body).json["referrals"]
    tasks = [t for t in rea.get("/api/v1/tasks").json if t["referral_id"] == referral["id"]]
    assert [t["kind"] for t in tasks] == ["referral_response"]
    assert tasks[0]["due_on"] == referral["due_at"][:10]
    rea.post(f"/api/v1/referrals/{referral['id']}/accept", json={"version": referral["version"]})
    assert not [t for t in rea.get("/api/v1/tasks").json if t["referral_id"] == referral["id"]]


def test_reablement_after_discharge_schedules_a_day_91_follow_up_and_completing_it_records_where(
    app, api, make_person, worker
):
    person_id, episode, rea, _ = _reablement_episode(api, make_person, worker)
    (task,) = [t for t in rea.get("/api/v1/tasks").json if t["kind"] == "day91_follow_up"]
    assert task["episode_id"] == episode["id"] and task["due_on"] == episode["follow_up_due_on"]
    missing = rea.post(f"/api/v1/tasks/{task['id']}/complete", json={"version": task["version"]})
    assert missing.status_code == 422 and "day91_outcome" in missing.json["errors"]["json"]
    done = rea.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={
            "version": task["version"],
            "episode_version": episode["version"],
            "day91_outcome": "in_care_home",
            "day91_outcome_on": dt.date.today().isoformat(),
        },
    )
    assert done.status_code == 200 and done.json["status"] == "done"
    episodes = rea.get(f"/api/v1/people/{person_id}/episodes").json
    assert episodes[0]["day91_outcome"] == "in_care_home"
    assert "tasks.complete" in [row.action for row in audit_rows(app, person_id=person_id)]


def test_overdue_work_is_seen_by_the_owner_and_the_team_lead_not_by_others(
    app, api, make_person, worker
):
    from caremap.worktasks.enums import TaskKind
    from caremap.worktasks.operations import create_task

    owner_id, owner = worker("owner@test.example")
    _, lead = worker("lead@test.example", team_lead=True)
    _, outsider = worker("outsider@test.example", team="reablement-plymouth", team_lead=True)
    person_id = make_person(role="key_worker")
    with app.app_context():
        from caremap.auth.models import User

        create_task(
            actor=None,
            person_id=person_id,
            kind=TaskKind.OTHER,
            title="Call back about housing",
            due_on=dt.date.today() - dt.timedelta(days=3),
            owner_user=db.session.get(User, owner_id),
        )
        db.session.commit()
    for client, sees in ((owner, True), (lead, True), (outsider, False)):
        titles = [t["title"] for t in client.get("/api/v1/tasks").json]
        assert ("Call back about housing" in titles) is sees
    (task,) = [t for t in lead.get("/api/v1/tasks").json if t["title"] == "Call back about housing"]
    assert task["overdue"] is True


def test_tasks_page_lets_the_team_complete_a_day_91_follow_up(app, api, make_person, worker):
    person_id, episode, rea, _ = _reablement_episode(api, make_person, worker)
    page = app.test_client()
    page.post("/sign-in", data={"email": "rea@test.example", "password": PASSWORD})
    body = text_of(page.get("/tasks"))
    assert "Where is the person 91 days after discharge?" in body
    (task,) = [t for t in rea.get("/api/v1/tasks").json if t["kind"] == "day91_follow_up"]
    bad = page.post(f"/tasks/{task['id']}/complete", data={"version": task["version"]})
    assert bad.status_code == 422 and "Say where the person is" in text_of(bad)
    today = dt.date.today()
    good = page.post(
        f"/tasks/{task['id']}/complete",
        data={
            "version": task["version"],
            "episode_version": episode["version"],
            "day91_outcome": "in_hospital",  # "at home" waits for day 91; this can be known now
            "day91_outcome_on": [str(today.day), str(today.month), str(today.year)],
        },
    )
    assert good.status_code == 302, text_of(good)[:600]
    episodes = rea.get(f"/api/v1/people/{person_id}/episodes").json
    assert episodes[0]["day91_outcome"] == "in_hospital"


def test_break_glass_opens_the_record_for_a_while_with_a_banner_and_is_reviewed(
    app, api, client, login_as, make_person
):
    person_id = make_person(role="key_worker", given_name="Ursula", family_name="Venning")
    login_as("practitioner")
    identity = client.get(f"/people/{person_id}")
    assert "Emergency access" in text_of(identity) and "Change identity" not in text_of(identity)
    short = client.post(f"/people/{person_id}/break-glass", data={"reason": "need"})
    assert short.status_code == 422 and "must say why" in text_of(short)
    opened = client.post(
        f"/people/{person_id}/break-glass", data={"reason": "Unconscious in ED, need medicines"}
    )
    assert opened.status_code == 302
    record = text_of(client.get(f"/people/{person_id}"))
    assert "You broke glass to see this record" in record and "Unconscious in ED" in record
    assert client.get(f"/people/{person_id}/story").status_code == 200
    with app.app_context():
        db.session.execute(
            sa.update(BreakGlass).values(
                expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
            )
        )
        db.session.commit()
    assert client.get(f"/people/{person_id}/story").status_code == 404
    queue = api("admin").get("/break-glass").json
    (entry,) = [g for g in queue if g["person_id"] == person_id]
    assert entry["reviewed_at"] is None and entry["reason"] == "Unconscious in ED, need medicines"
    path = f"/break-glass/{entry['id']}/review"
    no_outcome = api("admin").post(path, json={"note": "Checked with ED: justified"})
    assert no_outcome.status_code == 422 and "outcome" in no_outcome.json["errors"]["json"]
    reviewed = api("admin").post(
        path, json={"note": "Checked with ED: justified", "outcome": "appropriate"}
    )
    assert reviewed.status_code == 200 and reviewed.json["reviewed_at"]
    assert reviewed.json["review_outcome"] == "appropriate"
    again = api("admin").post(path, json={"note": "twice", "outcome": "escalated"})
    assert again.status_code == 409
    assert "access.break_glass" in [row.action for row in audit_rows(app, person_id=person_id)]


def test_managers_cannot_break_glass_and_only_admins_review(api, make_person):
    person_id = make_person(role="key_worker")
    refused = api("manager").post(
        f"/people/{person_id}/break-glass", json={"reason": "I would like to look please"}
    )
    assert refused.status_code == 403
    assert api("practitioner").get("/break-glass").status_code == 404


def test_break_glass_is_refused_when_the_record_is_already_open_to_you(api, make_person):
    person_id = make_person(role="key_worker")
    response = api("key_worker").post(
        f"/people/{person_id}/break-glass", json={"reason": "Just checking something"}
    )
    assert response.status_code == 422
