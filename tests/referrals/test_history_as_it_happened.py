"""History entered as it happened: an answer (accept, decline, redirect) and a first contact
keep the moment they happened beside the moment they were entered, both in the audit row;
a moment that cannot be true is refused naming the field and why, and changes nothing.
Through the operations, the API and the page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from caremap.audit.models import AuditEvent
from caremap.core.db import utcnow
from caremap.core.errors import ConflictError
from caremap.core.extensions import db
from caremap.people.chronology import chronology
from caremap.referrals import contact
from caremap.referrals import operations as referrals
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.models import Referral
from tests.conftest import text_of
from tests.factories import (
    OLDER_PERSON_BORN,
    PASSWORD,
    accept,
    last_audit_id,
    make_person,
    make_referral,
    make_token,
    refused,
    submit,
    worker_for,
)

LONDON = ZoneInfo("Europe/London")
RECEIVED_DAYS_AGO = 6


def today() -> dt.date:
    return dt.datetime.now(LONDON).date()


def ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON).astimezone(dt.UTC)


def back_entered(person=None, **overrides):
    """A routine referral (answer due in 14 days) received six days ago at 10:00, entered now."""
    return make_referral(
        person,
        received_at=local(ago(RECEIVED_DAYS_AGO), 10).isoformat(),
        urgency="routine",
        **overrides,
    )


def just_now(moment: dt.datetime) -> bool:
    return utcnow() - dt.timedelta(minutes=2) <= moment <= utcnow()


def audit_changes(action: str, person_id: int) -> dict:
    changes = db.session.scalars(
        sa.select(AuditEvent.changes)
        .where(AuditEvent.action == action, AuditEvent.person_id == person_id)
        .order_by(AuditEvent.id.desc())
    ).first()
    return {k: dt.datetime.fromisoformat(v) for k, v in changes.items() if k.endswith("_at")}


# --- through the operations -------------------------------------------------------------


@pytest.mark.usefixtures("ctx")
def test_an_accept_entered_days_later_keeps_when_it_happened_and_when_it_was_entered():
    referral = back_entered()
    accept(referral, answered_on=ago(4), answered_time=dt.time(14, 30))
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.responded_at == local(ago(4), 14, 30)
    assert just_now(referral.response_recorded_at)
    change = referral.status_changes[-1]
    assert change.at == local(ago(4), 14, 30) and just_now(change.recorded_at)
    logged = audit_changes("referrals.accepted", referral.person_id)
    assert logged["happened_at"] == local(ago(4), 14, 30)
    assert just_now(logged["recorded_at"])
    # The person's story tells it when it happened, not when it was typed.
    accepted = [e for e in chronology(referral.person) if e.title.endswith(": accepted")]
    assert [e.at for e in accepted] == [local(ago(4), 14, 30)]


@pytest.mark.usefixtures("ctx")
def test_the_referral_history_starts_when_it_came_in_and_an_answer_now_is_now():
    referral = back_entered()
    received, routed = referral.status_changes
    assert received.at == routed.at == local(ago(RECEIVED_DAYS_AGO), 10)
    assert just_now(received.recorded_at) and just_now(routed.recorded_at)
    assert just_now(audit_changes("referrals.submit", referral.person_id)["recorded_at"])
    assert audit_changes("referrals.submit", referral.person_id)["received_at"] == received.at
    accept(referral)
    assert just_now(referral.responded_at) and just_now(referral.response_recorded_at)


@pytest.mark.usefixtures("ctx")
def test_a_day_without_a_time_is_held_at_local_noon_where_the_time_decides_nothing():
    referral = back_entered()
    referrals.decline_referral(
        actor=worker_for(referral.service),
        referral=referral,
        version=referral.version,
        reason="Not eligible",
        answered_on=ago(3),
    )
    assert referral.responded_at == local(ago(3), 12)


@pytest.mark.usefixtures("ctx")
def test_a_redirect_entered_later_starts_the_onward_services_clock_when_it_happened():
    referral = back_entered()
    onward = referrals.redirect_referral(
        actor=worker_for(referral.service),
        referral=referral,
        version=referral.version,
        reason="Needs equipment first",
        service_code="community_equipment",
        answered_on=ago(5),
        answered_time=dt.time(9, 15),
    )
    assert referral.responded_at == local(ago(5), 9, 15)
    assert onward.received_at == referral.received_at
    assert onward.due_at == local(ago(5), 9, 15) + dt.timedelta(hours=336)
    assert onward.status_changes[0].at == local(ago(5), 9, 15)


BORN = dt.date.fromisoformat(OLDER_PERSON_BORN)


@pytest.mark.parametrize(
    ("when", "field", "reason"),
    [
        ({"answered_on": ago(-1)}, "answered_on", "future"),
        ({"answered_on": ago(RECEIVED_DAYS_AGO + 1)}, "answered_on", "before the referral"),
        ({"answered_on": BORN - dt.timedelta(days=1)}, "answered_on", "born"),
        ({"answered_on": ago(RECEIVED_DAYS_AGO)}, "answered_time", "needed"),  # receipt day
        ({"answered_on": today()}, "answered_time", "needed"),
        ({"answered_time": dt.time(10)}, None, None),  # a time alone is today's: checked below
        (
            {"answered_on": ago(RECEIVED_DAYS_AGO), "answered_time": dt.time(9, 59)},
            "answered_time",
            "before the referral",
        ),
    ],
)
@pytest.mark.usefixtures("ctx")
def test_an_answer_that_cannot_have_happened_then_is_refused_and_changes_nothing(
    when, field, reason
):
    referral = back_entered()
    if field is None:  # 10:00 today: refused only while it is still before ten
        now = dt.datetime.now(LONDON)
        if now.time() >= dt.time(10):
            accept(referral, **when)
            assert referral.responded_at == local(today(), 10)
            return
        field, reason = "answered_time", "future"
    before = last_audit_id()
    with refused(field=field) as caught:
        accept(referral, **when)
    assert reason in caught.value.message
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.ROUTED and referral.responded_at is None
    assert last_audit_id() == before


@pytest.mark.usefixtures("ctx")
def test_an_answer_in_the_minute_the_referral_came_in_is_not_before_it():
    received = local(ago(1), 10) + dt.timedelta(seconds=40)
    referral = make_referral(received_at=received.isoformat(), urgency="routine")
    accept(referral, answered_on=ago(1), answered_time=dt.time(10, 0))
    assert referral.responded_at == received


@pytest.mark.usefixtures("ctx")
def test_nothing_is_answered_or_received_after_the_person_died():
    person = make_person(date_of_birth=OLDER_PERSON_BORN, date_of_death=ago(2).isoformat())
    referral = back_entered(person)
    with refused(field="answered_on") as caught:
        accept(referral, answered_on=ago(1))
    assert "died" in caught.value.message
    with refused(field="received_at") as caught:
        submit(person, received_at=local(ago(1), 10).isoformat(), needs=["carer_strain"])
    assert "died" in caught.value.message
    with refused(field="received_at") as caught:
        submit(person, received_at="1941-01-01T10:00:00+00:00", needs=["carer_strain"])
    assert "born" in caught.value.message


@pytest.mark.usefixtures("ctx")
def test_first_contact_keeps_when_it_happened_and_is_recorded_once():
    referral = back_entered()
    worker = worker_for(referral.service)
    before = last_audit_id()
    contact.record_first_contact(
        actor=worker,
        referral=referral,
        version=referral.version,
        contacted_on=ago(RECEIVED_DAYS_AGO),
        contacted_time=dt.time(16, 5),
    )
    assert referral.first_contact_at == local(ago(RECEIVED_DAYS_AGO), 16, 5)
    assert just_now(referral.first_contact_recorded_at)
    assert last_audit_id() > before
    logged = audit_changes("referrals.first_contact", referral.person_id)
    assert logged["happened_at"] == local(ago(RECEIVED_DAYS_AGO), 16, 5)
    assert just_now(logged["recorded_at"])
    with refused(ConflictError, field="contacted_on"):
        contact.record_first_contact(actor=worker, referral=referral, version=referral.version)


@pytest.mark.parametrize(
    ("when", "field", "reason"),
    [
        ({"contacted_on": ago(-2)}, "contacted_on", "future"),
        ({"contacted_on": ago(RECEIVED_DAYS_AGO + 3)}, "contacted_on", "before the referral"),
        ({"contacted_on": ago(RECEIVED_DAYS_AGO)}, "contacted_time", "needed"),
    ],
)
@pytest.mark.usefixtures("ctx")
def test_a_first_contact_that_cannot_have_happened_then_is_refused(when, field, reason):
    referral = back_entered()
    before = last_audit_id()
    with refused(field=field) as caught:
        contact.record_first_contact(
            actor=worker_for(referral.service), referral=referral, version=referral.version, **when
        )
    assert reason in caught.value.message
    db.session.refresh(referral)
    assert referral.first_contact_at is None and last_audit_id() == before


# --- through the API and the page -------------------------------------------------------


@pytest.fixture
def answering(app):
    """A back-entered referral to reablement (committed), and a reablement worker's API
    client and signed-in page client."""
    with app.app_context():
        referral = back_entered()
        worker = worker_for(referral.service)
        token = make_token(worker)
        made = {"id": referral.id, "version": referral.version, "email": worker.email}
        db.session.commit()
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    page = app.test_client()
    signed_in = page.post("/sign-in", data={"email": made["email"], "password": PASSWORD})
    assert signed_in.status_code == 302
    return made, api, page


def as_moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def test_the_api_takes_when_an_answer_happened_and_answers_with_both(answering):
    made, api, _ = answering
    url = f"/api/v1/referrals/{made['id']}"
    bad = [
        ({"answered_on": ago(-1).isoformat()}, "answered_on"),
        ({"answered_on": ago(3).isoformat(), "answered_time": "2pm"}, "answered_time"),
        ({"answered_on": ago(RECEIVED_DAYS_AGO).isoformat()}, "answered_time"),
    ]
    for when, field in bad:
        response = api.post(f"{url}/accept", json={"version": made["version"], **when})
        assert response.status_code == 422, response.json
        assert list(response.json["errors"]["json"]) == [field]
    assert api.get(url).json["status"] == "routed"
    accepted = api.post(
        f"{url}/accept",
        json={
            "version": made["version"],
            "answered_on": ago(4).isoformat(),
            "answered_time": "14:30",
        },
    )
    assert accepted.status_code == 200, accepted.json
    body = accepted.json
    assert as_moment(body["responded_at"]) == local(ago(4), 14, 30)
    assert just_now(as_moment(body["response_recorded_at"]))
    assert just_now(as_moment(body["recorded_at"]))
    assert as_moment(body["received_at"]) == local(ago(RECEIVED_DAYS_AGO), 10)
    last = body["history"][-1]
    assert as_moment(last["at"]) == local(ago(4), 14, 30)
    assert just_now(as_moment(last["recorded_at"]))


def test_the_api_records_first_contact_once_with_when_it_happened(answering):
    made, api, _ = answering
    url = f"/api/v1/referrals/{made['id']}/first-contact"
    too_soon = api.post(
        url,
        json={"version": made["version"], "contacted_on": ago(RECEIVED_DAYS_AGO + 1).isoformat()},
    )
    assert too_soon.status_code == 422
    assert "before the referral" in too_soon.json["errors"]["json"]["contacted_on"][0]
    recorded = api.post(
        url,
        json={
            "version": made["version"],
            "contacted_on": ago(2).isoformat(),
            "contacted_time": "11:20",
        },
    )
    assert recorded.status_code == 200, recorded.json
    assert as_moment(recorded.json["first_contact_at"]) == local(ago(2), 11, 20)
    assert just_now(as_moment(recorded.json["first_contact_recorded_at"]))
    again = api.post(url, json={"version": recorded.json["version"]})
    assert again.status_code == 409 and "contacted_on" in again.json["errors"]["json"]


def day_fields(name: str, day: dt.date) -> dict:
    return {name: [str(day.day), str(day.month), str(day.year)]}


def test_the_page_takes_when_an_answer_happened_and_shows_recorded_on_about(app, answering):
    made, _, page = answering
    url = f"/referrals/{made['id']}"
    form = {"version": made["version"]}
    refused_page = page.post(f"{url}/accept", data={**form, **day_fields("answered_on", ago(-1))})
    assert refused_page.status_code == 422
    assert "Date it was accepted must not be in the future" in text_of(refused_page)
    with app.app_context():
        assert db.session.get(Referral, made["id"]).status == ReferralStatus.ROUTED
    accepted = page.post(
        f"{url}/accept",
        data={**form, **day_fields("answered_on", ago(4)), "answered_time": "14:30"},
    )
    assert accepted.status_code == 302
    shown = text_of(page.get(url))
    happened = local(ago(4), 14, 30).astimezone(LONDON)
    about = f"about {happened.day} {happened:%B %Y} at 14:30"
    assert "recorded on" in shown and about in shown
    received = local(ago(RECEIVED_DAYS_AGO), 10).astimezone(LONDON)
    assert f"about {received.day} {received:%B %Y} at 10:00" in shown  # the referral itself


def test_the_page_records_first_contact_with_when_it_happened(app, answering):
    made, _, page = answering
    url = f"/referrals/{made['id']}"
    assert "Record first contact with the person" in text_of(page.get(url))
    recorded = page.post(
        f"{url}/first-contact",
        data={"version": made["version"], **day_fields("contacted_on", ago(3))},
    )
    assert recorded.status_code == 302
    shown = text_of(page.get(url))
    day = ago(3)
    assert f"about {day.day} {day:%B %Y}" in shown  # a day given without a time: the day
    assert "Record first contact with the person" not in shown
    with app.app_context():
        assert db.session.get(Referral, made["id"]).first_contact_at == local(day, 12)
