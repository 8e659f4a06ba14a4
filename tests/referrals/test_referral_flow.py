"""Referrals end to end through the API and pages: route, answer, episode, close."""

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.core import clock
from caremap.core.extensions import db
from caremap.referrals.models import Referral, ReferralSubmission
from tests.conftest import audit_rows, text_of

REABLEMENT_KEY_WORKER = "reablement-plymouth"


def referral_body(person_id, **overrides):
    body = {
        "person_id": person_id,
        "source": "gp",
        "referrer_name": "Dr Ann Hale",
        "referrer_organisation": "Mayflower Surgery",
        "referrer_contact": "01752 000000",
        "needs": ["hospital_discharge"],
        "details": "Lives alone, a few miles from her daughter. Home from hospital after a fall.",
        "urgency": "urgent",
        "consent_to_share": True,
    }
    return {**body, **overrides}


@pytest.fixture
def reablement_worker(app, login_as):
    """A key worker in the Plymouth reablement team, with an API token."""
    from caremap.auth.operations import create_api_token, create_user

    with app.app_context():
        user = create_user(
            actor=None,
            email="rea@test.example",
            full_name="Rea Bloom",
            role="key_worker",
            team=REABLEMENT_KEY_WORKER,
            password="Plymouth-harbour-47",
        )
        _, secret = create_api_token(user=user, name="tests")
        db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_an_85_year_old_discharged_after_a_fall_goes_to_reablement_with_its_reason(
    api, make_person
):
    person_id = make_person(given_name="Edith", family_name="Crocker", date_of_birth="1941-02-11")
    response = api("practitioner").post("/referrals", json=referral_body(person_id))
    assert response.status_code == 201, response.json
    (referral,) = response.json["referrals"]
    assert referral["service"] == "reablement" and referral["status"] == "routed"
    (decision,) = referral["routing"]
    assert decision["kind"] == "rules"
    assert decision["explanation"][0]["rule"] == "discharge_65_reablement"
    assert decision["facts"]["age"] == 85
    received = dt.datetime.fromisoformat(referral["received_at"])
    assert dt.datetime.fromisoformat(referral["due_at"]) - received == dt.timedelta(hours=48)
    assert [h["to_status"] for h in referral["history"]] == ["received", "routed"]


def test_preview_shows_where_it_would_go_and_saves_nothing(app, api, make_person):
    person_id = make_person(date_of_birth="1941-02-11")
    before = count(app, Referral)
    response = api("practitioner").post(
        "/referrals/preview", json=referral_body(person_id, needs=["homelessness", "offending"])
    )
    assert response.status_code == 200
    assert [r["service"] for r in response.json["routes"]] == ["complex_needs_hub"]
    assert count(app, Referral) == before


def test_no_rule_sends_it_to_single_point_of_access_triage_saying_so(api, make_person):
    person_id = make_person()
    response = api("practitioner").post(
        "/referrals", json=referral_body(person_id, needs=["domestic_abuse"])
    )
    (referral,) = response.json["referrals"]
    assert referral["service"] == "spa_triage"
    assert referral["routing"][0]["kind"] == "fall_through"
    assert "no routing rule matched" in referral["routing"][0]["explanation"][0]["matched"][0]


def test_several_needs_fan_out_to_several_services(api, make_person):
    person_id = make_person(date_of_birth="1941-02-11")
    body = referral_body(
        person_id, needs=["hospital_discharge", "medication_concern", "carer_strain"]
    )
    response = api("practitioner").post("/referrals", json=body)
    assert sorted(r["service"] for r in response.json["referrals"]) == [
        "carer_support",
        "pharmacist_medication_review",
        "reablement",
    ]


def test_a_retry_with_the_same_idempotency_key_makes_one_referral(app, api, make_person):
    person_id = make_person()
    client = api("practitioner")
    first = client.post(
        "/referrals", json=referral_body(person_id), headers={"Idempotency-Key": "abc-123"}
    )
    before = count(app, Referral)
    again = client.post(
        "/referrals", json=referral_body(person_id), headers={"Idempotency-Key": "abc-123"}
    )
    assert first.status_code == 201 and again.status_code == 200
    assert again.json["id"] == first.json["id"]
    assert count(app, Referral) == before


def test_the_same_referral_again_within_minutes_is_a_retry(app, api, make_person):
    person_id = make_person()
    client = api("practitioner")
    first = client.post("/referrals", json=referral_body(person_id, needs=["carer_strain"]))
    again = client.post("/referrals", json=referral_body(person_id, needs=["carer_strain"]))
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    different = client.post(
        "/referrals", json=referral_body(person_id, needs=["carer_strain", "telecare"])
    )
    assert different.status_code == 201
    assert count(app, ReferralSubmission) >= 2


def test_bad_referrals_name_the_field_and_change_nothing(app, api, make_person):
    person_id = make_person()
    client = api("practitioner")
    before = count(app, Referral)
    cases = [
        (referral_body(person_id, needs=[]), "needs"),
        (referral_body(person_id, needs=["no_such_need"]), "needs"),
        (referral_body(person_id, urgency="whenever"), "urgency"),
        (referral_body(person_id, source="carrier pigeon"), "source"),
        (referral_body(person_id, referrer_name=""), "referrer_name"),
        (referral_body(person_id, details="x" * 5001), "details"),
        (referral_body(person_id, consent_to_share="perhaps"), "consent_to_share"),
        ({**referral_body(person_id), "colour": "blue"}, "colour"),
        (referral_body(person_id, received_at="2099-01-01T09:00:00+00:00"), "received_at"),
    ]
    for body, field in cases:
        response = client.post("/referrals", json=body)
        assert response.status_code == 422, (field, response.json)
        assert field in response.json["errors"]["json"], (field, response.json)
    assert client.post("/referrals", json=referral_body(999_999)).status_code == 404
    assert count(app, Referral) == before


def test_the_receiving_team_accepts_starts_reablement_and_the_day_91_follow_up_is_set(
    app, api, make_person, reablement_worker
):
    person_id = make_person(date_of_birth="1941-02-11")
    (referral,) = (
        api("practitioner").post("/referrals", json=referral_body(person_id)).json["referrals"]
    )
    rid = referral["id"]
    # Before it is theirs, the reablement worker's service sees who, not the record.
    before = reablement_worker.get(f"/api/v1/people/{person_id}").json
    assert "person" not in before and "story" not in str(before)
    accepted = reablement_worker.post(
        f"/api/v1/referrals/{rid}/accept", json={"version": referral["version"]}
    )
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    assert reablement_worker.get(f"/api/v1/people/{person_id}").json["person"]["access"] == "full"
    discharged = dt.date.today() - dt.timedelta(days=2)
    episode = reablement_worker.post(
        f"/api/v1/referrals/{rid}/episode",
        json={"started_on": dt.date.today().isoformat(), "discharged_on": discharged.isoformat()},
    )
    assert episode.status_code == 201, episode.json
    assert episode.json["kind"] == "reablement"  # from the rule's actions
    assert episode.json["follow_up_due_on"] == (discharged + dt.timedelta(days=91)).isoformat()
    assert reablement_worker.get(f"/api/v1/referrals/{rid}").json["status"] == "active"
    # Back in hospital before day 91 (at home can only be known on the day itself).
    day91 = reablement_worker.post(
        f"/api/v1/episodes/{episode.json['id']}/day-91",
        json={
            "outcome": "in_hospital",
            "outcome_on": dt.date.today().isoformat(),
            "version": episode.json["version"],
        },
    )
    assert day91.status_code == 200, day91.json
    assert day91.json["day91_outcome"] == "in_hospital"
    ended = reablement_worker.post(
        f"/api/v1/episodes/{episode.json['id']}/end",
        json={
            "ended_on": dt.date.today().isoformat(),
            "end_reason": "Independent again",
            "version": day91.json["version"],
        },
    )
    assert ended.status_code == 200
    # The referrer follows it to the end; reablement's relationship ended with the episode.
    closed = api("practitioner").get(f"/referrals/{rid}").json
    assert closed["status"] == "closed" and closed["outcome"] == "Independent again"
    assert reablement_worker.get(f"/api/v1/referrals/{rid}").status_code == 404
    actions = [row.action for row in audit_rows(app, person_id=person_id)]
    for action in (
        "referrals.submit",
        "referrals.accepted",
        "episodes.start",
        "referrals.active",
        "episodes.day91_outcome",
        "episodes.end",
        "referrals.closed",
    ):
        assert action in actions


def test_illegal_steps_are_refused_with_the_allowed_ones_named(api, make_person, reablement_worker):
    person_id = make_person(date_of_birth="1941-02-11")
    (referral,) = (
        api("practitioner").post("/referrals", json=referral_body(person_id)).json["referrals"]
    )
    rid = referral["id"]
    early_close = reablement_worker.post(
        f"/api/v1/referrals/{rid}/close", json={"outcome": "x", "version": referral["version"]}
    )
    assert early_close.status_code == 409
    assert "cannot become closed" in early_close.json["errors"]["json"]["status"][0]
    early_episode = reablement_worker.post(
        f"/api/v1/referrals/{rid}/episode", json={"started_on": dt.date.today().isoformat()}
    )
    assert early_episode.status_code == 409, early_episode.json
    declined = reablement_worker.post(
        f"/api/v1/referrals/{rid}/decline",
        json={"reason": "Not eligible", "version": referral["version"]},
    )
    assert declined.status_code == 200
    # Declined, the service has no open work with the person, so no longer sees it…
    assert (
        reablement_worker.post(
            f"/api/v1/referrals/{rid}/accept", json={"version": declined.json["version"]}
        ).status_code
        == 404
    )
    # …and for an admin, who does, the flow refuses the step.
    again = api("admin").post(
        f"/referrals/{rid}/accept", json={"version": declined.json["version"]}
    )
    assert (
        again.status_code == 409 and "it is finished" in again.json["errors"]["json"]["status"][0]
    )


def test_decline_needs_a_reason_and_a_stale_version_is_refused(api, make_person, reablement_worker):
    person_id = make_person(date_of_birth="1941-02-11")
    (referral,) = (
        api("practitioner").post("/referrals", json=referral_body(person_id)).json["referrals"]
    )
    rid = referral["id"]
    no_reason = reablement_worker.post(
        f"/api/v1/referrals/{rid}/decline", json={"reason": "", "version": referral["version"]}
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]["json"]
    stale = reablement_worker.post(
        f"/api/v1/referrals/{rid}/accept", json={"version": referral["version"] - 1}
    )
    assert stale.status_code == 409


def test_only_the_receiving_service_can_answer(api, make_person):
    person_id = make_person(role="key_worker", date_of_birth="1941-02-11")
    (referral,) = (
        api("key_worker").post("/referrals", json=referral_body(person_id)).json["referrals"]
    )
    # The hub key worker can see the person (their team registered them) but is not reablement.
    response = api("key_worker").post(
        f"/referrals/{referral['id']}/accept", json={"version": referral["version"]}
    )
    assert response.status_code == 403


def test_redirect_reroutes_keeping_the_history(api, make_person, reablement_worker):
    person_id = make_person(date_of_birth="1941-02-11")
    (referral,) = (
        api("practitioner").post("/referrals", json=referral_body(person_id)).json["referrals"]
    )
    onward = reablement_worker.post(
        f"/api/v1/referrals/{referral['id']}/redirect",
        json={
            "reason": "Needs equipment first",
            "service": "community_equipment",
            "version": referral["version"],
        },
    )
    assert onward.status_code == 201, onward.json
    assert onward.json["service"] == "community_equipment"
    assert onward.json["redirected_from_id"] == referral["id"]
    assert onward.json["routing"][0]["kind"] == "redirect"
    original = api("practitioner").get(f"/referrals/{referral['id']}").json
    assert original["status"] == "redirected"
    assert [h["to_status"] for h in original["history"]] == ["received", "routed", "redirected"]


def test_the_referrer_follows_their_referral_but_not_the_record(
    api, make_person, reablement_worker
):
    person_id = make_person(role="key_worker", given_name="Winifred", date_of_birth="1941-02-11")
    (referral,) = (
        api("practitioner").post("/referrals", json=referral_body(person_id)).json["referrals"]
    )
    seen = api("practitioner").get(f"/referrals/{referral['id']}")
    assert seen.status_code == 200 and seen.json["status"] == "routed"
    assert api("practitioner").get(f"/people/{person_id}/story").status_code == 404
    assert api("manager").get(f"/referrals/{referral['id']}").status_code == 404


def test_queue_orders_oldest_first_and_marks_overdue(app, api, make_person, reablement_worker):
    now = dt.datetime.now(dt.UTC)
    client = api("practitioner")
    old = make_person(date_of_birth="1941-02-11")
    new = make_person(date_of_birth="1942-03-12")
    client.post(
        "/referrals", json=referral_body(old, received_at=(now - dt.timedelta(days=3)).isoformat())
    )
    client.post(
        "/referrals",
        json=referral_body(new, received_at=(now - dt.timedelta(hours=30)).isoformat()),
    )
    queue = reablement_worker.get("/api/v1/services/reablement/queue")
    assert queue.status_code == 200
    mine = [item for item in queue.json if item["person_id"] in (old, new)]
    assert [item["person_id"] for item in mine] == [old, new]
    # Urgent: due 48 hours after receipt, 18 hours from now; "due" means before midnight.
    later = "due" if now + dt.timedelta(hours=18) < clock.end_of_today(now) else "waiting"
    assert [item["queue_state"] for item in mine] == ["overdue", later]
    assert api("manager").get("/services/reablement/queue").status_code == 404


def test_chronology_shows_referrals_and_filters_by_strand(api, make_person):
    person_id = make_person(date_of_birth="1941-02-11")
    api("practitioner").post(
        "/referrals", json=referral_body(person_id, needs=["hospital_discharge", "carer_strain"])
    )
    entries = api("practitioner").get(f"/people/{person_id}/chronology").json
    titles = " | ".join(e["title"] for e in entries)
    assert "Reablement" in titles and "Carer support" in titles
    urgent = (
        api("practitioner")
        .get(f"/people/{person_id}/chronology", query_string={"strand": "urgent_care"})
        .json
    )
    assert urgent and all(e["strand"] == "urgent_care" for e in urgent)
    assert not any("Carer support" in e["title"] for e in urgent)


def test_refer_page_previews_then_sends(app, client, login_as, make_person):
    person_id = make_person(given_name="Edith", family_name="Crocker", date_of_birth="1941-02-11")
    login_as("practitioner")
    form = {
        "source": "gp",
        "referrer_name": "Dr Hale",
        "referrer_organisation": "Mayflower Surgery",
        "referrer_contact": "01752 000000",
        "needs": ["hospital_discharge", "medication_concern"],
        "discharge_on": [str(clock.today().day), str(clock.today().month), str(clock.today().year)],
        "discharge_ward": "Ward 5, Derriford",
        "details": "Home after a fall",
        "urgency": "urgent",
        "consent_to_share": "true",
        "idempotency_key": "page-key-1",
    }
    before = count(app, Referral)
    held = client.post(
        f"/people/{person_id}/refer", data={**form, "preview": "Preview where it goes"}
    )
    assert held.status_code == 303  # post/redirect/get: the preview is a page got
    preview = client.get(held.headers["Location"])
    assert preview.status_code == 200
    body = text_of(preview)
    assert (
        "Check your answers before sending" in body
        and "Where it will go" in body
        and "Reablement" in body
        and "discharge_65_reablement" in body
    )
    assert count(app, Referral) == before
    sent = client.post(f"/people/{person_id}/refer", data={**form, "send": "Send referral"})
    assert sent.status_code == 302
    page = client.get(sent.headers["Location"])
    assert page.status_code == 200 and "Why it came here" in text_of(page)
    resent = client.post(f"/people/{person_id}/refer", data={**form, "send": "Send referral"})
    assert resent.status_code == 302
    assert count(app, Referral) == before + 2


def test_refer_page_errors_name_the_fields(app, client, login_as, make_person):
    person_id = make_person()
    login_as("practitioner")
    response = client.post(
        f"/people/{person_id}/refer", data={"send": "Send referral", "referrer_name": ""}
    )
    assert response.status_code == 422
    body = text_of(response)
    for label in ("Needs", "How urgent", "Where the referral comes from", "Referrer"):
        assert label in body


def test_a_referrer_without_a_relationship_is_not_told_which_services_the_person_has(
    app, api, client, login_as, make_person
):
    """'Already open to …' is part of the record: withheld from the preview, the API and the
    page for a referrer who cannot see the record."""
    person_id = make_person(role="key_worker", date_of_birth="1941-02-11")
    hub = api("key_worker")
    hub.post(
        "/referrals", json=referral_body(person_id, needs=["personal_care"])
    )  # long-term home care
    body = referral_body(person_id)
    mine = api("practitioner").post("/referrals/preview", json=body).json
    assert "open_services" not in mine["facts"]
    # Where it goes is shown (the referrer is told that); why, in terms of what the person
    # already has, is not.
    text = str(mine)
    assert "already open to" not in text and "not shown without a care relationship" in text
    theirs = hub.post("/referrals/preview", json=body).json
    assert (
        "already open to home_care_long_term" in str(theirs) and "open_services" in theirs["facts"]
    )
    (referral,) = api("practitioner").post("/referrals", json=body).json["referrals"]
    seen = api("practitioner").get(f"/referrals/{referral['id']}").json
    assert "already open to" not in str(seen["routing"]) and "open_services" not in str(
        seen["routing"]
    )
    login_as("practitioner")
    page = client.get(f"/referrals/{referral['id']}").get_data(as_text=True)
    assert "already open to" not in page
