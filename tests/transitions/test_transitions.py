"""Transition planning: a flag and one task when a young person known to services reaches
15 years 6 months (configurable), and the responsibility end recorded (21 or 25)."""

import datetime as dt

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from caremap.cli import cli
from caremap.core.extensions import db
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.models import Task

TODAY = dt.date.today()


def born(years: int, months: int = 0, days: int = 0) -> str:
    return (TODAY - relativedelta(years=years, months=months, days=days)).isoformat()


def transition_tasks(app, person_id):
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Task).where(
                    Task.person_id == person_id, Task.kind == TaskKind.TRANSITION_PLAN
                )
            )
        )


def flags(api, person_id):
    return {f["code"]: f for f in api("key_worker").get(f"/people/{person_id}").json["flags"]}


def refer(api, person_id):
    return api("key_worker").post(
        "/referrals",
        json={
            "person_id": person_id,
            "source": "other_service",
            "referrer_name": "School nurse",
            "referrer_contact": "x",
            "needs": ["mental_health"],
            "urgency": "routine",
            "consent_to_share": True,
        },
    )


def test_referring_a_young_person_past_the_age_opens_one_task_and_raises_the_flag(
    app, api, make_person
):
    person_id = make_person(role="key_worker", date_of_birth=born(15, 7))
    assert "transition" not in flags(api, person_id)  # not yet known to services
    assert refer(api, person_id).status_code == 201
    assert len(transition_tasks(app, person_id)) == 1
    assert flags(api, person_id)["transition"]["label"] == "Transition planning due"
    refer(api, person_id)
    api("key_worker").post(
        "/referrals",
        json={
            "person_id": person_id,
            "source": "other_service",
            "referrer_name": "GP",
            "referrer_contact": "x",
            "needs": ["weight"],
            "urgency": "routine",
            "consent_to_share": True,
        },
    )
    assert len(transition_tasks(app, person_id)) == 1  # never twice


def test_younger_or_adult_people_get_no_task(app, api, make_person):
    young = make_person(role="key_worker", date_of_birth=born(15, 5))
    adult = make_person(role="key_worker", date_of_birth=born(18, 0, 1))
    refer(api, young)
    refer(api, adult)
    assert transition_tasks(app, young) == [] and transition_tasks(app, adult) == []


def test_the_daily_job_finds_those_who_reached_the_age_since(app, api, make_person):
    person_id = make_person(
        role="key_worker", date_of_birth=born(15, 6, -40)
    )  # reaches it in ~40 days
    refer(api, person_id)
    assert transition_tasks(app, person_id) == []
    app.config["TRANSITION_AGE_MONTHS"] = 184
    try:
        result = app.test_cli_runner().invoke(cli, ["tasks", "daily"])
    finally:
        app.config["TRANSITION_AGE_MONTHS"] = 186
    assert result.exit_code == 0, result.output
    assert len(transition_tasks(app, person_id)) == 1


def test_the_plan_records_when_responsibility_ends(api, make_person):
    person_id = make_person(role="key_worker", date_of_birth=born(16))
    refer(api, person_id)
    send = api("key_worker").put(f"/people/{person_id}/transition-plan", json={"basis": "send"})
    assert send.status_code == 200
    assert (
        send.json["responsibility_ends_on"]
        == (dt.date.fromisoformat(born(16)) + relativedelta(years=25)).isoformat()
    )
    assert flags(api, person_id)["transition"]["label"].startswith("Transition: support to")
    leaving = api("key_worker").put(
        f"/people/{person_id}/transition-plan", json={"basis": "leaving_care"}
    )
    assert (
        leaving.json["responsibility_ends_on"]
        == (dt.date.fromisoformat(born(16)) + relativedelta(years=21)).isoformat()
    )
    bad = api("key_worker").put(f"/people/{person_id}/transition-plan", json={"basis": "forever"})
    assert bad.status_code == 422 and "basis" in bad.json["errors"]["json"]
