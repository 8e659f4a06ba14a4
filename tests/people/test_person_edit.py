"""Editing identity, my story, consent and carers: stale edits are refused and lose nothing."""

import re

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.people.models import StoryVersion
from tests.conftest import text_of


def test_identity_patch_with_a_stale_version_is_refused_and_changes_nothing(api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    version = client.get(f"/people/{person_id}").json["person"]["version"]
    first = client.patch(f"/people/{person_id}", json={"town": "Saltash", "version": version})
    assert first.status_code == 200 and first.json["version"] == version + 1
    stale = client.patch(f"/people/{person_id}", json={"phone": "01752 111111", "version": version})
    assert stale.status_code == 409 and "version" in stale.json["errors"]["json"]
    person = client.get(f"/people/{person_id}").json["person"]
    assert person["town"] == "Saltash" and person["phone"] is None


def test_identity_page_conflict_keeps_what_was_typed_and_then_saves_only_that(
    app, client, login_as, make_person, api
):
    person_id = make_person(role="key_worker", given_name="Iris", family_name="Chegwidden")
    login_as("key_worker")
    page = client.get(f"/people/{person_id}/identity").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    base = re.search(r'name="base" type="hidden" value="([^"]+)"', page).group(1)
    api("key_worker").patch(
        f"/people/{person_id}", json={"town": "Saltash", "version": int(version)}
    )
    form = {
        "given_name": "Iris",
        "family_name": "Chegwidden",
        "date_of_birth": ["7", "3", "1950"],
        "sex": "unknown",
        "postcode": "PL4 6AB",
        "phone": "01752 222333",
        "version": version,
        "base": base,
    }
    conflict = client.post(f"/people/{person_id}/identity", data=form)
    assert conflict.status_code == 409
    body = conflict.get_data(as_text=True)
    assert "Changed since you opened it" in body
    assert (
        'value="01752 222333"' in body and 'value="Saltash"' in body
    )  # theirs kept, the other's shown
    again = {
        **form,
        "version": re.search(r'name="version" type="hidden" value="(\d+)"', body).group(1),
        "base": re.search(r'name="base" type="hidden" value="([^"]+)"', body).group(1),
        "town": "Saltash",
    }
    assert client.post(f"/people/{person_id}/identity", data=again).status_code == 302
    person = api("key_worker").get(f"/people/{person_id}").json["person"]
    assert person["town"] == "Saltash" and person["phone"] == "01752 222333"


def test_a_tampered_base_is_refused(client, login_as, make_person):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    response = client.post(
        f"/people/{person_id}/identity", data={"given_name": "X", "version": "1", "base": "forged"}
    )
    assert response.status_code == 400


def test_story_versions_are_kept_and_a_stale_story_is_refused(app, api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    first = client.post(
        f"/people/{person_id}/story", json={"text": "I live alone.", "based_on_id": None}
    )
    second = client.post(
        f"/people/{person_id}/story",
        json={"text": "I live alone with my cat.", "based_on_id": first.json["id"]},
    )
    assert first.status_code == second.status_code == 201
    stale = client.post(
        f"/people/{person_id}/story", json={"text": "Other", "based_on_id": first.json["id"]}
    )
    assert stale.status_code == 409
    history = client.get(f"/people/{person_id}/story").json
    assert [v["text"] for v in history] == ["I live alone with my cat.", "I live alone."]
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(StoryVersion)
                .where(StoryVersion.person_id == person_id)
            )
            == 2
        )


def test_story_page_conflict_keeps_the_text_and_the_next_save_works(
    client, login_as, make_person, api
):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    page = client.get(f"/people/{person_id}/story").get_data(as_text=True)
    assert 'name="based_on_id" type="hidden" value=""' in page
    api("key_worker").post(
        f"/people/{person_id}/story", json={"text": "Written elsewhere.", "based_on_id": None}
    )
    conflict = client.post(
        f"/people/{person_id}/story", data={"text": "My words.", "based_on_id": ""}
    )
    assert conflict.status_code == 409
    body = conflict.get_data(as_text=True)
    assert "My words." in body and "Written elsewhere." in body
    based_on = re.search(r'name="based_on_id" type="hidden" value="(\d+)"', body).group(1)
    assert (
        client.post(
            f"/people/{person_id}/story", data={"text": "My words.", "based_on_id": based_on}
        ).status_code
        == 302
    )


def test_consent_history_and_the_flag_it_raises(api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    given = client.post(
        f"/people/{person_id}/consent", json={"status": "given", "decided_on": "2026-01-02"}
    )
    client.post(
        f"/people/{person_id}/consent",
        json={"status": "withdrawn", "decided_on": "2026-02-03", "based_on_id": given.json["id"]},
    )
    assert [c["status"] for c in client.get(f"/people/{person_id}/consent").json] == [
        "withdrawn",
        "given",
    ]
    flags = client.get(f"/people/{person_id}").json["flags"]
    assert any(f["code"] == "consent" and "withdrawn" in f["label"] for f in flags)


def test_carers_are_added_and_updated_with_a_version(api, client, login_as, make_person):
    person_id = make_person(role="key_worker")
    api_client = api("key_worker")
    carer = api_client.post(
        f"/people/{person_id}/related-people",
        json={
            "name": "Jean Hocking",
            "relationship_to_person": "daughter",
            "is_carer": True,
            "involved_in_care": False,
        },
    )
    assert carer.status_code == 201
    update = {
        "name": "Jean Hocking",
        "relationship_to_person": "daughter",
        "is_carer": True,
        "involved_in_care": True,
        "version": carer.json["version"],
    }
    assert (
        api_client.put(
            f"/people/{person_id}/related-people/{carer.json['id']}", json=update
        ).status_code
        == 200
    )
    assert (
        api_client.put(
            f"/people/{person_id}/related-people/{carer.json['id']}", json=update
        ).status_code
        == 409
    )
    login_as("key_worker")
    added = client.post(
        f"/people/{person_id}/carers/new",
        data={
            "name": "Bob Hocking",
            "relationship_to_person": "son",
            "is_next_of_kin": "y",
            "involved_in_care": "__none__",
        },
    )
    assert added.status_code == 302
    record = text_of(client.get(f"/people/{person_id}"))
    assert (
        "Jean Hocking" in record
        and "Included in care discussions: yes" in record
        and "Bob Hocking" in record
    )


def test_a_carer_with_their_own_record_shows_a_carer_flag(api, make_person):
    cared_for = make_person(role="key_worker", given_name="Arthur")
    carer = make_person(role="key_worker", given_name="Beryl")
    client = api("key_worker")
    bad = client.post(
        f"/people/{cared_for}/related-people",
        json={
            "name": "Beryl",
            "relationship_to_person": "wife",
            "is_carer": True,
            "carer_person_id": 999_999,
        },
    )
    assert bad.status_code == 422 and "carer_person_id" in bad.json["errors"]["json"]
    added = client.post(
        f"/people/{cared_for}/related-people",
        json={
            "name": "Beryl",
            "relationship_to_person": "wife",
            "is_carer": True,
            "involved_in_care": True,
            "carer_person_id": carer,
        },
    )
    assert added.status_code == 201
    flags = {f["code"]: f for f in client.get(f"/people/{carer}").json["flags"]}
    assert flags["carer"]["label"] == "Unpaid carer"
    assert "carer" not in {f["code"] for f in client.get(f"/people/{cared_for}").json["flags"]}
