"""Which registrations are held as likely duplicates, beyond test_person_register.py."""

import pytest

from caremap.people.queries import typing_distance


def body(**overrides):
    return {
        "given_name": "Jack",
        "family_name": "Penwarden",
        "date_of_birth": "1951-05-19",
        "postcode": "PL6 5DH",
        **overrides,
    }


def test_one_slip_in_a_short_name_with_the_same_birth_date_is_a_likely_duplicate(api):
    client = api("practitioner")
    first = client.post("/people", json=body()).json
    response = client.post("/people", json=body(given_name="Jak", postcode=None))
    assert response.status_code == 409
    (match,) = [d for d in response.json["duplicates"] if d["person"]["id"] == first["id"]]
    assert match["reasons"] == ["similar name, same date of birth"]


def test_given_and_family_name_entered_the_wrong_way_round_is_a_likely_duplicate(api):
    client = api("practitioner")
    first = client.post("/people", json=body()).json
    response = client.post(
        "/people", json=body(given_name="Penwarden", family_name="Jack", postcode=None)
    )
    assert response.status_code == 409
    assert first["id"] in [d["person"]["id"] for d in response.json["duplicates"]]


def test_a_relative_at_the_same_address_is_not_a_duplicate(api):
    client = api("practitioner")
    client.post("/people", json=body())
    relative = body(given_name="Karen", date_of_birth="1954-02-11")
    assert client.post("/people", json=relative).status_code == 201


def test_a_shared_long_first_name_and_birth_date_alone_is_not_a_duplicate(api):
    client = api("practitioner")
    client.post("/people", json=body(given_name="Agnieszka", family_name="Treing"))
    other = body(given_name="Agnieszka", family_name="Erville", postcode="PL1 1AA")
    assert client.post("/people", json=other).status_code == 201


def test_the_duplicates_endpoint_answers_before_registering(api):
    client = api("practitioner")
    first = client.post("/people", json=body()).json
    response = client.get(
        "/people/duplicates",
        query_string={
            "given_name": "Jack",
            "family_name": "Penwardon",
            "date_of_birth": "1951-05-19",
        },
    )
    assert response.status_code == 200
    assert [d["person"]["id"] for d in response.json] == [first["id"]]


@pytest.mark.parametrize(
    ("a", "b", "limit", "close"),
    [
        ("jack", "jak", 1, True),
        ("jack", "jakc", 1, True),
        ("jack", "jacky", 1, True),
        ("jack", "john", 1, False),
        ("penwarden", "pnewardon", 2, True),
        ("penwarden", "pnewradon", 2, False),
        ("", "ab", 1, False),
    ],
)
def test_typing_distance(a, b, limit, close):
    assert typing_distance(a, b, limit=limit) is close
