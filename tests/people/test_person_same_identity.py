"""The same person, once: the very same name and date of birth as a live record holds a
registration until the worker opens that record or says why this is someone else."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from caremap.core.extensions import db
from caremap.people.models import IdentityCheck, Person
from tests.conftest import audit_rows, text_of, user, valid_nhs_number


def body(**overrides):
    return {
        "given_name": "Morwenna",
        "family_name": "Trethewey",
        "date_of_birth": "1939-06-14",
        "postcode": "PL2 1AB",
        **overrides,
    }


def count_people(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Person))


def checks(app) -> list[tuple[int, int, str, int]]:
    with app.app_context():
        rows = db.session.scalars(sa.select(IdentityCheck).order_by(IdentityCheck.id))
        return [(c.person_id, c.other_person_id, c.reason, c.checked_by_id) for c in rows]


def test_the_same_name_and_birth_date_is_refused_even_when_confirmed_naming_the_record(app, api):
    client = api("practitioner")
    first = client.post("/people", json=body()).json["id"]
    before = count_people(app)
    # Case and surrounding spaces aside, the same name; another postcode; "confirmed".
    again = body(
        given_name="  MORWENNA ",
        family_name="trethewey",
        postcode="TR1 2AA",
        confirm_no_duplicate=True,
    )
    response = client.post("/people", json=again)
    assert response.status_code == 409
    (message,) = response.json["errors"]["json"]["not_the_same_person_as"]
    assert f"id {first}" in message
    assert [p["id"] for p in response.json["same_name_and_date_of_birth"]] == [first]
    assert count_people(app) == before
    shown = audit_rows(app, action="people.duplicates_shown")
    assert shown and shown[-1].changes["candidates"] == [first]


def test_naming_the_record_without_a_reason_is_refused(app, api):
    client = api("practitioner")
    first = client.post("/people", json=body()).json["id"]
    before = count_people(app)
    response = client.post("/people", json=body(not_the_same_person_as=[first], reason="  "))
    assert response.status_code == 409 and "reason" in response.json["errors"]["json"]
    assert count_people(app) == before and checks(app) == []


def test_a_reason_for_a_record_that_is_not_a_match_or_for_none_is_refused(app, api, make_person):
    client = api("practitioner")
    first = client.post("/people", json=body()).json["id"]
    stranger = make_person(given_name="Ottoline", family_name="Jago")
    before = count_people(app)
    wrong = client.post(
        "/people", json=body(not_the_same_person_as=[first, stranger], reason="twins")
    )
    assert wrong.status_code == 422
    assert str(stranger) in wrong.json["errors"]["json"]["not_the_same_person_as"][0]
    alone = client.post("/people", json=body(family_name="Kitto", reason="not the same"))
    assert alone.status_code == 422 and "reason" in alone.json["errors"]["json"]
    assert count_people(app) == before and checks(app) == []


def test_saying_why_registers_and_both_records_show_who_checked_when_and_why(app, api):
    client = api("practitioner")
    first = client.post("/people", json=body(nhs_number=valid_nhs_number(811))).json["id"]
    reason = "Different GP and next of kin; she lives in Truro, not Plymouth"
    created = client.post(
        "/people", json=body(postcode="TR1 2AA", not_the_same_person_as=[first], reason=reason)
    )
    assert created.status_code == 201
    second = created.json["id"]
    with app.app_context():
        checker = user("practitioner").id
    assert checks(app) == [(second, first, reason, checker)]
    for me, other in ((first, second), (second, first)):
        (check,) = client.get(f"/people/{me}").json["identity_checks"]
        assert check["not_the_same_person_as"]["id"] == other
        assert check["reason"] == reason and check["checked_by"] == "Test Practitioner"
        assert check["checked_at"]
        (audited,) = audit_rows(app, person_id=me, action="people.identity_check")
        assert audited.reason == reason and audited.changes["not_the_same_person_as"] == other
        assert audit_rows(app, person_id=other, action="people.identity_check_shown")
    # A third registration must answer for both records now.
    third = client.post("/people", json=body(not_the_same_person_as=[first], reason="twins"))
    assert third.status_code == 409
    assert {p["id"] for p in third.json["same_name_and_date_of_birth"]} == {first, second}


def test_likely_matches_stay_a_warning_and_merged_records_do_not_hold(app, api, make_person):
    client = api("admin")
    first = client.post("/people", json=body()).json["id"]
    # A similar name with the same birth date: a warning the worker may pass.
    typo = body(family_name="Trethewy")
    assert client.post("/people", json=typo).status_code == 409
    assert client.post("/people", json={**typo, "confirm_no_duplicate": True}).status_code == 201
    # The same name, another birth date, the same postcode: a warning too.
    other_day = body(date_of_birth="1941-02-03")
    warned = client.post("/people", json=other_day)
    assert warned.status_code == 409 and "same_name_and_date_of_birth" not in warned.json
    # A merged record is no longer a live one to hold a registration.
    survivor = make_person(role="admin", given_name="Morwena", family_name="Trethewey")
    merged = client.post(f"/people/{survivor}/merge", json={"duplicate_id": first, "reason": "x"})
    assert merged.status_code == 200
    assert client.post("/people", json={**body(), "confirm_no_duplicate": True}).status_code == 201


def test_records_checked_as_different_people_cannot_be_merged(app, api):
    client = api("admin")
    first = client.post("/people", json=body()).json["id"]
    second = client.post(
        "/people", json=body(not_the_same_person_as=[first], reason="Twin sisters")
    ).json["id"]
    response = client.post(f"/people/{first}/merge", json={"duplicate_id": second, "reason": "x"})
    assert response.status_code == 422
    (message,) = response.json["errors"]["json"]["duplicate_id"]
    assert "Test Admin checked" in message and "Twin sisters" in message
    with app.app_context():
        assert db.session.get(Person, second).is_live


def test_a_check_names_two_records(app, make_person):
    person = make_person()
    with app.app_context():
        db.session.add(
            IdentityCheck(
                person_id=person,
                other_person_id=person,
                reason="x",
                checked_by_id=user("practitioner").id,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


FORM = {
    "given_name": "Morwenna",
    "family_name": "Trethewey",
    "date_of_birth": ["14", "6", "1939"],
    "postcode": "PL2 1AB",
    "sex": "female",
}


def test_the_page_offers_the_record_or_a_reason_and_both_records_show_the_check(
    app, client, login_as
):
    login_as("practitioner")
    registered = client.post("/people/new", data=FORM)
    assert registered.status_code == 302
    first = int(registered.headers["Location"].rsplit("/", 1)[1])
    before = count_people(app)

    held = client.post("/people/new", data={**FORM, "family_name": " TRETHEWEY "})
    assert held.status_code == 303  # post/redirect/get: the warning is a page got
    page = text_of(client.get(held.headers["Location"]))
    assert "A record already has this name and date of birth" in page
    assert f'href="/people/{first}">Open Morwenna Trethewey\'s record' in page
    assert "If this is a different person, say why" in page
    assert f'name="not_the_same_person_as" value="{first}"' in page

    no_reason = client.post("/people/new", data={**FORM, "not_the_same_person_as": str(first)})
    assert no_reason.status_code == 303
    assert "Enter why this is a different person" in text_of(
        client.get(no_reason.headers["Location"])
    )
    assert count_people(app) == before

    reason = "She has a different NHS number on the GP record"
    done = client.post(
        "/people/new", data={**FORM, "not_the_same_person_as": str(first), "reason": reason}
    )
    assert done.status_code == 302 and count_people(app) == before + 1
    second = int(done.headers["Location"].rsplit("/", 1)[1])
    for me, other in ((first, second), (second, first)):
        record = text_of(client.get(f"/people/{me}"))
        assert "Checked: not the same person as" in record
        assert f'href="/people/{other}">Morwenna Trethewey</a>' in record
        assert "Checked by Test Practitioner on" in record and reason in record


def test_the_identity_only_page_shows_the_check_too(app, api, client, login_as):
    first = api("key_worker").post("/people", json=body()).json["id"]
    api("key_worker").post("/people", json=body(not_the_same_person_as=[first], reason="Twins"))
    login_as("practitioner")  # another team: identity only
    page = text_of(client.get(f"/people/{first}"))
    assert "identity only" in page and "Checked: not the same person as" in page
