"""Merged records in FHIR: Patient.link replaces / replaced-by, and a search for the
number of a record merged away finds the record that stands."""

from __future__ import annotations

import pytest

from caremap.core.extensions import db
from caremap.people import operations as people
from tests import factories
from tests.fhir.conftest import fhir_client
from tests.fhir.test_resources import validate


@pytest.fixture
def merged(app):
    """Two records of one person, merged by an admin: the duplicate held the NHS number
    (which the survivor takes)."""
    with app.app_context():
        admin = factories.staff("admin")
        reader = factories.make_user(role="key_worker", team="complex-needs-hub")
        nhs = factories.valid_nhs_number(515151)
        survivor = factories.make_person(
            actor=admin, given_name="Loveday", family_name="Trewin", date_of_birth="1950-05-05"
        )
        duplicate = factories.make_person(  # typed again, with a slip
            actor=admin,
            given_name="Lovday",
            family_name="Trewin",
            date_of_birth="1950-05-05",
            nhs_number=nhs,
        )
        factories.add_to_care_team(survivor, reader, actor=admin)
        people.merge_people(actor=admin, survivor=survivor, duplicate=duplicate, reason="Same")
        secret = factories.make_token(reader)
        db.session.commit()
        return {"survivor": survivor.id, "duplicate": duplicate.id, "nhs": nhs, "token": secret}


def test_the_survivor_says_which_records_it_replaces(app, merged):
    client = fhir_client(app, merged["token"])
    patient = client.get(f"/fhir/Patient/{merged['survivor']}").json
    validate(patient)
    assert patient["active"] is True
    assert patient["link"] == [
        {
            "other": {"reference": f"Patient/{merged['duplicate']}", "display": "Lovday Trewin"},
            "type": "replaces",
        }
    ]


def test_the_record_merged_away_points_to_the_survivor(app, merged):
    client = fhir_client(app, merged["token"])
    response = client.get(f"/fhir/Patient/{merged['duplicate']}")
    assert response.status_code == 200
    patient = response.json
    validate(patient)
    assert patient["active"] is False
    assert patient["link"][0]["type"] == "replaced-by"
    assert patient["link"][0]["other"]["reference"] == f"Patient/{merged['survivor']}"


def test_a_search_for_the_merged_away_number_returns_the_survivor(app, merged):
    client = fhir_client(app, merged["token"])
    bundle = client.get(f"/fhir/Patient?identifier={merged['nhs']}").json
    assert bundle["total"] == 1
    assert bundle["entry"][0]["resource"]["id"] == str(merged["survivor"])
    by_id = client.get(f"/fhir/Patient?_id={merged['duplicate']}").json
    assert [e["resource"]["id"] for e in by_id["entry"]] == [str(merged["survivor"])]


def test_everything_of_the_merged_away_record_is_the_survivors(app, merged):
    client = fhir_client(app, merged["token"])
    bundle = client.get(f"/fhir/Patient/{merged['duplicate']}/$everything").json
    patients = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert [p["id"] for p in patients] == [str(merged["survivor"])]
