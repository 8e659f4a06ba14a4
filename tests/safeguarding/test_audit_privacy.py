"""Safeguarding's words stay on the concern: the general audit trail keeps references and
the names of the fields written, and "who has looked at this record" (page and API)
shows none of it, to the care team or an admin. Leads read the words on the concern."""

import datetime as dt
import json

from caremap import audit
from caremap.core.extensions import db
from tests.conftest import audit_rows, text_of, user
from tests.safeguarding.answers import SAC_ANSWERS
from tests.safeguarding.test_safeguarding import _triage, raise_one

TODAY = dt.date.today().isoformat()
WORDS = {
    "what_happened": "Zebrafinch took the pension book on Fridays.",
    "immediate_actions": "Zebrafinch told to stay away today.",
    "person_wishes": "Zebrafinch should just give it back.",
    "decision_reason": "Zebrafinch admitted it to the warden.",
    "signposting": "Zebrafinch pointed to Age UK money advice.",
    "notes": "Zebrafinch to be interviewed by police.",
    "description": "Zebrafinch: change the pension collection.",
    "risk_remains_reason": "Zebrafinch still has a key.",
    "conclusion": "Zebrafinch's access to money is stopped.",
}
MARK = "zebrafinch"


def _run_an_enquiry(app, api, person_id):
    """Raise, triage, meet, act, conclude, each with distinctive words; the concern."""
    lead = api("safeguarding_lead")
    raised = raise_one(
        api,
        person_id,
        what_happened=WORDS["what_happened"],
        immediate_actions=WORDS["immediate_actions"],
        person_wishes=WORDS["person_wishes"],
    )
    concern = lead.get(f"/safeguarding/concerns/{raised['id']}").json
    triaged = _triage(
        api,
        concern,
        decision_reason=WORDS["decision_reason"],
        signposting=WORDS["signposting"],
    )
    assert triaged.status_code == 200, triaged.json
    enquiry = triaged.json["enquiry"]
    meeting = lead.post(
        f"/safeguarding/enquiries/{enquiry['id']}/meetings",
        json={"kind": "strategy_discussion", "held_on": TODAY, "notes": WORDS["notes"]},
    )
    assert meeting.status_code == 201, meeting.json
    with app.app_context():
        owner_id = user("safeguarding_lead").id
    action = lead.post(
        f"/safeguarding/enquiries/{enquiry['id']}/actions",
        json={"description": WORDS["description"], "owner_id": owner_id, "due_on": TODAY},
    ).json
    done = lead.post(
        f"/safeguarding/actions/{action['id']}/done", json={"version": action["version"]}
    )
    assert done.status_code == 200, done.json
    current = lead.get(f"/safeguarding/enquiries/{enquiry['id']}").json
    concluded = lead.post(
        f"/safeguarding/enquiries/{enquiry['id']}/conclude",
        json={
            "version": current["version"],
            "substantiated": "fully",
            **SAC_ANSWERS,
            "risk_outcome": "remains",
            "risk_remains_reason": WORDS["risk_remains_reason"],
            "outcomes_achieved": "fully",
            "conclusion": WORDS["conclusion"],
            "closed_on": TODAY,
        },
    )
    assert concluded.status_code == 200, concluded.json
    return concern


def _trail_text(app, person_id) -> str:
    rows = audit_rows(app, person_id=person_id)
    return json.dumps([[r.action, r.reason, r.changes] for r in rows]).lower()


def test_the_trail_and_the_access_log_keep_no_safeguarding_words(
    app, api, client, login_as, make_person
):
    person_id = make_person(role="key_worker")  # the key worker's team registered them
    concern = _run_an_enquiry(app, api, person_id)
    trail = _trail_text(app, person_id)
    assert MARK not in trail
    # What the trail keeps instead: the concern, and which text fields were written.
    (triage,) = [r for r in audit_rows(app, person_id=person_id) if r.action.endswith("triage")]
    assert triage.changes["reference"] == concern["reference"] and triage.reason is None
    assert triage.changes["text_given"] == ["decision_reason", "signposting"]
    (end,) = [r for r in audit_rows(app, person_id=person_id) if r.action.endswith("conclude")]
    assert end.changes["text_given"] == ["conclusion", "risk_remains_reason"]
    assert end.changes["risk_outcome"] == "remains" and end.changes["substantiated"] == "fully"
    for role in ("key_worker", "admin"):
        log = api(role).get(f"/people/{person_id}/access-log")
        assert log.status_code == 200 and MARK not in log.get_data(as_text=True).lower()
        assert "safeguarding.triage" in [e["action"] for e in log.json]
        page = login_as(role, with_client=app.test_client()).get(f"/people/{person_id}/access-log")
        assert page.status_code == 200 and "safeguarding.triage" in text_of(page)
        assert MARK not in text_of(page).lower()
    # The lead reads the words where they need them: on the concern.
    shown = text_of(login_as("safeguarding_lead").get(f"/safeguarding/concerns/{concern['id']}"))
    for key in ("what_happened", "decision_reason"):
        assert WORDS[key] in shown, key
    enquiry = api("safeguarding_lead").get(f"/safeguarding/concerns/{concern['id']}").json
    assert enquiry["enquiry"]["conclusion"] == WORDS["conclusion"]


def test_no_further_action_keeps_its_reason_on_the_concern_only(app, api, make_person):
    person_id = make_person(role="key_worker")
    raised = raise_one(api, person_id)
    concern = api("safeguarding_lead").get(f"/safeguarding/concerns/{raised['id']}").json
    closed = _triage(
        api, concern, decision="no_further_action", decision_reason=WORDS["decision_reason"]
    )
    assert closed.status_code == 200, closed.json
    assert MARK not in _trail_text(app, person_id)
    again = api("safeguarding_lead").get(f"/safeguarding/concerns/{raised['id']}").json
    assert again["decision_reason"] == WORDS["decision_reason"]


def test_the_access_log_withholds_words_an_older_row_kept(app, api, client, login_as, make_person):
    """Rows written before the trail stopped keeping them still hold a triage reason: the
    report never shows a safeguarding row's reason; other reasons (break-glass) it shows."""
    person_id = make_person(role="key_worker")
    with app.app_context():
        lead = user("safeguarding_lead")
        audit.record(lead, "safeguarding.triage", person_id=person_id, reason=WORDS["notes"])
        audit.record(lead, "access.break_glass", person_id=person_id, reason="Found collapsed")
        db.session.commit()
    log = api("admin").get(f"/people/{person_id}/access-log")
    reasons = {e["action"]: e["reason"] for e in log.json}
    assert reasons["safeguarding.triage"] is None
    assert reasons["access.break_glass"] == "Found collapsed"
    page = text_of(login_as("key_worker").get(f"/people/{person_id}/access-log"))
    assert "Found collapsed" in page and MARK not in page.lower()
