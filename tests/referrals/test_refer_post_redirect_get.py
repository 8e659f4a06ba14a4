"""Referring, post/redirect/get (issue 18): the preview is held server side and the post
answers 303; "check your answers" is a page got; sending takes the held form once; a
token names nothing for another user or another person."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from caremap.core import clock
from caremap.core.extensions import db
from caremap.referrals.models import Referral
from caremap.ui.pending import GONE, PendingForm
from tests.conftest import text_of

DETAILS = "Home after a fall on the Quillerbright stairs"
GONE_WORDS = "This form is no longer held"


def referral_form() -> dict:
    today = clock.today()
    return {
        "source": "gp",
        "referrer_name": "Dr Hale",
        "referrer_organisation": "Mayflower Surgery",
        "referrer_contact": "01752 000000",
        "needs": ["hospital_discharge", "medication_concern"],
        "discharge_on": [str(today.day), str(today.month), str(today.year)],
        "discharge_ward": "Ward 5, Derriford",
        "details": DETAILS,
        "urgency": "urgent",
        "consent_to_share": "true",
        "idempotency_key": "prg-key-1",
    }


def count_referrals(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Referral))


def preview(client, person_id: int) -> tuple[str, str]:
    held = client.post(
        f"/people/{person_id}/refer", data={**referral_form(), "preview": "Preview where it goes"}
    )
    assert held.status_code == 303
    location = held.headers["Location"]
    assert location.startswith(f"/people/{person_id}/refer?held=")
    assert "Quillerbright" not in location and "Derriford" not in location
    return location, location.split("held=", 1)[1]


def test_the_preview_is_a_page_got_and_sending_takes_it_once(app, client, login_as, make_person):
    person_id = make_person(date_of_birth="1941-02-11")
    login_as("practitioner")
    before = count_referrals(app)
    location, token = preview(client, person_id)
    shown = client.get(location)
    assert shown.status_code == 200
    page = text_of(shown)
    assert "Check your answers before sending" in page and "Where it will go" in page
    assert DETAILS in page and "Reablement" in page
    assert 'name="idempotency_key" value="prg-key-1"' in page
    assert f'name="held" value="{token}"' in page
    assert count_referrals(app) == before

    send = {**referral_form(), "send": "Send referral", "held": token}
    sent = client.post(f"/people/{person_id}/refer", data=send)
    assert sent.status_code == 302 and "/referrals/" in sent.headers["Location"]
    made = count_referrals(app)
    assert made > before
    with app.app_context():
        assert db.session.get(PendingForm, token) is None

    again = client.post(f"/people/{person_id}/refer", data=send)
    assert again.status_code == 303
    assert again.headers["Location"] == f"/people/{person_id}/refer"
    assert count_referrals(app) == made
    assert GONE in text_of(client.get(again.headers["Location"]))
    back = client.get(location)  # the back button after sending
    assert back.status_code == 404 and GONE_WORDS in text_of(back)
    assert DETAILS not in text_of(back)


def test_previewing_again_from_the_held_page_keeps_its_address(app, client, login_as, make_person):
    person_id = make_person(date_of_birth="1941-02-11")
    login_as("practitioner")
    location, token = preview(client, person_id)
    changed = {**referral_form(), "urgency": "routine", "preview": "Preview", "held": token}
    again = client.post(f"/people/{person_id}/refer", data=changed)
    assert again.status_code == 303 and again.headers["Location"] == location
    assert 'value="routine" checked' in client.get(location).get_data(as_text=True)


def test_another_users_or_another_persons_token_shows_nothing_of_it(
    app, client, login_as, make_person
):
    person_id = make_person(date_of_birth="1941-02-11")
    other_person = make_person(date_of_birth="1950-05-05")
    login_as("practitioner")
    location, token = preview(client, person_id)
    before = count_referrals(app)

    elsewhere = client.get(f"/people/{other_person}/refer?held={token}")
    assert elsewhere.status_code == 404 and DETAILS not in text_of(elsewhere)

    other = login_as("key_worker", with_client=app.test_client())
    theirs = other.get(location)
    assert theirs.status_code == 404
    assert GONE_WORDS in text_of(theirs) and DETAILS not in text_of(theirs)
    sent = other.post(
        f"/people/{person_id}/refer",
        data={**referral_form(), "send": "Send referral", "held": token},
    )
    assert sent.status_code == 303 and count_referrals(app) == before
    assert client.get(location).status_code == 200  # still the practitioner's


def test_an_expired_preview_gives_the_empty_form(app, client, login_as, make_person):
    person_id = make_person(date_of_birth="1941-02-11")
    login_as("practitioner")
    location, token = preview(client, person_id)
    with app.app_context():
        db.session.execute(
            sa.update(PendingForm)
            .where(PendingForm.id == token)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
        db.session.commit()
    expired = client.get(location)
    assert expired.status_code == 404
    body = text_of(expired)
    assert GONE_WORDS in body and DETAILS not in body and "Make a referral" in body
    assert "Check your answers" not in body


def test_a_preview_with_errors_is_shown_at_once_and_holds_nothing(
    app, client, login_as, make_person
):
    person_id = make_person(date_of_birth="1941-02-11")
    login_as("practitioner")
    with app.app_context():
        held_before = db.session.scalar(sa.select(sa.func.count()).select_from(PendingForm))
    response = client.post(
        f"/people/{person_id}/refer", data={"preview": "Preview", "referrer_name": ""}
    )
    assert response.status_code == 422 and "How urgent" in text_of(response)
    with app.app_context():
        held_after = db.session.scalar(sa.select(sa.func.count()).select_from(PendingForm))
    assert held_after == held_before
