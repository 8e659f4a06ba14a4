"""Safeguarding: raise, triage in time, enquire, conclude; who sees what; the numbers."""

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.safeguarding.deadlines import add_working_days
from caremap.safeguarding.models import Concern
from tests.conftest import audit_rows, text_of, user
from tests.safeguarding.answers import SAC_ANSWERS

CONCERN = {
    "categories": ["financial_or_material"],
    "what_happened": "Her nephew takes her bank card and she has no money for food by Tuesday.",
    "risk_location": "own_home",
    "risk_source": "known_to_the_person",
    "immediate_actions": "Made sure she had food today; told her about the bank's carer card.",
    "person_wishes": "I want him to stop, but I don't want him in trouble.",
    "needs_advocate": False,
    "capacity": "has_capacity",
}


def count_concerns(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Concern))


def raise_one(api, person_id, role="practitioner", **changes):
    response = api(role).post(
        f"/people/{person_id}/safeguarding-concerns", json={**CONCERN, **changes}
    )
    assert response.status_code == 201, response.json
    return response.json


def test_anyone_can_raise_a_concern_and_follow_its_status_not_its_detail(app, api, make_person):
    person_id = make_person(role="key_worker")  # the practitioner has no relationship
    raised = raise_one(api, person_id)
    assert raised["reference"].startswith("S") and raised["status"] == "awaiting_triage"
    seen = api("practitioner").get(f"/safeguarding/concerns/{raised['id']}").json
    assert set(seen) == {"id", "reference", "person_id", "raised_at", "status"}
    assert [c["reference"] for c in api("practitioner").get("/safeguarding/mine").json] == [
        raised["reference"]
    ]
    assert "safeguarding.raise" in [r.action for r in audit_rows(app, person_id=person_id)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": ["rudeness"]}, "categories"),
        ({"risk_location": "moon"}, "risk_location"),
        ({"immediate_actions": ""}, "immediate_actions"),
        ({"person_wishes": None}, "person_wishes"),
        ({"capacity": "maybe"}, "capacity"),
        ({"what_happened": "x" * 4001}, "what_happened"),
    ],
)
def test_bad_concerns_name_the_field_and_change_nothing(app, api, make_person, change, field):
    person_id = make_person()
    before = count_concerns(app)
    response = api("practitioner").post(
        f"/people/{person_id}/safeguarding-concerns", json={**CONCERN, **change}
    )
    assert response.status_code == 422 and field in response.json["errors"]["json"], response.json
    assert count_concerns(app) == before


def test_the_triage_deadline_skips_weekends_and_englands_bank_holidays():
    # Thursday 24 December 2026: Christmas Day (Friday) and Boxing Day's Monday substitute
    # are skipped.
    raised = dt.datetime(2026, 12, 24, 10, 0, tzinfo=dt.UTC)
    assert add_working_days(raised, 2) == dt.datetime(2026, 12, 30, 10, 0, tzinfo=dt.UTC)
    saturday = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
    assert add_working_days(saturday, 2) == dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def _triage(api, concern, **changes):
    body = {
        "version": concern["version"],
        "test_care_and_support_needs": True,
        "test_abuse_or_neglect": True,
        "test_unable_to_protect_self": True,
        "decision": "section_42_enquiry",
        **changes,
    }
    return api("safeguarding_lead").post(
        f"/safeguarding/concerns/{concern['id']}/triage", json=body
    )


def test_triage_records_the_three_part_test_and_a_section_42_needs_all_three(api, make_person):
    raised = raise_one(api, make_person())
    concern = api("safeguarding_lead").get(f"/safeguarding/concerns/{raised['id']}").json
    not_met = _triage(api, concern, test_unable_to_protect_self=False)
    assert not_met.status_code == 422 and "decision" in not_met.json["errors"]["json"]
    nfa = _triage(api, concern, decision="no_further_action", test_unable_to_protect_self=False)
    assert nfa.status_code == 422 and "decision_reason" in nfa.json["errors"]["json"]
    done = _triage(api, concern)
    assert done.status_code == 200 and done.json["status"] == "section_42_enquiry"
    assert done.json["enquiry"]["is_section_42"] is True
    again = _triage(api, done.json)
    assert again.status_code == 409 and "cannot become" in again.json["errors"]["json"]["status"][0]


def test_the_leads_queue_shows_due_overdue_and_unassigned_oldest_first(app, api, make_person):
    old = raise_one(api, make_person())
    new = raise_one(api, make_person())
    with app.app_context():
        db.session.execute(
            sa.update(Concern)
            .where(Concern.id == old["id"])
            .values(
                raised_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=6),
                triage_due_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2),
            )
        )
        db.session.commit()
    queue = api("safeguarding_lead").get("/safeguarding/queue")
    assert queue.status_code == 200
    mine = [e for e in queue.json if e["concern"]["id"] in (old["id"], new["id"])]
    assert [e["concern"]["id"] for e in mine] == [old["id"], new["id"]]
    assert mine[0]["state"] == "overdue" and mine[1]["state"] in ("due", "waiting")
    assert all(e["concern"]["lead_id"] is None for e in mine)
    for role in ("practitioner", "key_worker", "manager", "admin"):
        assert api(role).get("/safeguarding/queue").status_code == 404


def test_an_enquiry_runs_to_its_outcome_and_the_flag_becomes_history(app, api, make_person):
    person_id = make_person(role="key_worker")
    raised = raise_one(api, person_id)
    flags = [f["code"] for f in api("key_worker").get(f"/people/{person_id}").json["flags"]]
    assert "safeguarding" in flags
    lead = api("safeguarding_lead")
    concern = lead.get(f"/safeguarding/concerns/{raised['id']}").json
    taken = lead.post(
        f"/safeguarding/concerns/{concern['id']}/take", json={"version": concern["version"]}
    )
    enquiry = _triage(api, taken.json).json["enquiry"]
    with app.app_context():
        kim = user("key_worker").id
    meeting = lead.post(
        f"/safeguarding/enquiries/{enquiry['id']}/meetings",
        json={
            "kind": "strategy_discussion",
            "held_on": dt.date.today().isoformat(),
            "notes": "Agreed: talk to the bank; nephew to be spoken to.",
        },
    )
    assert meeting.status_code == 201
    action = lead.post(
        f"/safeguarding/enquiries/{enquiry['id']}/actions",
        json={
            "description": "Set up a carer card with the bank",
            "owner_id": kim,
            "due_on": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
        },
    ).json
    # The action's owner reads the enquiry's brief, not the concern's detail.
    brief = api("key_worker").get(f"/safeguarding/enquiries/{enquiry['id']}")
    assert brief.status_code == 200 and [a["id"] for a in brief.json["actions"]] == [action["id"]]
    assert "nephew" not in brief.get_data(as_text=True)
    current = lead.get(f"/safeguarding/enquiries/{enquiry['id']}").json
    conclusion = {
        "version": current["version"],
        "substantiated": "partly",
        **SAC_ANSWERS,
        "risk_outcome": "reduced",
        "outcomes_achieved": "partly",
        "closed_on": dt.date.today().isoformat(),
    }
    early = lead.post(f"/safeguarding/enquiries/{enquiry['id']}/conclude", json=conclusion)
    assert early.status_code == 422 and "not done yet" in early.json["errors"]["json"]["status"][0]
    assert (
        api("key_worker")
        .post(f"/safeguarding/actions/{action['id']}/done", json={"version": action["version"]})
        .status_code
        == 200
    )
    remains = lead.post(
        f"/safeguarding/enquiries/{enquiry['id']}/conclude",
        json={**conclusion, "risk_outcome": "remains"},
    )
    assert remains.status_code == 422 and "risk_remains_reason" in remains.json["errors"]["json"]
    concluded = lead.post(f"/safeguarding/enquiries/{enquiry['id']}/conclude", json=conclusion)
    assert concluded.status_code == 200 and concluded.json["status"] == "concluded"
    assert api("practitioner").get("/safeguarding/mine").json[0]["status"] == "closed"
    flags = [f["code"] for f in api("key_worker").get(f"/people/{person_id}").json["flags"]]
    assert "safeguarding_history" in flags and "safeguarding" not in flags
    actions = [r.action for r in audit_rows(app, person_id=person_id)]
    for expected in (
        "safeguarding.raise",
        "safeguarding.take",
        "safeguarding.triage",
        "safeguarding.meeting",
        "safeguarding.action",
        "safeguarding.action_done",
        "safeguarding.conclude",
    ):
        assert expected in actions


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("safeguarding_lead", 200),
        ("key_worker", 404),
        ("manager", 404),
        ("admin", 404),
        ("practitioner", 200),
    ],
)
def test_detail_stays_with_leads_and_enquiry_workers(api, make_person, viewer, expected):
    """The key worker's team registered the person (care team relationship) but sees only
    the flag; the practitioner raised it and sees the status; an admin sees neither."""
    person_id = make_person(role="key_worker", given_name="Perpetua")
    raised = raise_one(api, person_id)
    response = api(viewer).get(f"/safeguarding/concerns/{raised['id']}")
    assert response.status_code == expected
    body = response.get_data(as_text=True)
    assert "nephew" not in body or viewer == "safeguarding_lead"
    chronology = api("key_worker").get(f"/people/{person_id}/chronology").json
    assert any(
        e["title"].startswith("Safeguarding concern") and e["detail"] is None for e in chronology
    )


def test_the_numbers_for_a_period(app, api, make_person):
    today = dt.date.today()
    before = (
        api("manager")
        .get(
            "/safeguarding/figures",
            query_string={"start": today.isoformat(), "end": today.isoformat()},
        )
        .json
    )
    raise_one(api, make_person(), risk_location="nursing_home")
    concern = (
        api("safeguarding_lead")
        .get(f"/safeguarding/concerns/{raise_one(api, make_person())['id']}")
        .json
    )
    enquiry = _triage(api, concern).json["enquiry"]
    api("safeguarding_lead").post(
        f"/safeguarding/enquiries/{enquiry['id']}/conclude",
        json={
            "version": enquiry["version"],
            "substantiated": "fully",
            **SAC_ANSWERS,
            "risk_outcome": "removed",
            "outcomes_achieved": "fully",
            "closed_on": today.isoformat(),
        },
    )
    after = (
        api("manager")
        .get(
            "/safeguarding/figures",
            query_string={"start": today.isoformat(), "end": today.isoformat()},
        )
        .json
    )
    assert after["concerns_raised"] - before["concerns_raised"] == 2
    assert after["risk_in_care_homes"] - before["risk_in_care_homes"] == 1
    assert after["to_section_42_enquiry"] - before["to_section_42_enquiry"] == 1
    assert after["section_42_enquiries_completed"] - before["section_42_enquiries_completed"] == 1
    assert after["risk_outcome"].get("removed", 0) - before["risk_outcome"].get("removed", 0) == 1
    bad = api("manager").get(
        "/safeguarding/figures", query_string={"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert bad.status_code == 422 and "end" in bad.json["errors"]["query"]
    assert (
        api("practitioner")
        .get("/safeguarding/figures", query_string={"start": "2026-01-01", "end": "2026-02-01"})
        .status_code
        == 404
    )


def test_pages_raise_queue_and_triage(app, client, login_as, make_person):
    person_id = make_person(role="key_worker", given_name="Jowan", family_name="Trebilcock")
    login_as("practitioner")
    bad = client.post(f"/people/{person_id}/safeguarding/new", data={"what_happened": "x"})
    assert bad.status_code == 422 and "What kind of abuse or neglect?" in text_of(bad)
    form = {
        **CONCERN,
        "categories": ["financial_or_material", "psychological"],
        "needs_advocate": "false",
    }
    assert client.post(f"/people/{person_id}/safeguarding/new", data=form).status_code == 302
    assert "Trebilcock" in text_of(client.get("/safeguarding/mine"))
    lead = app.test_client()
    login_as("safeguarding_lead", with_client=lead)
    page = text_of(lead.get("/safeguarding"))
    assert "Jowan Trebilcock" in page and "awaiting triage" in page
    with app.app_context():
        concern = db.session.scalar(sa.select(Concern).where(Concern.person_id == person_id))
        concern_id, version = concern.id, concern.version
    triaged = lead.post(
        f"/safeguarding/concerns/{concern_id}/triage",
        data={
            "version": version,
            "test_care_and_support_needs": "true",
            "test_abuse_or_neglect": "true",
            "test_unable_to_protect_self": "true",
            "decision": "section_42_enquiry",
        },
    )
    assert triaged.status_code == 302
    assert "Section 42 enquiry: open" in text_of(lead.get(f"/safeguarding/concerns/{concern_id}"))
