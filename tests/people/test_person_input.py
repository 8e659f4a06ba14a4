"""Bad input names the field and the reason, and leaves the database unchanged."""

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.people.models import Person, StoryVersion
from tests.conftest import text_of

GOOD = {"given_name": "Lowenna", "family_name": "Carne", "date_of_birth": "1960-05-05"}

BAD_BODIES = [
    ({"nhs_number": "9434765918"}, "nhs_number"),  # wrong check digit
    ({"nhs_number": "943476591"}, "nhs_number"),  # nine digits
    ({"nhs_number": "94347A5919"}, "nhs_number"),
    ({"postcode": "XX1"}, "postcode"),
    ({"postcode": "PL4 6AB 7"}, "postcode"),
    ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
    ({"date_of_birth": 12}, "date_of_birth"),
    ({"date_of_death": "1950-01-01"}, "date_of_death"),
    ({"colour": "blue"}, "colour"),
    ({"given_name": "x" * 101}, "given_name"),
    ({"given_name": ""}, "given_name"),
    ({"interpreter_needed": "maybe"}, "interpreter_needed"),
    ({"email": "not-an-email"}, "email"),
    ({"gp_practice_code": "practice 1"}, "gp_practice_code"),
]


def _counts(app):
    with app.app_context():
        return (
            db.session.scalar(sa.select(sa.func.count()).select_from(Person)),
            db.session.scalar(sa.select(sa.func.count()).select_from(StoryVersion)),
        )


@pytest.mark.parametrize(("change", "field"), BAD_BODIES, ids=[f for _, f in BAD_BODIES])
def test_api_register_names_the_field_and_creates_nothing(app, api, change, field):
    before = _counts(app)
    response = api("practitioner").post("/people", json={**GOOD, **change})
    assert response.status_code == 422
    assert field in response.json["errors"]["json"], response.json
    assert _counts(app) == before


def test_over_long_story_and_wrong_types_are_refused(app, api, make_person):
    person_id = make_person(role="key_worker")
    before = _counts(app)
    client = api("key_worker")
    too_long = client.post(f"/people/{person_id}/story", json={"text": "x" * 10_001})
    assert (
        too_long.status_code == 422
        and "10000 characters or fewer" in too_long.json["errors"]["json"]["text"][0]
    )
    assert client.post(f"/people/{person_id}/story", json={"text": 7}).status_code == 422
    bad_patch = client.patch(f"/people/{person_id}", json={"postcode": "nope", "version": 1})
    assert bad_patch.status_code == 422 and "postcode" in bad_patch.json["errors"]["json"]
    assert (
        client.patch(f"/people/{person_id}", json={"town": "Looe"}).status_code == 422
    )  # no version
    assert (
        client.post(
            f"/people/{person_id}/story", data="{not json", content_type="application/json"
        ).status_code
        == 400
    )
    assert _counts(app) == before


def test_register_page_names_each_field(app, client, login_as):
    login_as("practitioner")
    before = _counts(app)
    response = client.post(
        "/people/new",
        data={
            "given_name": "",
            "family_name": "Carne",
            "date_of_birth": ["31", "2", "1960"],
            "nhs_number": "1234567890",
            "postcode": "XX1",
            "sex": "unknown",
        },
    )
    assert response.status_code == 422
    body = text_of(response)
    for message in ("Date of birth must be a real date", "Enter first name"):
        assert message in body, message
    response = client.post(
        "/people/new",
        data={
            "given_name": "Lowenna",
            "family_name": "Carne",
            "date_of_birth": ["5", "5", "1960"],
            "nhs_number": "1234567890",
            "postcode": "XX1",
            "sex": "unknown",
        },
    )
    body = text_of(response)
    assert "NHS number is not a valid NHS number" in body
    assert "Postcode is not a valid UK postcode" in body
    assert _counts(app) == before
