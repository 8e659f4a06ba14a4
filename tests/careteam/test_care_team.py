"""Care teams: one lead key worker (enforced by the database), handover, suggestions, caseloads."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from caremap.careteam.models import CareTeamMember
from caremap.core.extensions import db
from tests.careteam.conftest import user_id_of
from tests.conftest import audit_rows, text_of


def test_assign_a_lead_then_hand_over_keeping_the_history(app, api, make_person, worker):
    person_id = make_person(role="key_worker")
    kim = user_id_of(app, "key_worker")
    jo, _ = worker("jo@test.example")
    hub = api("key_worker")
    first = hub.post(f"/people/{person_id}/care-team/lead", json={"user_id": kim})
    assert first.status_code == 201 and first.json["is_lead"]
    no_reason = hub.post(f"/people/{person_id}/care-team/lead", json={"user_id": jo})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]["json"]
    second = hub.post(
        f"/people/{person_id}/care-team/lead", json={"user_id": jo, "reason": "Kim moves to nights"}
    )
    assert second.status_code == 201
    team = hub.get(f"/people/{person_id}/care-team").json
    assert [(m["user_id"], m["is_lead"], m["ended_at"] is None) for m in team] == [
        (jo, True, True),
        (kim, True, False),
    ]
    assert team[1]["end_reason"] == "Kim moves to nights"
    rows = audit_rows(app, person_id=person_id, action="careteam.assign_lead")
    writes = [row for row in rows if "to" in (row.changes or {})]
    reads = [row for row in rows if "access" in (row.changes or {})]
    assert len(writes) == 2 and writes[1].reason == "Kim moves to nights"
    assert len(reads) == 3  # every attempt read the record, the refused one too


def test_the_database_refuses_a_second_active_lead(app, make_person):
    person_id = make_person(role="key_worker")
    with app.app_context():
        kim = user_id_of(app, "key_worker")
        admin = user_id_of(app, "admin")
        db.session.add(CareTeamMember(person_id=person_id, user_id=kim, role="Lead", is_lead=True))
        db.session.flush()
        db.session.add(
            CareTeamMember(person_id=person_id, user_id=admin, role="Lead", is_lead=True)
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_only_key_workers_can_lead_and_managers_cannot_change_care_teams(app, api, make_person):
    person_id = make_person(role="key_worker")
    practitioner = user_id_of(app, "practitioner")
    response = api("key_worker").post(
        f"/people/{person_id}/care-team/lead", json={"user_id": practitioner}
    )
    assert response.status_code == 422 and "user_id" in response.json["errors"]["json"]
    manager_person = make_person(role="manager")
    refused = api("manager").post(
        f"/people/{manager_person}/care-team/members",
        json={"user_id": practitioner, "role": "GP liaison"},
    )
    assert refused.status_code == 403


def test_a_care_team_member_sees_the_full_record(app, api, make_person):
    person_id = make_person(role="key_worker", given_name="Quentin")
    manager = user_id_of(app, "manager")
    assert api("manager").get(f"/people/{person_id}/story").status_code == 404
    added = api("key_worker").post(
        f"/people/{person_id}/care-team/members", json={"user_id": manager, "role": "Reviewer"}
    )
    assert added.status_code == 201
    assert api("manager").get(f"/people/{person_id}/story").status_code == 200
    ended = api("key_worker").post(
        f"/care-team/{added.json['id']}/end", json={"reason": "Review done"}
    )
    assert ended.status_code == 200
    assert api("manager").get(f"/people/{person_id}/story").status_code == 404


def test_suggestions_come_from_the_service_ordered_by_caseload(app, api, make_person, worker):
    busy, _ = worker("busy@test.example")
    free, _ = worker("free@test.example")
    kim = user_id_of(app, "key_worker")
    for _ in range(2):
        pid = make_person(role="key_worker")
        api("key_worker").post(f"/people/{pid}/care-team/lead", json={"user_id": busy})
    pid = make_person(role="key_worker")
    api("key_worker").post(f"/people/{pid}/care-team/lead", json={"user_id": kim})
    suggestions = api("key_worker").get("/services/complex_needs_hub/key-worker-suggestions").json
    loads = {s["user_id"]: s["caseload"] for s in suggestions}
    assert loads[free] == 0 and loads[kim] == 1 and loads[busy] == 2
    assert [s["user_id"] for s in suggestions].index(free) < [
        s["user_id"] for s in suggestions
    ].index(busy)


def test_a_leaving_worker_hands_on_the_whole_caseload_in_one_action(app, api, make_person, worker):
    leaving, leaving_client = worker("leaving@test.example")
    taker, _ = worker("taker@test.example")
    people = [make_person(role="key_worker") for _ in range(3)]
    for pid in people:
        api("key_worker").post(f"/people/{pid}/care-team/lead", json={"user_id": leaving})
    response = leaving_client.post(
        f"/api/v1/users/{leaving}/hand-over", json={"to_user_id": taker, "reason": "Leaving"}
    )
    assert response.status_code == 200 and len(response.json) == 3
    with app.app_context():
        leads = db.session.execute(
            sa.select(CareTeamMember.person_id, CareTeamMember.user_id).where(
                CareTeamMember.person_id.in_(people),
                CareTeamMember.is_lead.is_(True),
                CareTeamMember.ended_at.is_(None),
            )
        ).all()
    assert sorted(leads) == sorted((pid, taker) for pid in people)


def test_handover_without_a_named_colleague_spreads_by_caseload(app, api, make_person, worker):
    leaving, _ = worker("leaving@test.example", team_lead=False)
    lead_id, lead_client = worker("lead@test.example", team_lead=True)
    people = [make_person(role="key_worker") for _ in range(2)]
    for pid in people:
        api("key_worker").post(f"/people/{pid}/care-team/lead", json={"user_id": leaving})
    response = lead_client.post(f"/api/v1/users/{leaving}/hand-over", json={"reason": "Leaving"})
    assert response.status_code == 200
    assert {m["user_id"] for m in response.json} <= {lead_id, user_id_of(app, "key_worker")}
    assert leaving not in {m["user_id"] for m in response.json}


def test_only_the_worker_their_team_lead_or_an_admin_can_hand_over(app, api, worker):
    leaving, _ = worker("leaving@test.example")
    assert (
        api("practitioner").post(f"/users/{leaving}/hand-over", json={"reason": "x"}).status_code
        == 403
    )
    assert (
        api("key_worker").post(f"/users/{leaving}/hand-over", json={"reason": "x"}).status_code
        == 403
    )
    assert api("admin").post(f"/users/{leaving}/hand-over", json={"reason": "x"}).status_code == 200


def test_accepting_a_hub_referral_allocates_a_key_worker(app, api, make_person):
    person_id = make_person(role="practitioner", date_of_birth="1980-01-01")
    body = {
        "person_id": person_id,
        "source": "police",
        "referrer_name": "PC Lane",
        "referrer_contact": "101",
        "needs": ["homelessness", "substance_misuse"],
        "urgency": "urgent",
        "consent_to_share": True,
    }
    (referral,) = api("practitioner").post("/referrals", json=body).json["referrals"]
    assert referral["service"] == "complex_needs_hub"
    accepted = api("key_worker").post(
        f"/referrals/{referral['id']}/accept", json={"version": referral["version"]}
    )
    assert accepted.status_code == 200
    team = api("key_worker").get(f"/people/{person_id}/care-team").json
    assert [(m["user_id"], m["is_lead"]) for m in team] == [(user_id_of(app, "key_worker"), True)]
    flags = api("key_worker").get(f"/people/{person_id}").json["flags"]
    assert any(f["code"] == "key_worker" for f in flags)


def test_key_worker_home_page_shows_the_caseload_with_flags_and_what_is_due(
    app, api, client, login_as, make_person
):
    person_id = make_person(role="key_worker", given_name="Ottilie", family_name="Penrose")
    api("key_worker").post(
        f"/people/{person_id}/care-team/lead", json={"user_id": user_id_of(app, "key_worker")}
    )
    api("key_worker").post(
        f"/people/{person_id}/consent", json={"status": "refused", "decided_on": "2026-01-05"}
    )
    login_as("key_worker")
    body = text_of(client.get("/"))
    assert "Your caseload" in body and "Ottilie Penrose" in body
    assert "Key worker: Test Key Worker" in body and "Consent to share refused" in body


def test_merging_two_records_that_each_have_a_lead_is_refused_clearly(
    app, api, make_person, worker
):
    other, _ = worker("other@test.example")
    a = make_person(role="key_worker", given_name="Sam", family_name="Tregenza")
    b = make_person(role="key_worker", given_name="Sam", family_name="Tregenzer")
    api("key_worker").post(
        f"/people/{a}/care-team/lead", json={"user_id": user_id_of(app, "key_worker")}
    )
    api("key_worker").post(f"/people/{b}/care-team/lead", json={"user_id": other})
    response = api("admin").post(  # merging is an admin's act
        f"/people/{a}/merge", json={"duplicate_id": b, "reason": "same person"}
    )
    assert (
        response.status_code == 409
        and "lead key worker" in response.json["errors"]["json"]["duplicate_id"][0]
    )


def test_a_caseload_costs_a_fixed_number_of_queries_however_long(
    app, api, make_person, count_queries
):
    """Flags for every person in a caseload come in one query per kind of flag, not per person."""
    kim = user_id_of(app, "key_worker")
    client = api("key_worker")

    def caseload_of(size: int) -> int:
        for _ in range(size):
            pid = make_person(role="key_worker")
            client.post(f"/people/{pid}/care-team/lead", json={"user_id": kim})
            client.post(
                f"/people/{pid}/consent", json={"status": "refused", "decided_on": "2026-01-01"}
            )
        with count_queries() as statements:
            response = client.get("/me/caseload")
        assert response.status_code == 200
        return len(response.json), len(statements)

    small_people, small = caseload_of(3)
    large_people, large = caseload_of(12)
    assert (small_people, large_people) == (3, 15)
    assert large == small, f"{small} queries for 3 people, {large} for 15"
