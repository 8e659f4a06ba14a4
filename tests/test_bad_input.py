"""Bad input is refused naming the field, never a 500: ids beyond the database's integers
in paths and bodies, and NUL characters in text (PostgreSQL refuses both)."""

from __future__ import annotations

import pytest

HUGE = 10**12


@pytest.mark.parametrize(
    "path",
    [f"/people/{HUGE}", f"/referrals/{HUGE}", f"/safeguarding/concerns/{HUGE}"],
)
def test_an_id_beyond_the_database_is_not_found(api, path):
    response = api("admin").get(path)
    assert response.status_code == 404


def test_a_page_with_an_id_beyond_the_database_is_not_found(client, login_as):
    login_as("key_worker")
    assert client.get(f"/people/{HUGE}").status_code == 404


def test_a_number_beyond_the_database_in_a_body_names_the_field(api, make_person):
    person_id = make_person(role="key_worker")
    response = api("key_worker").post(f"/people/{person_id}/care-team/lead", json={"user_id": HUGE})
    assert response.status_code == 422
    assert "user_id" in response.json["errors"]["json"]


def test_a_nul_character_in_text_names_the_field_and_changes_nothing(api, make_person):
    person_id = make_person(role="key_worker")
    story = api("key_worker").get(f"/people/{person_id}/story")
    response = api("key_worker").post(
        f"/people/{person_id}/story", json={"text": "Lives alone\x00", "based_on_id": None}
    )
    assert response.status_code == 422
    assert response.json["errors"]["json"]["text"] == ["must not contain a NUL character"]
    assert api("key_worker").get(f"/people/{person_id}/story").json == story.json


def test_a_method_the_api_does_not_serve_is_405_with_allow(api):
    response = api("admin").delete("/catalogue/services")
    assert response.status_code == 405
    assert response.json["status"] == "Method Not Allowed"
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET"}


def test_a_float_where_an_id_belongs_names_the_field(api, make_person):
    person_id = make_person(role="key_worker")
    response = api("key_worker").post(f"/people/{person_id}/care-team/lead", json={"user_id": 1.0})
    assert response.status_code == 422
    assert "user_id" in response.json["errors"]["json"]
