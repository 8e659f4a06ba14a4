"""History entered as it happened: the day a concern was raised, decided, its enquiry
started and concluded, kept beside when each was entered, and checked."""

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.people.models import Person
from caremap.safeguarding.models import Concern, Enquiry
from tests.conftest import audit_rows, text_of
from tests.safeguarding.answers import SAC_ANSWERS
from tests.safeguarding.test_safeguarding import CONCERN, _triage, raise_one

TODAY = dt.date.today()


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def _state(app, concern_id):
    """Everything a refused step must leave as it was."""
    with app.app_context():
        concern = db.session.get(Concern, concern_id)
        enquiry = db.session.scalar(sa.select(Enquiry).where(Enquiry.concern_id == concern_id))
        return (
            concern.version,
            concern.status,
            concern.decided_on,
            enquiry and (enquiry.version, enquiry.status, enquiry.closed_on),
        )


def _died(app, person_id, days_ago):
    with app.app_context():
        db.session.execute(
            sa.update(Person)
            .where(Person.id == person_id)
            .values(date_of_death=TODAY - dt.timedelta(days=days_ago))
        )
        db.session.commit()


def test_a_concern_written_up_later_keeps_the_day_it_was_raised(app, api, make_person):
    person_id = make_person()
    raised = raise_one(api, person_id, raised_on=ago(6))
    concern = api("safeguarding_lead").get(f"/safeguarding/concerns/{raised['id']}").json
    assert concern["raised_on"] == ago(6)
    assert concern["raised_at"][:10] in (TODAY.isoformat(), ago(-1), ago(1))
    (row,) = [r for r in audit_rows(app, person_id=person_id) if r.action == "safeguarding.raise"]
    assert row.changes["raised_on"] == ago(6) and row.changes["raised_at"] == concern["raised_at"]
    # The flag on the record is open since the day it was raised.
    flags = api("practitioner").get(f"/people/{person_id}").json["flags"]
    assert [f["since"] for f in flags if f["code"] == "safeguarding"] == [ago(6)]
    # Not given: the day it was entered.
    today = raise_one(api, person_id)
    assert (
        api("safeguarding_lead").get(f"/safeguarding/concerns/{today['id']}").json["raised_on"]
        == TODAY.isoformat()
    )


def test_the_triage_timescale_runs_from_the_day_a_concern_was_raised(app, api, make_person):
    """Written up a fortnight late, it is already overdue: the lead's queue says so."""
    late = raise_one(api, make_person(), raised_on=ago(14))
    concern = api("safeguarding_lead").get(f"/safeguarding/concerns/{late['id']}").json
    assert concern["triage_due_at"][:10] < TODAY.isoformat()
    queue = api("safeguarding_lead").get("/safeguarding/queue").json
    assert [e["state"] for e in queue if e["concern"]["id"] == late["id"]] == ["overdue"]


def test_triage_and_conclusion_keep_the_days_they_happened(app, api, make_person):
    person_id = make_person()
    raised = raise_one(api, person_id, raised_on=ago(20))
    concern = api("safeguarding_lead").get(f"/safeguarding/concerns/{raised['id']}").json
    triaged = _triage(api, concern, decided_on=ago(18), started_on=ago(15))
    assert triaged.status_code == 200, triaged.json
    assert triaged.json["decided_on"] == ago(18) and triaged.json["triaged_at"]
    enquiry = triaged.json["enquiry"]
    assert enquiry["started_on"] == ago(15)
    concluded = api("safeguarding_lead").post(
        f"/safeguarding/enquiries/{enquiry['id']}/conclude",
        json={
            "version": enquiry["version"],
            "substantiated": "partly",
            **SAC_ANSWERS,
            "risk_outcome": "reduced",
            "outcomes_achieved": "partly",
            "closed_on": ago(2),
        },
    )
    assert concluded.status_code == 200, concluded.json
    assert concluded.json["closed_on"] == ago(2) and concluded.json["concluded_at"]
    rows = {r.action: r.changes for r in audit_rows(app, person_id=person_id)}
    assert rows["safeguarding.triage"]["decided_on"] == ago(18)
    assert rows["safeguarding.triage"]["started_on"] == ago(15)
    assert rows["safeguarding.triage"]["triaged_at"] == triaged.json["triaged_at"]
    assert rows["safeguarding.conclude"]["closed_on"] == ago(2)
    assert rows["safeguarding.conclude"]["concluded_at"] == concluded.json["concluded_at"]


@pytest.mark.parametrize(
    ("raised_on", "died_days_ago", "reason"),
    [
        (ago(-1), None, "must not be in the future"),
        ("1940-01-01", None, "must not be before the person was born (7 March 1950)"),
        (ago(5), 10, "must not be after the person died"),
    ],
)
def test_a_day_raised_that_cannot_be_is_refused(
    app, api, make_person, raised_on, died_days_ago, reason
):
    person_id = make_person()  # born 7 March 1950
    if died_days_ago:
        _died(app, person_id, died_days_ago)
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(Concern))
    refused = api("practitioner").post(
        f"/people/{person_id}/safeguarding-concerns", json={**CONCERN, "raised_on": raised_on}
    )
    assert refused.status_code == 422
    assert refused.json["errors"]["json"]["raised_on"][0].startswith(reason), refused.json
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Concern)) == before


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"decided_on": ago(-1)}, "decided_on", "must not be in the future"),
        ({"decided_on": ago(11)}, "decided_on", "must not be before the day the concern was"),
        (
            {"decided_on": ago(8), "started_on": ago(9)},
            "started_on",
            "must not be before the day of the decision",
        ),
        ({"started_on": ago(-1)}, "started_on", "must not be in the future"),
        (
            {
                "decision": "no_further_action",
                "decision_reason": "Support in place",
                "started_on": ago(1),
            },
            "started_on",
            "must be left empty",
        ),
    ],
)
def test_a_triage_day_that_cannot_be_is_refused(app, api, make_person, changes, field, reason):
    raised = raise_one(api, make_person(), raised_on=ago(10))
    concern = api("safeguarding_lead").get(f"/safeguarding/concerns/{raised['id']}").json
    before = _state(app, concern["id"])
    refused = _triage(api, concern, **changes)
    assert refused.status_code == 422
    assert refused.json["errors"]["json"][field][0].startswith(reason), refused.json
    assert _state(app, concern["id"]) == before


def test_a_decision_after_the_person_died_is_refused(app, api, make_person):
    person_id = make_person()
    raised = raise_one(api, person_id, raised_on=ago(10))
    _died(app, person_id, 8)
    concern = api("safeguarding_lead").get(f"/safeguarding/concerns/{raised['id']}").json
    refused = _triage(api, concern, decided_on=ago(3))
    assert refused.status_code == 422
    assert refused.json["errors"]["json"]["decided_on"][0].startswith(
        "must not be after the person died"
    )
    assert _triage(api, concern, decided_on=ago(8)).status_code == 200


@pytest.mark.parametrize(
    ("closed_on", "died_days_ago", "reason"),
    [
        (ago(-1), None, "must not be in the future"),
        (ago(9), None, "must not be before the day the enquiry started"),
        (ago(2), 4, "must not be after the person died"),
    ],
)
def test_a_day_concluded_that_cannot_be_is_refused(
    app, api, make_person, closed_on, died_days_ago, reason
):
    person_id = make_person()
    raised = raise_one(api, person_id, raised_on=ago(10))
    concern = api("safeguarding_lead").get(f"/safeguarding/concerns/{raised['id']}").json
    enquiry = _triage(api, concern, decided_on=ago(8)).json["enquiry"]
    if died_days_ago:
        _died(app, person_id, died_days_ago)
    before = _state(app, concern["id"])
    refused = api("safeguarding_lead").post(
        f"/safeguarding/enquiries/{enquiry['id']}/conclude",
        json={
            "version": enquiry["version"],
            "substantiated": "fully",
            **SAC_ANSWERS,
            "risk_outcome": "removed",
            "outcomes_achieved": "fully",
            "closed_on": closed_on,
        },
    )
    assert refused.status_code == 422
    assert refused.json["errors"]["json"]["closed_on"][0].startswith(reason), refused.json
    assert _state(app, concern["id"]) == before


def test_pages_say_when_a_day_was_recorded_later_and_refuse_by_field(
    app, client, login_as, api, make_person
):
    late = raise_one(api, make_person(), raised_on=ago(3))
    prompt = raise_one(api, make_person())
    login_as("safeguarding_lead")
    page = text_of(client.get(f"/safeguarding/concerns/{late['id']}"))
    day = TODAY - dt.timedelta(days=3)
    assert f"{day.day} {day:%B %Y}, recorded on {TODAY.day} {TODAY:%B %Y}" in page
    assert "recorded on" not in text_of(client.get(f"/safeguarding/concerns/{prompt['id']}"))
    assert "recorded on" in text_of(client.get("/safeguarding"))
    with app.app_context():
        version = db.session.get(Concern, late["id"]).version
    early = TODAY - dt.timedelta(days=5)
    refused = client.post(
        f"/safeguarding/concerns/{late['id']}/triage",
        data={
            "version": version,
            "test_care_and_support_needs": "true",
            "test_abuse_or_neglect": "true",
            "test_unable_to_protect_self": "true",
            "decision": "section_42_enquiry",
            "decided_on": [str(early.day), str(early.month), str(early.year)],
        },
    )
    assert refused.status_code == 422
    assert "Date of the decision must not be before the day the concern was raised" in text_of(
        refused
    )
