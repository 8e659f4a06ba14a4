"""Registering: likely duplicates are shown first; the worker picks one or confirms."""

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.people.models import Person
from tests.conftest import audit_rows, text_of, valid_nhs_number


def count_people(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Person))


def body(**overrides):
    return {
        "given_name": "Margaret",
        "family_name": "Penwarden",
        "date_of_birth": "1944-03-07",
        "postcode": "PL5 3BX",
        **overrides,
    }


def test_register_creates_one_record_with_a_local_reference_and_an_audit_row(app, api):
    response = api("practitioner").post("/people", json=body(nhs_number=valid_nhs_number(101)))
    assert response.status_code == 201
    assert response.json["local_ref"].startswith("CM") and len(response.json["local_ref"]) == 10
    assert [r.action for r in audit_rows(app, person_id=response.json["id"])] == ["people.register"]


def test_the_same_nhs_number_is_refused_outright(app, api):
    nhs = valid_nhs_number(202)
    api("practitioner").post("/people", json=body(nhs_number=nhs))
    before = count_people(app)
    again = api("practitioner").post(
        "/people",
        json=body(
            given_name="Other", family_name="Person", nhs_number=nhs, confirm_no_duplicate=True
        ),
    )
    assert again.status_code == 409 and "nhs_number" in again.json["errors"]["json"]
    assert count_people(app) == before


def test_similar_name_with_same_or_swapped_birth_date_or_same_postcode_is_a_likely_duplicate(
    app, api
):
    client = api("practitioner")
    first = client.post("/people", json=body()).json
    cases = [
        (body(family_name="Penwardon"), "similar name, same date of birth"),
        (
            body(family_name="Penwardon", date_of_birth="1944-07-03", postcode=None),
            "similar name, date of birth with day and month swapped",
        ),
        (body(given_name="Margret", date_of_birth="1944-03-08"), "similar name, same postcode"),
    ]
    for details, reason in cases:
        before = count_people(app)
        response = client.post("/people", json=details)
        assert response.status_code == 409, details
        (match,) = [d for d in response.json["duplicates"] if d["person"]["id"] == first["id"]]
        assert reason in match["reasons"]
        assert set(match["person"]) == {
            "id",
            "local_ref",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "nhs_number",
            "nhs_number_display",
            "postcode",
            "access",
        }
        assert count_people(app) == before
    confirmed = client.post("/people", json={**cases[0][0], "confirm_no_duplicate": True})
    assert confirmed.status_code == 201


def test_a_different_name_with_the_same_birth_date_is_not_a_duplicate(api):
    client = api("practitioner")
    client.post("/people", json=body())
    assert (
        client.post(
            "/people", json=body(given_name="Bartholomew", family_name="Yelland")
        ).status_code
        == 201
    )


def test_register_page_shows_the_matches_before_creating(app, client, login_as):
    login_as("practitioner")
    form = {
        "given_name": "Margaret",
        "family_name": "Penwarden",
        "date_of_birth": ["7", "3", "1944"],
        "postcode": "PL5 3BX",
        "sex": "female",
    }
    assert client.post("/people/new", data=form).status_code == 302
    before = count_people(app)
    held = client.post("/people/new", data={**form, "family_name": "Penwardon"})
    assert held.status_code == 303  # post/redirect/get: the warning is a page got
    shown = client.get(held.headers["Location"])
    assert shown.status_code == 200
    page = text_of(shown)
    assert (
        "This person may already have a record" in page
        and "Use Margaret Penwarden's record" in page
    )
    assert count_people(app) == before
    created = client.post(
        "/people/new", data={**form, "family_name": "Penwardon", "confirm_no_duplicate": "y"}
    )
    assert created.status_code == 302 and count_people(app) == before + 1
