"""Merging a duplicate: an admin's act; everything moves, the duplicate points at the
survivor, reversibly, and the registration that stands is the first one made."""

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.people.models import Person
from caremap.people.operations import unmerge_people
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.models import Task
from tests.conftest import audit_rows, user, valid_nhs_number


def _pair(api, make_person):
    survivor = make_person(
        role="key_worker",
        given_name="Hedley",
        family_name="Pascoe",
        nhs_number=valid_nhs_number(404),
    )
    # A duplicate is registered under a slip of the keyboard: the very same name and date
    # of birth would be held until someone said why it was a different person.
    duplicate = make_person(role="key_worker", given_name="Hedly", family_name="Pascoe")
    client = api("key_worker")
    client.post(
        f"/people/{duplicate}/story", json={"text": "Told on the duplicate.", "based_on_id": None}
    )
    client.post(
        f"/people/{duplicate}/consent", json={"status": "given", "decided_on": "2026-01-01"}
    )
    client.post(
        f"/people/{duplicate}/related-people",
        json={"name": "Ann Pascoe", "relationship_to_person": "wife", "is_next_of_kin": True},
    )
    client.get(f"/people/{duplicate}")  # a read of the duplicate, for the access log
    return survivor, duplicate, client


def test_merge_moves_everything_and_points_the_duplicate_at_the_survivor(
    app, api, client, login_as, make_person
):
    survivor, duplicate, api_client = _pair(api, make_person)
    merged = api("admin").post(
        f"/people/{survivor}/merge",
        json={"duplicate_id": duplicate, "reason": "Same person: GP confirmed"},
    )
    assert merged.status_code == 200
    assert [s["text"] for s in api_client.get(f"/people/{survivor}/story").json] == [
        "Told on the duplicate."
    ]
    assert len(api_client.get(f"/people/{survivor}/consent").json) == 1
    assert [r["name"] for r in api_client.get(f"/people/{survivor}/related-people").json] == [
        "Ann Pascoe"
    ]
    with app.app_context():
        gone = db.session.get(Person, duplicate)
        assert gone.status.value == "merged" and gone.merged_into_id == survivor
    login_as("key_worker")
    page = client.get(f"/people/{duplicate}")
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/people/{survivor}")
    (merge_row,) = [
        r
        for r in audit_rows(app, person_id=survivor, action="people.merge")
        if "moved" in (r.changes or {})
    ]
    assert merge_row.reason == "Same person: GP confirmed"
    assert merge_row.changes["moved"]["story_versions"]["person_id"]
    assert audit_rows(app, person_id=duplicate, action="people.merged_into")
    log = api_client.get(f"/people/{survivor}/access-log").json
    assert any(e["person_id"] == duplicate and e["action"] == "people.view" for e in log)


def test_records_with_different_nhs_numbers_cannot_be_merged(api, make_person):
    a = make_person(role="key_worker", nhs_number=valid_nhs_number(505))
    b = make_person(role="key_worker", nhs_number=valid_nhs_number(606))
    response = api("admin").post(f"/people/{a}/merge", json={"duplicate_id": b, "reason": "x"})
    assert response.status_code == 422 and "duplicate_id" in response.json["errors"]["json"]


def test_the_survivor_takes_an_nhs_number_only_the_duplicate_had(api, make_person):
    nhs = valid_nhs_number(707)
    a = make_person(role="key_worker", given_name="Tamsin", family_name="Rowe")
    b = make_person(role="key_worker", given_name="Tamsyn", family_name="Rowe", nhs_number=nhs)
    api("admin").post(f"/people/{a}/merge", json={"duplicate_id": b, "reason": "same"})
    assert api("key_worker").get(f"/people/{a}").json["person"]["nhs_number"] == nhs


def test_unmerge_reverses_a_merge_from_its_audit_row(app, api, make_person):
    survivor, duplicate, api_client = _pair(api, make_person)
    api("admin").post(
        f"/people/{survivor}/merge", json={"duplicate_id": duplicate, "reason": "Looked the same"}
    )
    with app.app_context():
        unmerge_people(
            actor=user("admin"),
            merged=db.session.get(Person, duplicate),
            reason="Twins, not one person",
        )
        db.session.commit()
    assert api_client.get(f"/people/{survivor}/story").json == []
    assert [s["text"] for s in api_client.get(f"/people/{duplicate}/story").json] == [
        "Told on the duplicate."
    ]
    with app.app_context():
        assert (
            db.session.scalar(sa.select(Person.status).where(Person.id == duplicate)).value
            == "live"
        )


def test_only_an_admin_may_merge_and_others_are_told_why(app, api, client, login_as, make_person):
    """A worker with full access to both records (their team registered both) is refused,
    403 naming the reason, by the API and the page; the page offers no merge to them."""
    survivor, duplicate, worker = _pair(api, make_person)
    refused = worker.post(
        f"/people/{survivor}/merge", json={"duplicate_id": duplicate, "reason": "Same person"}
    )
    assert refused.status_code == 403
    assert "Only an admin may merge" in refused.json["errors"]["json"]["duplicate_id"][0]
    login_as("key_worker")
    assert "Merge a duplicate" not in client.get(f"/people/{survivor}").get_data(as_text=True)
    page = client.get(f"/people/{survivor}/merge?duplicate_id={duplicate}")
    assert page.status_code == 403 and "Only an admin may merge" in page.get_data(as_text=True)
    posted = client.post(
        f"/people/{survivor}/merge", data={"duplicate_id": duplicate, "reason": "Same person"}
    )
    assert posted.status_code == 403
    with app.app_context():
        assert db.session.get(Person, duplicate).status.value == "live"
        assert not audit_rows(app, person_id=duplicate, action="people.merged_into")
    admin = login_as("admin", with_client=app.test_client())
    assert "Merge a duplicate" in admin.get(f"/people/{survivor}").get_data(as_text=True)
    assert admin.get(f"/people/{survivor}/merge").status_code == 200


def test_the_first_registration_stands_whichever_record_survives(app, api, make_person):
    """A worker registers a fresh record for someone known elsewhere and has it kept as the
    survivor: the merged record stays registered by the team that registered the person
    first, so the newcomer's team gains no lasting "registered" access (and unmerge puts
    the registration back)."""
    real = make_person(role="key_worker", given_name="Loveday", family_name="Jory")
    fresh = make_person(role="practitioner", given_name="Lovday", family_name="Jory")
    practitioner = api("practitioner")
    assert practitioner.get(f"/people/{fresh}/story").status_code == 200
    assert practitioner.get(f"/people/{real}/story").status_code == 404
    merged = api("admin").post(
        f"/people/{fresh}/merge", json={"duplicate_id": real, "reason": "Same person"}
    )
    assert merged.status_code == 200
    assert practitioner.get(f"/people/{fresh}/story").status_code == 404
    assert api("key_worker").get(f"/people/{fresh}/story").status_code == 200
    with app.app_context():
        survivor = db.session.get(Person, fresh)
        assert survivor.registered_by_team.code == "complex-needs-hub"
        (row,) = audit_rows(app, person_id=real, action="people.merged_into")
        assert set(row.changes["registration"]) == {"registered_by_team_id", "registered_by_id"}
        unmerge_people(
            actor=user("admin"), merged=db.session.get(Person, real), reason="Not the same"
        )
        db.session.commit()
    assert practitioner.get(f"/people/{fresh}/story").status_code == 200


def _notices(app, *person_ids):
    with app.app_context():
        return [
            (task.person_id, task.owner_team.code, task.title)
            for task in db.session.scalars(
                sa.select(Task)
                .where(Task.kind == TaskKind.MERGE_NOTICE, Task.person_id.in_(person_ids))
                .order_by(Task.id)
            )
        ]


def test_both_registering_teams_are_told_who_merged_and_why(app, api, make_person):
    """Each team that registered one of the records gets a merge notice naming the admin and
    the reason; the team that lost the registration gets it on its own (merged) record, so
    the notice opens nothing to it."""
    real = make_person(role="key_worker", given_name="Morwenna", family_name="Hosken")
    fresh = make_person(role="practitioner", given_name="Morwena", family_name="Hosken")
    api("admin").post(
        f"/people/{fresh}/merge", json={"duplicate_id": real, "reason": "One person, NHS 111"}
    )
    notices = _notices(app, real, fresh)
    assert sorted((person, team) for person, team, _ in notices) == sorted(
        [(fresh, "complex-needs-hub"), (real, "spa-triage")]
    )
    for _, _, title in notices:
        assert "Test Admin" in title and "One person, NHS 111" in title
    assert api("practitioner").get(f"/people/{fresh}/story").status_code == 404


def test_one_team_that_registered_both_records_is_told_once(app, api, make_person):
    survivor, duplicate, _ = _pair(api, make_person)
    api("admin").post(f"/people/{survivor}/merge", json={"duplicate_id": duplicate, "reason": "x"})
    assert [(p, team) for p, team, _ in _notices(app, survivor, duplicate)] == [
        (survivor, "complex-needs-hub")
    ]


def test_a_merge_notice_on_the_record_merged_away_can_be_marked_read(app, api, make_person):
    """The notice of the team that lost the registration names the merged record, which no
    longer opens; marking it read needs only the person's identity."""
    real = make_person(role="key_worker", given_name="Morwenna", family_name="Hosken")
    fresh = make_person(role="practitioner", given_name="Morwena", family_name="Hosken")
    api("admin").post(f"/people/{fresh}/merge", json={"duplicate_id": real, "reason": "One"})
    triage = api("practitioner")
    (notice,) = [
        t
        for t in triage.get("/tasks").json
        if t["kind"] == "merge_notice" and t["person_id"] == real
    ]
    done = triage.post(f"/tasks/{notice['id']}/complete", json={"version": notice["version"]})
    assert done.status_code == 200, done.json
    assert done.json["status"] == "done"
