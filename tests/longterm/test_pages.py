"""The pages: a person's long-term support, the profile form, and each event's own pages."""

from __future__ import annotations

import re

from tests.conftest import text_of
from tests.longterm import bodies

LAST_YEAR = ["1", "3", str(bodies.TODAY.year - 1)]


def test_the_profile_is_recorded_on_its_page_and_shown(client, login_as, make_person):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    form = {
        "client_type": "Service user",
        "primary_support_reason": "Learning disability support",
        "ethnicity": "Asian or Asian British: Chinese",
        "dementia": "false",
        "autism": "true",
        "has_unpaid_carer": "__none__",
    }
    saved = client.post(f"/people/{person_id}/social-care-profile", data=form)
    assert saved.status_code == 302, text_of(saved)[:500]
    page = text_of(client.get(f"/people/{person_id}/long-term-support"))
    assert "Learning disability support" in page and "Asian or Asian British: Chinese" in page
    record = text_of(client.get(f"/people/{person_id}"))
    assert "Learning disability support" in record and "Long-term support" in record
    again = client.get(f"/people/{person_id}/social-care-profile")
    assert 'value="Learning disability support" selected' in again.get_data(as_text=True)


def test_a_stale_profile_form_is_shown_again_with_the_reason(client, login_as, make_person):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    client.post(f"/people/{person_id}/social-care-profile", data={"client_type": "Service user"})
    stale = client.post(
        f"/people/{person_id}/social-care-profile",
        data={"client_type": "Unpaid carer", "version": "7"},
    )
    assert stale.status_code == 422
    assert "Unpaid carer" not in text_of(client.get(f"/people/{person_id}/long-term-support"))


def test_a_bad_profile_value_is_named_beside_its_field(client, login_as, make_person):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    bad = client.post(f"/people/{person_id}/social-care-profile", data={"ethnicity": "Martian"})
    assert bad.status_code == 422
    assert "Ethnicity is not on the CLD Ethnicity list" in text_of(bad)


def test_an_assessment_is_recorded_edited_and_ended_on_its_pages(client, login_as, make_person):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    assert client.get(f"/people/{person_id}/assessments/new").status_code == 200
    form = {
        "kind": "needs_assessment",
        "assessment_type": "Long term assessment",
        "method": "Face to face",
        "eligible_needs_identified": "true",
        "started_on": LAST_YEAR,
    }
    made = client.post(f"/people/{person_id}/assessments/new", data=form)
    assert made.status_code == 302, text_of(made)[:800]
    url = made.headers["Location"]
    page = text_of(client.get(url))
    assert "Care Act needs assessment (Long term assessment)" in page
    edit_page = client.get(f"{url}/edit").get_data(as_text=True)
    assert 'value="Face to face" checked' in edit_page
    edited = client.post(
        f"{url}/edit", data={**form, "method": "Telephone or video call", "version": "1"}
    )
    assert edited.status_code == 302, text_of(edited)[:800]
    assert "Telephone or video call" in text_of(client.get(url))
    refused = client.post(f"{url}/end", data={"ended_on": LAST_YEAR, "version": "2"})
    assert refused.status_code == 422 and "Choose outcome" in text_of(refused)
    ended = client.post(
        f"{url}/end",
        data={
            "ended_on": LAST_YEAR,
            "outcome": "Progress to support planning or services",
            "version": "2",
        },
    )
    assert ended.status_code == 302
    assert "Progress to support planning or services" in text_of(
        client.get(f"/people/{person_id}/long-term-support")
    )


def test_a_package_form_refuses_missing_costs_beside_the_field(client, login_as, make_person):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    form = {
        "service_type": "Long term support: Residential care",
        "service_component": "Long term residential care",
        "started_on": LAST_YEAR,
        "provider_cqc_location_id": "1-123",
    }
    bad = client.post(f"/people/{person_id}/care-packages/new", data=form)
    assert bad.status_code == 422
    body = text_of(bad)
    assert "must be a CQC location ID" in body
    made = client.post(
        f"/people/{person_id}/care-packages/new",
        data={
            **form,
            "provider_cqc_location_id": "1-101669457",
            "unit_cost": "850",
            "cost_frequency": "Weekly",
            "planned_units_per_week": "1",
        },
    )
    assert made.status_code == 302, text_of(made)[:800]
    assert "Long term support: Residential care" in text_of(client.get(made.headers["Location"]))


def test_a_review_names_the_package_it_reviews(client, login_as, api, make_person):
    person_id = make_person(role="key_worker")
    package = (
        api("key_worker").post(f"/people/{person_id}/care-packages", json=bodies.package()).json
    )
    login_as("key_worker")
    page = client.get(f"/people/{person_id}/care-reviews/new").get_data(as_text=True)
    assert f'value="{package["id"]}"' in page
    made = client.post(
        f"/people/{person_id}/care-reviews/new",
        data={
            "review_reason": "Unplanned: Change in needs or circumstances",
            "method": "Service user and unpaid carer",
            "started_on": LAST_YEAR,
            "care_package_id": str(package["id"]),
        },
    )
    assert made.status_code == 302, text_of(made)[:800]
    assert str(package["id"]) in text_of(client.get(made.headers["Location"]))


def test_the_unrelated_are_refused_the_pages(client, login_as, api, make_person):
    person_id = make_person(role="key_worker", given_name="Demelza")
    package = (
        api("key_worker").post(f"/people/{person_id}/care-packages", json=bodies.package()).json
    )
    login_as("practitioner")
    for url in (
        f"/people/{person_id}/long-term-support",
        f"/people/{person_id}/social-care-profile",
        f"/care-packages/{package['id']}",
    ):
        response = client.get(url)
        assert response.status_code == 404 and "Demelza" not in text_of(response)


def test_the_overview_reads_a_fixed_number_of_queries(
    client, login_as, api, make_person, count_queries
):
    """However many events, the page costs the same (no query per event)."""
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    writer = api("key_worker")

    def add_events() -> None:
        writer.post(f"/people/{person_id}/assessments", json=bodies.assessment())
        writer.post(f"/people/{person_id}/care-packages", json=bodies.package())
        writer.post(f"/people/{person_id}/care-reviews", json=bodies.review())

    add_events()
    with count_queries() as one:
        assert client.get(f"/people/{person_id}/long-term-support").status_code == 200
    for _ in range(4):
        add_events()
    with count_queries() as five:
        assert client.get(f"/people/{person_id}/long-term-support").status_code == 200
    assert len(five) == len(one), len(five)


def test_a_wemwbs_score_is_checked_beside_its_field_and_shown(client, login_as, make_person):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    form = {
        "kind": "needs_assessment",
        "assessment_type": "Long term assessment",
        "method": "Face to face",
        "eligible_needs_identified": "true",
        "started_on": LAST_YEAR,
    }
    bad = client.post(f"/people/{person_id}/assessments/new", data={**form, "wemwbs_score": "80"})
    assert bad.status_code == 422
    assert "WEMWBS score must be a WEMWBS total, 14 to 70" in text_of(bad)
    made = client.post(f"/people/{person_id}/assessments/new", data={**form, "wemwbs_score": "52"})
    assert made.status_code == 302, text_of(made)[:800]
    url = made.headers["Location"]
    shown = client.get(url).get_data(as_text=True)
    assert re.search(r"WEMWBS score</dt>\s*<dd[^>]*>52</dd>", shown)
    assert 'value="52"' in client.get(f"{url}/edit").get_data(as_text=True)
