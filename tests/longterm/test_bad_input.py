"""Bad input is refused naming the field and the reason, and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.longterm import bodies

TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()

PROFILE_CASES = [
    ({"client_type": "service user"}, "client_type", "must be spelled “Service user”"),
    ({"ethnicity": "White"}, "ethnicity", "is not on the CLD Ethnicity list"),
    ({"accommodation_status": "Care home"}, "accommodation_status", "is not on the CLD"),
    ({"primary_support_reason": 7}, "primary_support_reason", "Not a valid string"),
    ({"dementia": "y"}, "dementia", "Not a valid boolean"),
    ({"colour": "blue"}, "colour", "Unknown field"),
]


@pytest.mark.parametrize(("change", "field", "reason"), PROFILE_CASES)
def test_a_bad_profile_is_refused_naming_the_field(api, make_person, change, field, reason):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    response = client.put(f"/people/{person_id}/social-care-profile", json=bodies.profile(**change))
    assert response.status_code == 422
    assert reason in " ".join(response.json["errors"]["json"][field])
    assert client.get(f"/people/{person_id}/social-care-profile").json["version"] is None


ASSESSMENT_CASES = [
    ({"assessment_type": "Carers assessment"}, "assessment_type", "is not on the CLD"),
    ({"method": None}, "method", "Missing data for required field"),
    ({"started_on": TOMORROW}, "started_on", "must be today or in the past"),
    ({"started_on": "1900-01-01"}, "started_on", "must not be before the person was born"),
    ({"ended_on": bodies.TODAY.isoformat()}, "outcome", "is required once the event has ended"),
    ({"outcome": "NFA: Deceased"}, "outcome", "give the end date too"),
    (
        {"ended_on": "2000-01-01", "outcome": "NFA: Other"},
        "ended_on",
        "must be on or after the start date",
    ),
    ({"hours_caring_per_week": "20"}, "hours_caring_per_week", "carer's assessment only"),
    (
        {"kind": "carers_assessment", "hours_caring_per_week": "200"},
        "hours_caring_per_week",
        "must be between 0 and 168",
    ),
    ({"referral_id": 2_000_000}, "referral_id", "is not one of this person's"),
    ({"wemwbs_score": 13}, "wemwbs_score", "must be a WEMWBS total, 14 to 70"),
    ({"wemwbs_score": 71}, "wemwbs_score", "must be a WEMWBS total, 14 to 70"),
    ({"wemwbs_score": 50.5}, "wemwbs_score", "Not a valid integer"),
]


@pytest.mark.parametrize(("change", "field", "reason"), ASSESSMENT_CASES)
def test_a_bad_assessment_is_refused_naming_the_field(api, make_person, change, field, reason):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    response = client.post(f"/people/{person_id}/assessments", json=bodies.assessment(**change))
    assert response.status_code == 422, response.json
    assert reason in " ".join(response.json["errors"]["json"][field])
    assert client.get(f"/people/{person_id}/assessments").json == []


def test_a_carer_cannot_be_their_own_cared_for_person(api, make_person):
    person_id = make_person(role="key_worker")
    response = api("key_worker").post(
        f"/people/{person_id}/assessments",
        json=bodies.assessment(kind="carers_assessment", cared_for_person_id=person_id),
    )
    assert response.status_code == 422
    assert (
        "someone other than the carer" in response.json["errors"]["json"]["cared_for_person_id"][0]
    )


PACKAGE_CASES = [
    ({"service_type": "Long Term Support: Community"}, "service_type", "must be spelled"),
    ({"service_component": "Home care"}, "service_component", "is not on the CLD"),
    ({"provider_cqc_location_id": "RK9"}, "provider_cqc_location_id", "must be a CQC location ID"),
    ({"unit_cost": "-1"}, "unit_cost", "must be between 0 and 100000"),
    ({"unit_cost": "lots"}, "unit_cost", "Not a valid number"),
    ({"planned_units_per_week": None}, "planned_units_per_week", "unless the council commissions"),
    ({"cost_frequency": "Every so often"}, "cost_frequency", "is not on the CLD"),
    ({"funded_by": "The council"}, "funded_by", "is not on the CLD"),
    ({"ended_on": TOMORROW, "outcome": "NFA: Other"}, "ended_on", "must be today or in the past"),
    ({"assessment_id": 2_000_000}, "assessment_id", "is not one of this person's"),
]


@pytest.mark.parametrize(("change", "field", "reason"), PACKAGE_CASES)
def test_a_bad_package_is_refused_naming_the_field(api, make_person, change, field, reason):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    response = client.post(f"/people/{person_id}/care-packages", json=bodies.package(**change))
    assert response.status_code == 422, response.json
    assert reason in " ".join(response.json["errors"]["json"][field])
    assert client.get(f"/people/{person_id}/care-packages").json == []


def test_a_package_the_council_commissions_needs_no_costs(api, make_person):
    person_id = make_person(role="key_worker")
    body = bodies.package(
        delivery_mechanism="CASSR commissioned support",
        unit_cost=None,
        cost_frequency=None,
        planned_units_per_week=None,
    )
    response = api("key_worker").post(f"/people/{person_id}/care-packages", json=body)
    assert response.status_code == 201, response.json


REVIEW_CASES = [
    ({"review_reason": "Annual"}, "review_reason", "is not on the CLD"),
    ({"method": "By post"}, "method", "is not on the CLD"),
    (
        {"ended_on": bodies.TODAY.isoformat(), "outcome": "Continuation of support or services"},
        "outcomes_achieved",
        "is required when a planned review ends",
    ),
    ({"care_package_id": 2_000_000}, "care_package_id", "is not one of this person's"),
    ({"wemwbs_score": 7}, "wemwbs_score", "the short SWEMWBS is not accepted"),
]


@pytest.mark.parametrize(("change", "field", "reason"), REVIEW_CASES)
def test_a_bad_review_is_refused_naming_the_field(api, make_person, change, field, reason):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    response = client.post(f"/people/{person_id}/care-reviews", json=bodies.review(**change))
    assert response.status_code == 422, response.json
    assert reason in " ".join(response.json["errors"]["json"][field])
    assert client.get(f"/people/{person_id}/care-reviews").json == []


def test_an_unplanned_review_ends_without_outcomes_achieved(api, make_person):
    person_id = make_person(role="key_worker")
    body = bodies.review(
        review_reason="Unplanned: Change in needs or circumstances",
        ended_on=bodies.TODAY.isoformat(),
        outcome="Continuation of support or services",
    )
    assert api("key_worker").post(f"/people/{person_id}/care-reviews", json=body).status_code == 201


def test_another_persons_package_cannot_be_reviewed(api, make_person):
    mine, theirs = make_person(role="key_worker"), make_person(role="key_worker")
    client = api("key_worker")
    package = client.post(f"/people/{theirs}/care-packages", json=bodies.package()).json
    response = client.post(
        f"/people/{mine}/care-reviews", json=bodies.review(care_package_id=package["id"])
    )
    assert response.status_code == 422
    assert "is not one of this person's" in response.json["errors"]["json"]["care_package_id"][0]


def test_a_bad_end_changes_nothing(api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    made = client.post(f"/people/{person_id}/assessments", json=bodies.assessment()).json
    response = client.post(
        f"/assessments/{made['id']}/end",
        json={"ended_on": "2000-01-01", "outcome": "NFA: Other", "version": made["version"]},
    )
    assert response.status_code == 422
    assert "must be on or after the start date" in response.json["errors"]["json"]["ended_on"][0]
    after = client.get(f"/assessments/{made['id']}").json
    assert after["ended_on"] is None and after["version"] == made["version"]


def test_the_unrelated_get_404_with_nothing_of_the_person(api, make_person):
    person_id = make_person(role="key_worker", given_name="Loveday")
    client = api("key_worker")
    made = client.post(f"/people/{person_id}/care-packages", json=bodies.package()).json
    for path in (
        f"/people/{person_id}/social-care-profile",
        f"/people/{person_id}/care-packages",
        f"/care-packages/{made['id']}",
    ):
        response = api("practitioner").get(path)
        assert response.status_code == 404
        assert "Loveday" not in response.get_data(as_text=True)
        assert "Tamar Homecare" not in response.get_data(as_text=True)


@pytest.mark.parametrize("score", [14, 70])
def test_a_wemwbs_total_at_either_end_of_the_scale_is_kept(api, make_person, score):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    for path, body in (
        ("assessments", bodies.assessment(wemwbs_score=score)),
        ("care-reviews", bodies.review(wemwbs_score=score)),
    ):
        response = client.post(f"/people/{person_id}/{path}", json=body)
        assert response.status_code == 201, response.json
        assert client.get(f"/people/{person_id}/{path}").json[0]["wemwbs_score"] == score
