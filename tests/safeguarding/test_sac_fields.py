"""What the Safeguarding Adults Collection (SAC) counts of an enquiry: the risks it looked
into (type, location, source; several per enquiry) and, when a section 42 enquiry
concludes, the required answers (action and result, risk outcome, capacity and support,
Making Safeguarding Personal), each refusal naming its field and changing nothing."""

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.safeguarding.models import Enquiry, EnquiryRisk
from tests.conftest import audit_rows
from tests.safeguarding.answers import SAC_ANSWERS
from tests.safeguarding.test_safeguarding import _triage, raise_one

TODAY = dt.date.today().isoformat()


def _open_enquiry(api, make_person, **concern):
    raised = raise_one(api, make_person(), **concern)
    found = api("safeguarding_lead").get(f"/safeguarding/concerns/{raised['id']}").json
    return _triage(api, found).json["enquiry"]


def _lead(api):
    return api("safeguarding_lead")


def _current(api, enquiry_id):
    return _lead(api).get(f"/safeguarding/enquiries/{enquiry_id}").json


def _conclude(api, enquiry_id, **answers):
    body = {"version": _current(api, enquiry_id)["version"], "closed_on": TODAY, **answers}
    return _lead(api).post(f"/safeguarding/enquiries/{enquiry_id}/conclude", json=body)


def _state(app, enquiry_id):
    with app.app_context():
        enquiry = db.session.get(Enquiry, enquiry_id)
        risks = db.session.scalar(
            sa.select(sa.func.count()).where(EnquiryRisk.enquiry_id == enquiry_id)
        )
        return enquiry.version, enquiry.status, enquiry.action_result, risks


def test_an_enquiry_starts_with_the_risks_its_concern_named(api, make_person):
    enquiry = _open_enquiry(
        api,
        make_person,
        categories=["financial_or_material", "psychological"],
        risk_location="own_home",
        risk_source="known_to_the_person",
    )
    risks = {(r["risk_type"], r["risk_location"], r["risk_source"]) for r in enquiry["risks"]}
    assert risks == {
        ("financial_or_material", "own_home", "known_to_the_person"),
        ("psychological", "own_home", "known_to_the_person"),
    }
    # A raiser who did not know whom the risk came from leaves that to the lead.
    unknown = _open_enquiry(api, make_person, risk_source="unknown")
    assert unknown["risks"] == []


def test_a_section_42_conclusion_names_every_unanswered_question_and_changes_nothing(
    app, api, make_person
):
    enquiry = _open_enquiry(api, make_person)
    before = _state(app, enquiry["id"])
    refused = _conclude(api, enquiry["id"])
    assert refused.status_code == 422
    errors = refused.json["errors"]["json"]
    assert set(errors) == {"action_result", "lacked_capacity", "msp_asked"}
    assert "lacked capacity" in errors["lacked_capacity"][0]
    assert _state(app, enquiry["id"]) == before
    done = _conclude(api, enquiry["id"], **SAC_ANSWERS, risk_outcome="reduced",
                     outcomes_achieved="fully")  # fmt: skip
    assert done.status_code == 200, done.json
    assert done.json["action_result"] == "risk_identified_action_taken"
    assert done.json["msp_asked"] == "asked_outcomes_expressed"
    (row,) = [
        r for r in audit_rows(app, person_id=enquiry["person_id"]) if r.action.endswith("conclude")
    ]
    assert row.changes["action_result"] == "risk_identified_action_taken"
    assert row.changes["lacked_capacity"] == "no"


@pytest.mark.parametrize(
    ("answers", "field", "says"),
    [
        # A risk identified and action taken: what happened to it (SG2e).
        ({**SAC_ANSWERS, "outcomes_achieved": "fully"}, "risk_outcome", "remained"),
        # No risk identified: no risk outcome.
        (
            {
                **SAC_ANSWERS,
                "action_result": "no_risk_no_action",
                "risk_outcome": "removed",
                "outcomes_achieved": "fully",
            },
            "risk_outcome",
            "must be left empty",
        ),
        # Lacked capacity: was there an advocate, family member or friend (SG3a).
        (
            {
                **SAC_ANSWERS,
                "lacked_capacity": "yes",
                "risk_outcome": "reduced",
                "outcomes_achieved": "fully",
            },
            "capacity_support",
            "advocate",
        ),
        (
            {
                **SAC_ANSWERS,
                "capacity_support": True,
                "risk_outcome": "reduced",
                "outcomes_achieved": "fully",
            },
            "capacity_support",
            "must be left empty",
        ),  # fmt: skip
        # Outcomes expressed: were they achieved (SG4a); none expressed: nothing to achieve.
        ({**SAC_ANSWERS, "risk_outcome": "reduced"}, "outcomes_achieved", "achieved"),
        (
            {
                **SAC_ANSWERS,
                "msp_asked": "not_asked",
                "risk_outcome": "reduced",
                "outcomes_achieved": "partly",
            },
            "outcomes_achieved",
            "must be left empty",
        ),
        ({**SAC_ANSWERS, "action_result": "maybe"}, "action_result", "Must be one of"),
    ],
)
def test_answers_that_do_not_fit_together_are_refused_naming_the_field(
    app, api, make_person, answers, field, says
):
    enquiry = _open_enquiry(api, make_person)
    before = _state(app, enquiry["id"])
    refused = _conclude(api, enquiry["id"], **answers)
    assert refused.status_code == 422
    assert says in refused.json["errors"]["json"][field][0], refused.json
    assert _state(app, enquiry["id"]) == before


def test_an_other_enquiry_may_conclude_without_the_collections_answers(api, make_person):
    raised = raise_one(api, make_person())
    found = _lead(api).get(f"/safeguarding/concerns/{raised['id']}").json
    enquiry = _triage(api, found, decision="other_enquiry", test_unable_to_protect_self=False).json[
        "enquiry"
    ]
    assert enquiry["is_section_42"] is False
    done = _conclude(api, enquiry["id"])
    assert done.status_code == 200 and done.json["action_result"] is None


def test_the_lead_records_and_removes_risks_and_each_moves_the_enquiry_on(app, api, make_person):
    enquiry = _open_enquiry(api, make_person)
    url = f"/safeguarding/enquiries/{enquiry['id']}/risks"
    risk = {"risk_type": "physical", "risk_location": "hospital_acute", "risk_source": "stranger"}
    version = _current(api, enquiry["id"])["version"]
    added = _lead(api).post(url, json={"version": version, **risk})
    assert added.status_code == 201 and added.json["risk_location"] == "hospital_acute"
    after_add = _current(api, enquiry["id"])
    assert after_add["version"] == version + 1 and len(after_add["risks"]) == 2
    # The same risk twice, a stale copy, a source SAC does not count: refused, nothing kept.
    again = _lead(api).post(url, json={"version": after_add["version"], **risk})
    assert again.status_code == 409 and "already recorded" in again.json["errors"]["json"][
        "risk_type"][0]  # fmt: skip
    stale = _lead(api).post(url, json={"version": version, **risk, "risk_type": "sexual"})
    assert stale.status_code == 409 and "version" in stale.json["errors"]["json"]
    unknown = _lead(api).post(
        url, json={"version": after_add["version"], **risk, "risk_source": "unknown"}
    )
    assert unknown.status_code == 422 and "risk_source" in unknown.json["errors"]["json"]
    assert _state(app, enquiry["id"])[3] == 2
    # Someone with no part in the enquiry learns nothing of it.
    outsider = api("key_worker").post(url, json={"version": after_add["version"], **risk})
    assert outsider.status_code == 404
    # Removing both leaves a section 42 enquiry that cannot conclude.
    current = after_add
    for each in after_add["risks"]:
        removed = _lead(api).post(
            f"/safeguarding/risks/{each['id']}/remove", json={"version": current["version"]}
        )
        assert removed.status_code == 200, removed.json
        current = removed.json
    assert current["risks"] == []
    refused = _conclude(api, enquiry["id"], **SAC_ANSWERS, risk_outcome="reduced",
                        outcomes_achieved="fully")  # fmt: skip
    assert refused.status_code == 422 and "at least one risk" in refused.json["errors"]["json"][
        "risks"][0]  # fmt: skip
    actions = [r.action for r in audit_rows(app, person_id=enquiry["person_id"])]
    assert actions.count("safeguarding.risk_add") == 1
    assert actions.count("safeguarding.risk_remove") == 2


def test_a_conclusion_against_risks_changed_since_is_refused(api, make_person):
    """Two leads: one removes a risk while the other concludes from the page as it was."""
    enquiry = _open_enquiry(api, make_person)
    seen = _current(api, enquiry["id"])
    _lead(api).post(
        f"/safeguarding/risks/{seen['risks'][0]['id']}/remove", json={"version": seen["version"]}
    )
    late = _lead(api).post(
        f"/safeguarding/enquiries/{enquiry['id']}/conclude",
        json={"version": seen["version"], "closed_on": TODAY, **SAC_ANSWERS,
              "risk_outcome": "reduced", "outcomes_achieved": "fully"},
    )  # fmt: skip
    assert late.status_code == 409


def test_a_concluded_enquirys_risks_no_longer_change(api, make_person):
    enquiry = _open_enquiry(api, make_person)
    done = _conclude(api, enquiry["id"], **SAC_ANSWERS, risk_outcome="removed",
                     outcomes_achieved="fully")  # fmt: skip
    assert done.status_code == 200
    refused = _lead(api).post(
        f"/safeguarding/enquiries/{enquiry['id']}/risks",
        json={"version": done.json["version"], "risk_type": "sexual",
              "risk_location": "community", "risk_source": "stranger"},
    )  # fmt: skip
    assert refused.status_code == 422 and "concluded" in refused.json["errors"]["json"]["status"][0]
