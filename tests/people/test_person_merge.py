"""Merging a duplicate: everything moves, the duplicate points at the survivor, reversibly."""

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.people.models import Person
from tests.conftest import audit_rows, valid_nhs_number


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
    merged = api_client.post(
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
    response = api("key_worker").post(f"/people/{a}/merge", json={"duplicate_id": b, "reason": "x"})
    assert response.status_code == 422 and "duplicate_id" in response.json["errors"]["json"]


def test_the_survivor_takes_an_nhs_number_only_the_duplicate_had(api, make_person):
    nhs = valid_nhs_number(707)
    a = make_person(role="key_worker", given_name="Tamsin", family_name="Rowe")
    b = make_person(role="key_worker", given_name="Tamsyn", family_name="Rowe", nhs_number=nhs)
    api("key_worker").post(f"/people/{a}/merge", json={"duplicate_id": b, "reason": "same"})
    assert api("key_worker").get(f"/people/{a}").json["person"]["nhs_number"] == nhs


def test_unmerge_reverses_a_merge_from_its_audit_row(app, api, make_person):
    from caremap.people.operations import unmerge_people
    from tests.conftest import user

    survivor, duplicate, api_client = _pair(api, make_person)
    api_client.post(
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
