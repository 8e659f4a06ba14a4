"""The same medicine already taken (its dm+d code, or its name ignoring case and spaces)
is recorded again only as a confirmed second course: the count never doubles silently."""

import datetime as dt

from tests.conftest import audit_rows, text_of
from tests.medicines.test_medicines import medicine

TODAY = dt.date.today()


def taken(api, person_id) -> list[str]:
    meds = api("key_worker").get(f"/people/{person_id}/medicines").json
    return [m["name"] for m in meds if m["stopped_on"] is None]


def test_the_same_name_again_answers_409_unless_confirmed(app, api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    assert (
        client.post(f"/people/{person_id}/medicines", json=medicine("Metformin")).status_code == 201
    )
    again = client.post(f"/people/{person_id}/medicines", json=medicine(" MET formin "))
    assert again.status_code == 409
    (message,) = again.json["errors"]["json"]["name"]
    assert "second course" in message
    assert taken(api, person_id) == ["Metformin"]
    confirmed = client.post(
        f"/people/{person_id}/medicines",
        json=medicine(" MET formin ", confirm_second_course=True),
    )
    assert confirmed.status_code == 201
    assert len(taken(api, person_id)) == 2
    written = [
        r.changes
        for r in audit_rows(app, person_id=person_id)
        if r.action == "medicines.record" and r.changes and "medicine_id" in r.changes
    ]
    assert [bool(c.get("second_course")) for c in written] == [False, True]


def test_the_same_dmd_code_under_another_name_answers_409(api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    first = medicine("Paracetamol", dmd_code="322236009")
    assert client.post(f"/people/{person_id}/medicines", json=first).status_code == 201
    again = client.post(
        f"/people/{person_id}/medicines", json=medicine("Panadol", dmd_code="322236009")
    )
    assert again.status_code == 409 and "dmd_code" in again.json["errors"]["json"]
    assert taken(api, person_id) == ["Paracetamol"]


def test_a_stopped_medicine_is_no_duplicate(api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    first = client.post(f"/people/{person_id}/medicines", json=medicine("Ramipril")).json
    client.post(
        f"/medicines/{first['id']}/stop",
        json={"stopped_on": TODAY.isoformat(), "reason": "Cough", "version": first["version"]},
    )
    assert (
        client.post(f"/people/{person_id}/medicines", json=medicine("Ramipril")).status_code == 201
    )


def test_the_page_warns_and_asks_to_confirm_a_second_course(client, api, login_as, make_person):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    form = {
        "name": "Amlodipine",
        "dose": "5 mg",
        "route": "oral",
        "frequency": "once a day",
        "started_on": ["1", "1", "2026"],
        "source": "pharmacist",
    }
    assert "second course" not in text_of(client.get(f"/people/{person_id}/medicines"))
    assert client.post(f"/people/{person_id}/medicines", data=form).status_code == 302
    warned = client.post(f"/people/{person_id}/medicines", data={**form, "name": "amlodipine"})
    assert warned.status_code == 409
    page = text_of(warned)
    assert "Amlodipine 5 mg (once a day) is already taken" in page
    assert 'name="confirm_second_course"' in page
    assert taken(api, person_id) == ["Amlodipine"]
    confirmed = client.post(
        f"/people/{person_id}/medicines",
        data={**form, "name": "amlodipine", "confirm_second_course": "y"},
    )
    assert confirmed.status_code == 302
    assert len(taken(api, person_id)) == 2
