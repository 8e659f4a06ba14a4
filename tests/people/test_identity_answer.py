"""Search results are PersonIdentitySchema's answer, written out without marshmallow.

identity_answer (people/schemas.py) is what the search API and a record read without a
relationship answer; these hold it to the schema's own dump, byte for byte through the
same JSON encoder, for people with and without the optional fields.
"""

import flask
import pytest

from caremap.core.extensions import db
from caremap.people.models import Person
from caremap.people.schemas import PersonIdentitySchema, identity_answer
from caremap.people.search import search_people
from tests.conftest import valid_nhs_number

PEOPLE = [
    {"given_name": "Morwenna", "family_name": "Trevail", "sex": "female", "postcode": None},
    {
        "given_name": "Morwenna",
        "family_name": "Trevails",
        "sex": "male",
        "date_of_birth": "1951-02-28",
        "nhs_number": valid_nhs_number(7711),
        "postcode": "PL1 2AB",
    },
    {"given_name": "Morwen", "family_name": "Trevail", "sex": "unknown", "postcode": "PL4 8AA"},
    {
        "given_name": "Morwenna",
        "family_name": "Trevail-Pascoe",
        "sex": "other",
        "nhs_number": valid_nhs_number(7712),
        "postcode": None,
    },
]


@pytest.fixture
def morwennas(make_person):
    return [make_person(**details) for details in PEOPLE]


def test_the_written_out_answer_is_the_schemas_for_rows_and_records(app, morwennas):
    with app.test_request_context():
        found = search_people(q="Morwenna Trevail")
        assert {p.id for p in found} == set(morwennas)
        records = [db.session.get(Person, p.id) for p in found]
        for shown in (found, records):  # search's rows, and the Person objects
            expected = PersonIdentitySchema(many=True).dump(shown)
            assert [identity_answer(p) for p in shown] == expected
        # Something was compared: the optional fields were both there and missing.
        assert {p.nhs_number is None for p in found} == {True, False}
        assert {p.postcode is None for p in found} == {True, False}


def test_the_search_api_answers_the_schemas_bytes(app, api, morwennas):
    response = api("practitioner").get("/people", query_string={"q": "Morwenna Trevail"})
    assert response.status_code == 200
    with app.test_request_context():
        found = search_people(q="Morwenna Trevail")
        expected = flask.jsonify(PersonIdentitySchema(many=True).dump(found)).data
    assert response.data == expected
    assert len(response.json) == len(morwennas)
