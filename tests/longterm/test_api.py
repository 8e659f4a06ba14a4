"""Long-term support through /api/v1: the profile, the three kinds of event, their audit
rows and chronology, the whole-event edit and its version check."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from caremap.core.extensions import db
from caremap.longterm.models import CareAssessment, CarePackage, CareReview, SocialCareProfile
from tests.conftest import audit_rows
from tests.longterm import bodies


def writes(app, person_id, action):
    """The rows a write left (a page or endpoint also audits its read under the action)."""
    return [
        row
        for row in audit_rows(app, person_id=person_id, action=action)
        if "access" not in (row.changes or {})
    ]


def test_the_profile_is_made_then_replaced_with_the_version_read(api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    empty = client.get(f"/people/{person_id}/social-care-profile")
    assert empty.status_code == 200 and empty.json["version"] is None
    made = client.put(f"/people/{person_id}/social-care-profile", json=bodies.profile())
    assert made.status_code == 200, made.json
    assert made.json["primary_support_reason"] == "Physical support: Personal care support"
    assert made.json["ethnicity_nhs_dd_code"] == "A"
    changed = client.put(
        f"/people/{person_id}/social-care-profile",
        json=bodies.profile(accommodation_status="Registered care home", version=1),
    )
    assert changed.status_code == 200 and changed.json["version"] == 2
    assert client.get(f"/people/{person_id}/social-care-profile").json["accommodation_status"] == (
        "Registered care home"
    )


def test_a_second_editor_with_the_old_version_is_refused_and_changes_nothing(api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    client.put(f"/people/{person_id}/social-care-profile", json=bodies.profile())
    first = client.put(
        f"/people/{person_id}/social-care-profile",
        json=bodies.profile(dementia=True, version=1),
    )
    second = client.put(
        f"/people/{person_id}/social-care-profile",
        json=bodies.profile(autism=True, version=1),
    )
    assert first.status_code == 200 and second.status_code == 409
    now = client.get(f"/people/{person_id}/social-care-profile").json
    assert now["dementia"] is True and now["autism"] is None and now["version"] == 2


def test_a_first_profile_given_a_version_is_refused(api, make_person):
    person_id = make_person(role="key_worker")
    response = api("key_worker").put(
        f"/people/{person_id}/social-care-profile", json=bodies.profile(version=3)
    )
    assert response.status_code == 422 and "version" in response.json["errors"]["json"]


def test_profile_saves_are_audited_with_what_changed(app, api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    client.put(f"/people/{person_id}/social-care-profile", json=bodies.profile())
    client.put(
        f"/people/{person_id}/social-care-profile",
        json=bodies.profile(employment_status="Paid: 16 or more hours a week", version=1),
    )
    saves = writes(app, person_id, "longterm.profile.save")
    assert len(saves) == 2
    assert saves[1].changes == {
        "employment_status": [
            "Not in paid employment: Not actively seeking work or retired",
            "Paid: 16 or more hours a week",
        ]
    }


@pytest.mark.parametrize(
    ("slug", "body", "action"),
    [
        ("assessments", bodies.assessment(), "longterm.assessments"),
        ("care-packages", bodies.package(), "longterm.packages"),
        ("care-reviews", bodies.review(), "longterm.reviews"),
    ],
)
def test_each_event_is_recorded_read_listed_ended_and_audited(
    app, api, make_person, slug, body, action
):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    made = client.post(f"/people/{person_id}/{slug}", json=body)
    assert made.status_code == 201, made.json
    event_id = made.json["id"]
    assert client.get(f"/{slug}/{event_id}").json["started_on"] == body["started_on"]
    assert [e["id"] for e in client.get(f"/people/{person_id}/{slug}").json] == [event_id]
    end = {
        "ended_on": bodies.TODAY.isoformat(),
        "outcome": "Progress to support planning or services",
        "version": made.json["version"],
    }
    if slug == "care-reviews":
        end["outcomes_achieved"] = "Outcomes partially achieved"
    ended = client.post(f"/{slug}/{event_id}/end", json=end)
    assert ended.status_code == 200, ended.json
    assert ended.json["outcome"] == "Progress to support planning or services"
    again = client.post(f"/{slug}/{event_id}/end", json={**end, "version": ended.json["version"]})
    assert again.status_code == 422 and "ended_on" in again.json["errors"]["json"]
    (recorded,) = writes(app, person_id, f"{action}.record")
    (ended_row,) = writes(app, person_id, f"{action}.end")
    assert ended_row.changes["outcome"] == "Progress to support planning or services"


def test_the_events_are_in_the_chronology(api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    client.post(f"/people/{person_id}/assessments", json=bodies.assessment())
    client.post(f"/people/{person_id}/care-packages", json=bodies.package())
    client.post(f"/people/{person_id}/care-reviews", json=bodies.review())
    titles = [e["title"] for e in client.get(f"/people/{person_id}/chronology").json]
    assert "Care Act needs assessment started" in titles
    assert "Long term support: Community (Home support or domiciliary care) started" in titles
    assert "Review: Planned: Cyclical or scheduled started" in titles


def test_an_edit_gives_the_whole_event_and_a_stale_one_is_refused(app, api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    made = client.post(f"/people/{person_id}/care-packages", json=bodies.package()).json
    edited = client.put(
        f"/care-packages/{made['id']}",
        json={**bodies.package(unit_cost="26.00", provider_name=None), "version": made["version"]},
    )
    assert edited.status_code == 200, edited.json
    assert edited.json["unit_cost"] == "26.00" and edited.json["provider_name"] is None
    stale = client.put(
        f"/care-packages/{made['id']}",
        json={**bodies.package(unit_cost="1.00"), "version": made["version"]},
    )
    assert stale.status_code == 409
    assert client.get(f"/care-packages/{made['id']}").json["unit_cost"] == "26.00"
    (update,) = writes(app, person_id, "longterm.packages.update")
    assert update.changes["unit_cost"] == ["24.50", "26.00"]


def test_a_carers_assessment_links_the_person_cared_for(api, make_person):
    cared_for = make_person(role="key_worker")
    carer = make_person(role="key_worker")
    response = api("key_worker").post(
        f"/people/{carer}/assessments",
        json=bodies.assessment(
            kind="carers_assessment",
            hours_caring_per_week="35.5",
            adults_cared_for=1,
            cared_for_person_id=cared_for,
        ),
    )
    assert response.status_code == 201, response.json
    assert response.json["cared_for_person_id"] == cared_for
    assert response.json["hours_caring_per_week"] == "35.5"


def test_models_hold_the_cld_text_itself(app, api, make_person):
    """The return copies the columns: they hold the Release 2 words, not codes of ours."""
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    client.put(f"/people/{person_id}/social-care-profile", json=bodies.profile())
    client.post(f"/people/{person_id}/assessments", json=bodies.assessment())
    client.post(f"/people/{person_id}/care-packages", json=bodies.package())
    client.post(f"/people/{person_id}/care-reviews", json=bodies.review())
    with app.app_context():
        profile = db.session.query(SocialCareProfile).filter_by(person_id=person_id).one()
        assessment = db.session.query(CareAssessment).filter_by(person_id=person_id).one()
        package = db.session.query(CarePackage).filter_by(person_id=person_id).one()
        review = db.session.query(CareReview).filter_by(person_id=person_id).one()
        assert profile.client_funding_status == "Fully social care funded"
        assert assessment.assessment_type == "Long term assessment"
        assert package.service_type == "Long term support: Community"
        assert review.review_reason == "Planned: Cyclical or scheduled"


@pytest.mark.parametrize(
    "values",
    [{"outcome": "NFA: Other"}, {"ended_on": dt.date(2000, 1, 1), "outcome": "NFA: Other"}],
    ids=["an outcome before the end", "an end before the start"],
)
def test_the_database_itself_refuses_a_broken_event(app, api, make_person, values):
    """The rules hold for every writer (the synthetic city's COPY too), not only the Args."""
    person_id = make_person(role="key_worker")
    made = api("key_worker").post(f"/people/{person_id}/care-reviews", json=bodies.review()).json
    with app.app_context():
        change = sa.update(CareReview).where(CareReview.id == made["id"]).values(**values)
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.execute(change)
        db.session.rollback()
