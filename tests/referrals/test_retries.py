"""A retry is one referral; two referrals are two. A retry is the caller's own
Idempotency-Key with the same body, or the same person, services and needs received within
REFERRAL_DUPLICATE_MINUTES; a referral received months before another is a referral of its
own, however recently it was typed in. Through the operations, the API and the page."""

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.core import clock
from caremap.core.db import utcnow
from caremap.core.extensions import db
from caremap.referrals.models import Referral, ReferralSubmission
from tests.conftest import text_of
from tests.factories import (
    OLDER_PERSON_BORN,
    make_person,
    open_tasks,
    referral_body,
    refused,
    staff,
    submit,
)


def months_ago(n: int = 3) -> str:
    return (utcnow() - dt.timedelta(days=30 * n)).isoformat()


def submissions_of(person_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ReferralSubmission)
        .where(ReferralSubmission.person_id == person_id)
    )


# --- through the operations -------------------------------------------------------------


@pytest.mark.usefixtures("ctx")
@pytest.mark.parametrize("back_entered_first", [False, True])
def test_a_referral_received_months_apart_is_a_second_referral_however_recently_typed(
    back_entered_first,
):
    person = make_person(date_of_birth=OLDER_PERSON_BORN)
    dates = [None, months_ago()]
    if back_entered_first:
        dates.reverse()
    made = [submit(person, **({"received_at": d} if d else {})) for d in dates]
    assert [created for _, created in made] == [True, True]
    assert made[0][0].id != made[1][0].id
    assert submissions_of(person.id) == 2


@pytest.mark.usefixtures("ctx")
def test_the_same_referral_received_within_the_window_is_a_retry_and_outside_it_is_not():
    person = make_person(date_of_birth=OLDER_PERSON_BORN)
    received = utcnow() - dt.timedelta(hours=5)
    first, _ = submit(person, received_at=received.isoformat())
    # Sent again much later, but received at (nearly) the same moment: the same referral.
    again, created = submit(person, received_at=(received + dt.timedelta(minutes=4)).isoformat())
    assert not created and again.id == first.id
    later, created = submit(person, received_at=(received + dt.timedelta(hours=1)).isoformat())
    assert created and later.id != first.id


@pytest.mark.usefixtures("ctx")
def test_the_same_key_and_body_is_a_retry_and_the_same_key_with_another_body_is_refused():
    person = make_person(date_of_birth=OLDER_PERSON_BORN)
    first, _ = submit(person, idempotency_key="ops-retry-1", details="Home after a fall.")
    again, created = submit(person, idempotency_key="ops-retry-1", details="Home after a fall.")
    assert not created and again.id == first.id
    tasks = len(open_tasks(person_id=person.id))
    with refused(field="Idempotency-Key") as caught:
        submit(person, idempotency_key="ops-retry-1", details="Fell again on the stairs.")
    assert "'ops-retry-1'" in caught.value.message
    assert submissions_of(person.id) == 1 and len(open_tasks(person_id=person.id)) == tasks


@pytest.mark.usefixtures("ctx")
def test_another_callers_key_never_returns_someone_elses_referral():
    person = make_person(date_of_birth=OLDER_PERSON_BORN)
    mine, _ = submit(person, actor=staff("practitioner"), idempotency_key="shared-key")
    theirs, created = submit(person, actor=staff("key_worker"), idempotency_key="shared-key")
    assert created and theirs.id != mine.id
    assert theirs.submitted_by_id == staff("key_worker").id
    # Nor does the retry window: the same needs from someone else is their own referral.
    other = staff("admin")
    without_key, created = submit(person, actor=other)
    assert created and without_key.submitted_by_id == other.id


# --- through the API and the page -------------------------------------------------------


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_api_tells_retries_from_second_referrals(app, api, make_person):
    person_id = make_person(date_of_birth=OLDER_PERSON_BORN)
    client = api("practitioner")
    body = referral_body(person_id)
    first = client.post("/referrals", json=body, headers={"Idempotency-Key": "api-retry-1"})
    assert first.status_code == 201
    again = client.post("/referrals", json=body, headers={"Idempotency-Key": "api-retry-1"})
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    before = count(app, Referral)
    changed = client.post(
        "/referrals",
        json={**body, "urgency": "routine"},
        headers={"Idempotency-Key": "api-retry-1"},
    )
    assert changed.status_code == 422
    assert "'api-retry-1'" in changed.json["errors"]["json"]["Idempotency-Key"][0]
    assert count(app, Referral) == before
    # Another user's same key is theirs: a new referral, not the practitioner's.
    theirs = api("key_worker").post(
        "/referrals", json=body, headers={"Idempotency-Key": "api-retry-1"}
    )
    assert theirs.status_code == 201 and theirs.json["id"] != first.json["id"]
    # Received three months ago, typed in now: a second referral, not a retry.
    earlier = client.post("/referrals", json={**body, "received_at": months_ago()})
    assert earlier.status_code == 201 and earlier.json["id"] != first.json["id"]


def test_the_page_refuses_a_form_sent_again_with_other_details_then_sends_it_anew(
    app, client, login_as, make_person
):
    person_id = make_person(date_of_birth=OLDER_PERSON_BORN)
    login_as("practitioner")
    form = {
        "source": "gp",
        "referrer_name": "Dr Hale",
        "referrer_contact": "01752 000000",
        "needs": ["hospital_discharge"],
        "discharge_on": [str(clock.today().day), str(clock.today().month), str(clock.today().year)],
        "discharge_ward": "Ward 5",
        "urgency": "urgent",
        "consent_to_share": "true",
        "idempotency_key": "page-retry-1",
        "send": "Send referral",
    }
    assert client.post(f"/people/{person_id}/refer", data=form).status_code == 302
    before = count(app, Referral)
    edited_form = {**form, "needs": ["carer_strain"]}
    edited = client.post(f"/people/{person_id}/refer", data=edited_form)
    assert edited.status_code == 422
    assert "This form was already sent, with other details" in text_of(edited)
    assert count(app, Referral) == before
    page = edited.get_data(as_text=True)
    assert 'name="idempotency_key" value="page-retry-1"' not in page
    fresh = page.split('name="idempotency_key" value="')[1].split('"')[0]
    sent = client.post(f"/people/{person_id}/refer", data={**edited_form, "idempotency_key": fresh})
    assert sent.status_code == 302
    assert count(app, Referral) == before + 1
